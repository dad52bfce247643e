package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the Uploads API's uploads (store.UploadLog): an upload
// saved and read as it was, its parts kept (in parallel, never past its
// bytes) and read back, completed into a file with its parts erased in
// one step, cancelled, within its tenant, closed once expired and erased
// with its parts by the retention run.

// uploadLog returns s's uploads, failing t when s keeps none.
func uploadLog(t *testing.T, s store.Store) store.UploadLog {
	t.Helper()
	return logOf[store.UploadLog](t, s, "uploads")
}

// sampleUpload is a pending upload of tenant for size bytes, created at
// Base, expiring an hour later.
func sampleUpload(t *testing.T, ul store.UploadLog, id, tenant string, size int64) *store.Upload {
	t.Helper()
	u := &store.Upload{ID: id, Tenant: tenant, KeyName: "app", Created: Base, Expires: Base.Add(time.Hour), Filename: "in.jsonl",
		Purpose: "batch", MimeType: "text/jsonl", Bytes: size, Status: store.UploadPending, FileExpiresAfter: 7200}
	if err := ul.SaveUpload(context.Background(), u); err != nil {
		t.Fatalf("SaveUpload(%s): %v", id, err)
	}
	return u
}

// addPart adds a part of content to the upload id of acme at Base plus
// i seconds.
func addPart(ul store.UploadLog, id, partID, content string, i int) error {
	p := &store.UploadPart{ID: partID, UploadID: id, Created: Base.Add(time.Duration(i) * time.Second), Content: []byte(content)}
	return ul.AddUploadPart(context.Background(), store.TenantScope("acme"), p, Base.Add(time.Minute))
}

func testUploadsRoundTrip(t *testing.T, s store.Store) {
	ul, ctx, acme := uploadLog(t, s), context.Background(), store.TenantScope("acme")
	want := sampleUpload(t, ul, "upload_1", "acme", 13)
	if got, err := ul.GetUpload(ctx, acme, want.ID); err != nil || fmt.Sprint(*got) != fmt.Sprint(*want) {
		t.Fatalf("GetUpload = %+v, %v\nwant %+v", got, err, want)
	}
	if err := ul.SaveUpload(ctx, want); err == nil {
		t.Error("SaveUpload of an id already stored: no error")
	}
	// Parts arrive out of order: the one created last first.
	for _, p := range []struct {
		id, content string
		at          int
	}{{"part_c", "caf\u00e9\n", 3}, {"part_a", "{\"a\":", 1}, {"part_b", "1}", 2}} {
		if err := addPart(ul, want.ID, p.id, p.content, p.at); err != nil {
			t.Fatalf("AddUploadPart(%s): %v", p.id, err)
		}
	}
	if err := addPart(ul, want.ID, "part_d", "x", 200); !errors.Is(err, store.ErrUploadFull) {
		t.Errorf("AddUploadPart past the bytes err = %v; want ErrUploadFull", err)
	}
	parts, err := ul.UploadParts(ctx, acme, want.ID)
	if err != nil || len(parts) != 3 || parts[0].ID != "part_a" || parts[2].ID != "part_c" || parts[2].Bytes != 6 || parts[0].Content != nil {
		t.Fatalf("UploadParts = %+v, %v; want part_a, part_b, part_c oldest first, no content", parts, err)
	}
	if c, err := ul.UploadPartContent(ctx, acme, want.ID, "part_c"); err != nil || string(c) != "caf\u00e9\n" {
		t.Errorf("UploadPartContent = %q, %v", c, err)
	}
	if got, _ := ul.GetUpload(ctx, acme, want.ID); got.Received != 13 {
		t.Errorf("Received = %d; want 13", got.Received)
	}
	f := &store.File{ID: "file-up", Tenant: "acme", Created: Base.Add(time.Minute), Expires: Base.Add(day), Filename: "in.jsonl", Purpose: "batch",
		Content: []byte("{\"a\":1}caf\u00e9\n")}
	if err := ul.CompleteUpload(ctx, acme, want.ID, f, Base.Add(time.Minute)); err != nil {
		t.Fatalf("CompleteUpload: %v", err)
	}
	checkCompleted(t, s, want.ID, f)
}

// checkCompleted checks that the upload id of acme is completed into f,
// its parts erased, and takes no more parts, completion nor cancel.
func checkCompleted(t *testing.T, s store.Store, id string, f *store.File) {
	t.Helper()
	ul, ctx, acme := uploadLog(t, s), context.Background(), store.TenantScope("acme")
	if got, err := ul.GetUpload(ctx, acme, id); err != nil || got.Status != store.UploadCompleted || got.FileID != f.ID {
		t.Errorf("GetUpload after completion = %+v, %v; want completed into %s", got, err, f.ID)
	}
	if c, err := fileLog(t, s).FileContent(ctx, acme, f.ID, Base.Add(time.Minute)); err != nil || !bytes.Equal(c, f.Content) {
		t.Errorf("the completed file's content = %q, %v; want %q", c, err, f.Content)
	}
	if parts, err := ul.UploadParts(ctx, acme, id); err != nil || len(parts) != 0 {
		t.Errorf("UploadParts after completion = %d parts, %v; want none", len(parts), err)
	}
	if err := addPart(ul, id, "part_late", "", 300); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("AddUploadPart after completion err = %v; want ErrUploadClosed", err)
	}
	again := &store.File{ID: "file-again", Tenant: "acme", Created: Base, Expires: Base.Add(day)}
	if err := ul.CompleteUpload(ctx, acme, id, again, Base.Add(time.Minute)); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("CompleteUpload again err = %v; want ErrUploadClosed", err)
	}
	if _, err := fileLog(t, s).GetFile(ctx, acme, again.ID, Base); !errors.Is(err, store.ErrFileNotFound) {
		t.Errorf("a refused completion saved its file (err %v)", err)
	}
	if err := ul.CancelUpload(ctx, acme, id, Base.Add(time.Minute)); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("CancelUpload of a completed upload err = %v; want ErrUploadClosed", err)
	}
}

func testUploadsCancel(t *testing.T, s store.Store) {
	ul, ctx, acme := uploadLog(t, s), context.Background(), store.TenantScope("acme")
	u := sampleUpload(t, ul, "upload_c", "acme", 10)
	if err := addPart(ul, u.ID, "part_1", "hello", 1); err != nil {
		t.Fatalf("AddUploadPart: %v", err)
	}
	for range 2 { // cancelling a cancelled upload answers it again
		if err := ul.CancelUpload(ctx, acme, u.ID, Base.Add(time.Minute)); err != nil {
			t.Fatalf("CancelUpload: %v", err)
		}
	}
	if got, err := ul.GetUpload(ctx, acme, u.ID); err != nil || got.Status != store.UploadCancelled {
		t.Errorf("GetUpload after cancel = %+v, %v; want cancelled", got, err)
	}
	if parts, err := ul.UploadParts(ctx, acme, u.ID); err != nil || len(parts) != 0 {
		t.Errorf("UploadParts after cancel = %d, %v; want none (erased)", len(parts), err)
	}
	if err := addPart(ul, u.ID, "part_2", "x", 2); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("AddUploadPart after cancel err = %v; want ErrUploadClosed", err)
	}
	f := &store.File{ID: "file-c", Tenant: "acme", Created: Base, Expires: Base.Add(day)}
	if err := ul.CompleteUpload(ctx, acme, u.ID, f, Base.Add(time.Minute)); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("CompleteUpload after cancel err = %v; want ErrUploadClosed", err)
	}
}

func testUploadsScope(t *testing.T, s store.Store) {
	ul, ctx, globex := uploadLog(t, s), context.Background(), store.TenantScope("globex")
	u := sampleUpload(t, ul, "upload_s", "acme", 10)
	if err := addPart(ul, u.ID, "part_s", "hello", 1); err != nil {
		t.Fatalf("AddUploadPart: %v", err)
	}
	now := Base.Add(time.Minute)
	if _, err := ul.GetUpload(ctx, globex, u.ID); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("GetUpload of another tenant err = %v; want ErrUploadNotFound", err)
	}
	p := &store.UploadPart{ID: "part_g", UploadID: u.ID, Created: now, Content: []byte("x")}
	if err := ul.AddUploadPart(ctx, globex, p, now); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("AddUploadPart of another tenant err = %v; want ErrUploadNotFound", err)
	}
	if parts, err := ul.UploadParts(ctx, globex, u.ID); err != nil || len(parts) != 0 {
		t.Errorf("UploadParts of another tenant = %d, %v; want none", len(parts), err)
	}
	if _, err := ul.UploadPartContent(ctx, globex, u.ID, "part_s"); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("UploadPartContent of another tenant err = %v; want ErrUploadNotFound", err)
	}
	f := &store.File{ID: "file-g", Tenant: "globex", Created: now, Expires: now.Add(day)}
	if err := ul.CompleteUpload(ctx, globex, u.ID, f, now); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("CompleteUpload of another tenant err = %v; want ErrUploadNotFound", err)
	}
	if err := ul.CancelUpload(ctx, globex, u.ID, now); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("CancelUpload of another tenant err = %v; want ErrUploadNotFound", err)
	}
	if got, err := ul.GetUpload(ctx, store.TenantScope("acme"), u.ID); err != nil || got.Status != store.UploadPending || got.Received != 5 {
		t.Errorf("the owner's upload = %+v, %v; want pending with 5 bytes", got, err)
	}
}

func testUploadsExpiry(t *testing.T, s store.Store) {
	ul, ctx, acme := uploadLog(t, s), context.Background(), store.TenantScope("acme")
	old := sampleUpload(t, ul, "upload_old", "acme", 10)
	young := *old
	young.ID, young.Expires = "upload_young", Base.Add(3*time.Hour)
	if err := ul.SaveUpload(ctx, &young); err != nil {
		t.Fatalf("SaveUpload: %v", err)
	}
	if err := addPart(ul, old.ID, "part_old", "hello", 1); err != nil {
		t.Fatalf("AddUploadPart: %v", err)
	}
	at := old.Expires
	p := &store.UploadPart{ID: "part_x", UploadID: old.ID, Created: at, Content: []byte("x")}
	if err := ul.AddUploadPart(ctx, acme, p, at); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("AddUploadPart at expiry err = %v; want ErrUploadClosed", err)
	}
	f := &store.File{ID: "file-x", Tenant: "acme", Created: at, Expires: at.Add(day)}
	if err := ul.CompleteUpload(ctx, acme, old.ID, f, at); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("CompleteUpload at expiry err = %v; want ErrUploadClosed", err)
	}
	if err := ul.CancelUpload(ctx, acme, old.ID, at); !errors.Is(err, store.ErrUploadClosed) {
		t.Errorf("CancelUpload at expiry err = %v; want ErrUploadClosed", err)
	}
	n, err := ul.DeleteExpiredUploads(ctx, at)
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredUploads = %d, %v; want 1", n, err)
	}
	if _, err := ul.GetUpload(ctx, acme, young.ID); err != nil {
		t.Errorf("a live upload was erased: %v", err)
	}
	if _, err := ul.GetUpload(ctx, acme, old.ID); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("an erased upload is found (err %v)", err)
	}
	if _, err := ul.UploadPartContent(ctx, acme, old.ID, "part_old"); !errors.Is(err, store.ErrUploadNotFound) {
		t.Errorf("an erased upload's part is found (err %v)", err)
	}
}

// testUploadsParallelParts: parts added at once to one upload are all
// kept while they fit, and never pass its bytes.
func testUploadsParallelParts(t *testing.T, s store.Store) {
	ul, ctx, acme := uploadLog(t, s), context.Background(), store.TenantScope("acme")
	u := sampleUpload(t, ul, "upload_p", "acme", 50)
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = addPart(ul, u.ID, fmt.Sprintf("part_%d", i), "0123456789", i) })
	}
	wg.Wait()
	kept, full := 0, 0
	for i, err := range errs {
		switch {
		case err == nil:
			kept++
		case errors.Is(err, store.ErrUploadFull):
			full++
		default:
			t.Errorf("part %d: %v", i, err)
		}
	}
	got, err := ul.GetUpload(ctx, acme, u.ID)
	parts, perr := ul.UploadParts(ctx, acme, u.ID)
	if kept != 5 || full != 3 || err != nil || got.Received != 50 || perr != nil || len(parts) != 5 {
		t.Errorf("%d kept, %d full, received %v (%v), %d parts (%v); want 5 kept, 3 full, 50 received in 5 parts", kept, full, got, err, len(parts), perr)
	}
}
