package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// The retention run erases the expired files, uploads (with their parts)
// and batches (with their lines), at the writer's time, and leaves the
// live ones.
func TestWriterRetentionPurgesFilesAndBatches(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/p.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	base := storetest.Base
	for _, f := range []*store.File{{ID: "file-old", Tenant: "acme", Created: base, Expires: base.Add(time.Hour), Content: []byte("x")},
		{ID: "file-live", Tenant: "acme", Created: base, Expires: base.Add(48 * time.Hour), Content: []byte("y")}} {
		if err := db.SaveFile(ctx, f); err != nil {
			t.Fatal(err)
		}
	}
	old := &store.Batch{ID: "batch_old", Tenant: "acme", Created: base, Expires: base.Add(time.Hour), Status: store.BatchCompleted, Object: []byte(`{}`)}
	if err := db.SaveBatch(ctx, old); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveBatchLine(ctx, "acme", old.ID, store.BatchLine{Index: 0, Data: []byte(`{}`)}); err != nil {
		t.Fatal(err)
	}
	up := &store.Upload{ID: "upload_old", Tenant: "acme", Created: base, Expires: base.Add(time.Hour), Bytes: 5}
	if err := db.SaveUpload(ctx, up); err != nil {
		t.Fatal(err)
	}
	if err := db.AddUploadPart(ctx, store.TenantScope("acme"), &store.UploadPart{ID: "part_old", UploadID: up.ID, Content: []byte("hello")}, base); err != nil {
		t.Fatal(err)
	}
	now := base.Add(2 * time.Hour)
	w := store.NewWriter(db, store.WriterConfig{Retention: 24 * time.Hour, RetentionRun: time.Millisecond, Now: func() time.Time { return now }})
	defer closeWriter(t, w)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		_, ferr := db.GetFile(ctx, store.AllTenants(), "file-old", base)
		_, berr := db.GetBatch(ctx, store.AllTenants(), old.ID, base)
		_, uerr := db.UploadPartContent(ctx, store.AllTenants(), up.ID, "part_old")
		if errors.Is(ferr, store.ErrFileNotFound) && errors.Is(berr, store.ErrBatchNotFound) && errors.Is(uerr, store.ErrUploadNotFound) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("after the retention run: file %v, batch %v, upload part %v; want all erased", ferr, berr, uerr)
		}
	}
	if _, err := db.GetUpload(ctx, store.AllTenants(), up.ID); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("the expired upload was kept: %v", err)
	}
	if lines, err := db.BatchLines(ctx, "acme", old.ID); err != nil || len(lines) != 0 {
		t.Errorf("the erased batch's lines: %v, %v", lines, err)
	}
	if _, err := db.GetFile(ctx, store.AllTenants(), "file-live", now); err != nil {
		t.Errorf("a live file was erased: %v", err)
	}
}
