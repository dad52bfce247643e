package sqlite

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// TestFeedbackWriteRunsPrepared: a rating's INSERT runs the statement
// prepared at Open (preparedWrites), not its text parsed anew. The test
// swaps that statement for one that marks the rows it writes (tenant
// "prepared") and finds the mark on the rating written.
func TestFeedbackWriteRunsPrepared(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	q := sqlstore.InsertFeedback(1, placeholder)
	if db.prepared[q] == nil {
		t.Fatalf("the rating's INSERT is not among the prepared statements: %q", q)
	}
	marking, err := db.w.PrepareContext(ctx, "INSERT INTO feedback ("+strings.Join(sqlstore.FeedbackColumns, ", ")+") VALUES (?1, ?2, 'prepared' || substr(?3, 1, 0), ?4, ?5, ?6, ?7, ?8)")
	if err != nil {
		t.Fatal(err)
	}
	db.prepared[q].Close()
	db.prepared[q] = marking
	f := &store.Feedback{RequestID: "req_1", Tenant: "acme", Time: time.Now(), Kind: store.KindExplicit, Value: 1,
		Evidence: store.Evidence{Thumbs: "up"}}
	if err := db.WriteFeedback(ctx, []*store.Feedback{f}); err != nil {
		t.Fatal(err)
	}
	var tenant string
	if err := db.r.QueryRowContext(ctx, "SELECT tenant FROM feedback WHERE request_id = 'req_1'").Scan(&tenant); err != nil {
		t.Fatal(err)
	}
	if tenant != "prepared" {
		t.Fatalf("the rating was written with tenant %q: its INSERT was parsed again, not run prepared", tenant)
	}
}
