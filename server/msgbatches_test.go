package server

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	apianthropic "switchyard/api/anthropic"
	"switchyard/api/openai/batch"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// TestMessageBatchView: a batch's status and counts as a MessageBatch's
// processing_status, request_counts, ended_at, cancel_initiated_at and
// results_url.
func TestMessageBatchView(t *testing.T) {
	at := func(v int64) *int64 { return &v }
	counts := batch.Counts{Total: 10, Completed: 4, Failed: 2}
	for _, c := range []struct {
		status, want string
		set          func(*batch.Object)
		counts       apianthropic.RequestCounts
		ended        bool
	}{
		{store.BatchValidating, apianthropic.BatchInProgress, nil, apianthropic.RequestCounts{Processing: 4, Succeeded: 4, Errored: 2}, false},
		{store.BatchInProgress, apianthropic.BatchInProgress, nil, apianthropic.RequestCounts{Processing: 4, Succeeded: 4, Errored: 2}, false},
		{store.BatchCancelling, apianthropic.BatchCanceling, func(o *batch.Object) { o.CancellingAt = at(1700000100) }, apianthropic.RequestCounts{Processing: 4, Succeeded: 4, Errored: 2}, false},
		{store.BatchCancelled, apianthropic.BatchEnded, func(o *batch.Object) { o.CancellingAt, o.CancelledAt = at(1700000100), at(1700000200) }, apianthropic.RequestCounts{Succeeded: 4, Errored: 2, Canceled: 4}, true},
		{store.BatchExpired, apianthropic.BatchEnded, func(o *batch.Object) { o.ExpiredAt = at(1700000200) }, apianthropic.RequestCounts{Succeeded: 4, Errored: 2, Expired: 4}, true},
		{store.BatchCompleted, apianthropic.BatchEnded, func(o *batch.Object) { o.CompletedAt = at(1700000200); o.RequestCounts.Completed = 8 }, apianthropic.RequestCounts{Succeeded: 8, Errored: 2}, true},
	} {
		o := &batch.Object{ID: "msgbatch_x", Status: c.status, CreatedAt: 1700000000, ExpiresAt: at(1700086400), RequestCounts: counts}
		if c.set != nil {
			c.set(o)
		}
		v := messageBatchView(o)
		if v.ProcessingStatus != c.want || v.RequestCounts != c.counts || v.Type != "message_batch" || v.ID != o.ID ||
			v.CreatedAt != "2023-11-14T22:13:20Z" || v.ExpiresAt != "2023-11-15T22:13:20Z" || v.ArchivedAt != nil {
			t.Errorf("%s: %+v", c.status, v)
		}
		if ended := v.EndedAt != nil && *v.EndedAt == "2023-11-14T22:16:40Z" && v.ResultsURL != nil && *v.ResultsURL == "/v1/messages/batches/msgbatch_x/results"; ended != c.ended || (!c.ended && (v.EndedAt != nil || v.ResultsURL != nil)) {
			t.Errorf("%s: ended_at %v results_url %v", c.status, v.EndedAt, v.ResultsURL)
		}
		if (o.CancellingAt != nil) != (v.CancelInitiatedAt != nil) {
			t.Errorf("%s: cancel_initiated_at %v", c.status, v.CancelInitiatedAt)
		}
	}
}

// failingBatchLog refuses to save a batch.
type failingBatchLog struct{ store.BatchLog }

func (failingBatchLog) SaveBatch(context.Context, *store.Batch) error {
	return errors.New("disk full")
}

// A Message Batch whose batch cannot be saved leaves no input file
// behind: its requests are not kept until the file expires.
func TestMessageBatchCreateFailureErasesItsInput(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/m.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Batches: config.Batches{MaxLines: 10, MaxFileBytes: 1 << 20, Retention: time.Hour}}
	runner := batch.New(batch.Options{Log: db, Files: db, Metrics: batch.NewMetrics(nil), Lease: time.Minute, Retention: time.Hour,
		Dispatch: func(context.Context, batch.Owner, string, []byte) batch.Result { return batch.Result{Status: 500} }})
	defer runner.Close(context.Background())
	m := messageBatches{&batchStore{log: failingBatchLog{db}, files: db, runner: runner, cfg: func() *config.Config { return cfg }, now: time.Now}}
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme", Name: "app"})
	_, err = m.Create(ctx, []apianthropic.BatchRequest{{CustomID: "a", Params: json.RawMessage(`{"model":"m"}`)}})
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Create = %v, want the store's error", err)
	}
	page, err := db.ListFiles(context.Background(), store.AllTenants(), store.FileQuery{Limit: 10}, time.Now())
	if err != nil || len(page.Files) != 0 {
		t.Errorf("files left: %+v, %v", page.Files, err)
	}
}
