package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the Batch API's batches (store.BatchLog): a batch
// saved and read as it was, listed newest first in pages, within its
// tenant; its runner's writes conditioned on its status; its lease
// renewed while it runs and claimed by another router once it ended; its
// lines kept once each; erased with its lines once expired.

// batchLog returns s's batches, failing t when s keeps none.
func batchLog(t *testing.T, s store.Store) store.BatchLog {
	t.Helper()
	return logOf[store.BatchLog](t, s, "batches")
}

// sampleBatch is a running batch of tenant created at Base plus i
// seconds, living a day, leased for a minute.
func sampleBatch(id, tenant string, i int) *store.Batch {
	created := Base.Add(time.Duration(i) * time.Second)
	return &store.Batch{ID: id, Tenant: tenant, KeyName: "app", Created: created, Expires: created.Add(day),
		Status: store.BatchValidating, Object: []byte(`{"id":"` + id + `","metadata":{"k":"caf\u00e9"}}`), Lease: created.Add(time.Minute)}
}

// saveBatches saves bs, failing t on an error.
func saveBatches(t *testing.T, bl store.BatchLog, bs ...*store.Batch) {
	t.Helper()
	for _, b := range bs {
		if err := bl.SaveBatch(context.Background(), b); err != nil {
			t.Fatalf("SaveBatch(%s): %v", b.ID, err)
		}
	}
}

func batchIDs(bs []*store.Batch) []string {
	out := make([]string, len(bs))
	for i, b := range bs {
		out[i] = b.ID
	}
	return out
}

func testBatchesRoundTrip(t *testing.T, s store.Store) {
	bl, ctx := batchLog(t, s), context.Background()
	want := sampleBatch("batch_1", "acme", 0)
	saveBatches(t, bl, want, sampleBatch("batch_0", "acme", -1), sampleBatch("batch_2", "acme", 1), sampleBatch("batch_9", "globex", 5))
	got, err := bl.GetBatch(ctx, store.TenantScope("acme"), want.ID, Base)
	if err != nil || fmt.Sprint(*got) != fmt.Sprint(*want) {
		t.Fatalf("GetBatch = %+v, %v\nwant %+v", got, err, want)
	}
	if _, err := bl.GetBatch(ctx, store.TenantScope("globex"), want.ID, Base); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("another tenant's GetBatch err = %v; want ErrBatchNotFound", err)
	}
	acme := store.TenantScope("acme")
	p, err := bl.ListBatches(ctx, acme, store.BatchFilter{}, "", 2, Base)
	if err != nil || !slices.Equal(batchIDs(p.Batches), []string{"batch_2", "batch_1"}) || !p.HasMore {
		t.Errorf("ListBatches = %v more %v, %v", batchIDs(p.Batches), p.HasMore, err)
	}
	p, err = bl.ListBatches(ctx, acme, store.BatchFilter{}, "batch_1", 2, Base)
	if err != nil || !slices.Equal(batchIDs(p.Batches), []string{"batch_0"}) || p.HasMore {
		t.Errorf("ListBatches after batch_1 = %v more %v, %v", batchIDs(p.Batches), p.HasMore, err)
	}
	if _, err := bl.ListBatches(ctx, acme, store.BatchFilter{}, "batch_9", 2, Base); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("ListBatches after another tenant's id err = %v; want ErrBatchNotFound", err)
	}
}

func testBatchesUpdates(t *testing.T, s store.Store) {
	bl, ctx := batchLog(t, s), context.Background()
	b := sampleBatch("batch_1", "acme", 0)
	saveBatches(t, bl, b)
	up := *b
	up.Status, up.Object = store.BatchInProgress, []byte(`{"status":"in_progress"}`)
	if err := bl.UpdateBatch(ctx, &up, store.BatchRunning...); err != nil {
		t.Fatalf("UpdateBatch: %v", err)
	}
	// A cancel, then a runner's write that expects it running: refused.
	cancel := up
	cancel.Status = store.BatchCancelling
	if err := bl.UpdateBatch(ctx, &cancel, store.BatchRunning...); err != nil {
		t.Fatalf("cancel: %v", err)
	}
	if err := bl.UpdateBatch(ctx, &up, store.BatchRunning...); !errors.Is(err, store.ErrBatchMoved) {
		t.Errorf("a runner's write after the cancel err = %v; want ErrBatchMoved", err)
	}
	other := up
	other.Tenant = "globex"
	if err := bl.UpdateBatch(ctx, &other, store.BatchCancelling); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("another tenant's UpdateBatch err = %v; want ErrBatchNotFound", err)
	}
	got, err := bl.GetBatch(ctx, store.AllTenants(), b.ID, Base)
	if err != nil || got.Status != store.BatchCancelling || string(got.Object) != `{"status":"in_progress"}` {
		t.Errorf("after the writes GetBatch = %+v, %v", got, err)
	}
}

func testBatchesLeases(t *testing.T, s store.Store) {
	bl, ctx := batchLog(t, s), context.Background()
	running, cancelling, done := sampleBatch("batch_r", "acme", 0), sampleBatch("batch_c", "acme", 0), sampleBatch("batch_d", "globex", 0)
	cancelling.Status, done.Status, done.Lease = store.BatchCancelling, store.BatchCompleted, time.Time{}
	saveBatches(t, bl, running, cancelling, done)
	stopped, err := bl.RenewBatchLeases(ctx, []string{"batch_r", "batch_c", "batch_d", "batch_gone"}, Base.Add(2*time.Minute))
	slices.Sort(stopped)
	if err != nil || !slices.Equal(stopped, []string{"batch_c", "batch_d", "batch_gone"}) {
		t.Errorf("RenewBatchLeases stopped = %v, %v", stopped, err)
	}
	// Before the renewed lease ends, nothing is claimed but the
	// cancelling one, whose lease ended at a minute.
	claimed, err := bl.ClaimBatches(ctx, Base.Add(90*time.Second), Base.Add(5*time.Minute), 10)
	if err != nil || !slices.Equal(batchIDs(claimed), []string{"batch_c"}) {
		t.Errorf("ClaimBatches at 90 s = %v, %v; want batch_c", batchIDs(claimed), err)
	}
	claimed, err = bl.ClaimBatches(ctx, Base.Add(3*time.Minute), Base.Add(10*time.Minute), 10)
	if err != nil || !slices.Equal(batchIDs(claimed), []string{"batch_r"}) || string(claimed[0].Object) != string(running.Object) ||
		!claimed[0].Lease.Equal(Base.Add(10*time.Minute)) {
		t.Errorf("ClaimBatches at 3 min = %+v, %v; want batch_r, leased", claimed, err)
	}
	if again, err := bl.ClaimBatches(ctx, Base.Add(3*time.Minute), Base.Add(10*time.Minute), 10); err != nil || len(again) != 0 {
		t.Errorf("a second claim = %v, %v; want none", batchIDs(again), err)
	}
}

func testBatchesLines(t *testing.T, s store.Store) {
	bl, ctx := batchLog(t, s), context.Background()
	b := sampleBatch("batch_1", "acme", 0)
	saveBatches(t, bl, b)
	for _, l := range []store.BatchLine{{Index: 2, Data: []byte(`{"custom_id":"c"}`)}, {Index: 0, Failed: true, Data: []byte(`{"custom_id":"a"}`)},
		{Index: 2, Data: []byte(`{"custom_id":"again"}`)}} {
		if err := bl.SaveBatchLine(ctx, "acme", b.ID, l); err != nil {
			t.Fatalf("SaveBatchLine: %v", err)
		}
	}
	lines, err := bl.BatchLines(ctx, "acme", b.ID)
	if err != nil || len(lines) != 2 || lines[0].Index != 0 || !lines[0].Failed || lines[1].Index != 2 || string(lines[1].Data) != `{"custom_id":"c"}` {
		t.Fatalf("BatchLines = %+v, %v", lines, err)
	}
	n, err := bl.DeleteExpiredBatches(ctx, Base.Add(2*day))
	if err != nil || n != 1 {
		t.Errorf("DeleteExpiredBatches = %d, %v; want 1", n, err)
	}
	if lines, err := bl.BatchLines(ctx, "acme", b.ID); err != nil || len(lines) != 0 {
		t.Errorf("lines of an erased batch = %v, %v", lines, err)
	}
	if _, err := bl.GetBatch(ctx, store.AllTenants(), b.ID, Base); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("an erased batch is found (err %v)", err)
	}
}

func testBatchesDelete(t *testing.T, s store.Store) {
	ctx := context.Background()
	bl := batchLog(t, s)
	saveBatches(t, bl, sampleBatch("batch_d", "acme", 0), sampleBatch("batch_k", "acme", 1))
	for i := range 2 {
		if err := bl.SaveBatchLine(ctx, "acme", "batch_d", store.BatchLine{Index: i, Data: []byte(`{"n":1}`)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := bl.DeleteBatch(ctx, "globex", "batch_d"); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("DeleteBatch of another tenant = %v, want ErrBatchNotFound", err)
	}
	if err := bl.DeleteBatch(ctx, "acme", "batch_d"); err != nil {
		t.Fatal(err)
	}
	if _, err := bl.GetBatch(ctx, store.TenantScope("acme"), "batch_d", Base); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("GetBatch after DeleteBatch = %v, want ErrBatchNotFound", err)
	}
	if lines, err := bl.BatchLines(ctx, "acme", "batch_d"); err != nil || len(lines) != 0 {
		t.Fatalf("BatchLines after DeleteBatch = %d lines, %v; want none", len(lines), err)
	}
	if _, err := bl.GetBatch(ctx, store.TenantScope("acme"), "batch_k", Base); err != nil {
		t.Fatalf("the other batch: %v", err)
	}
	if err := bl.DeleteBatch(ctx, "acme", "batch_d"); !errors.Is(err, store.ErrBatchNotFound) {
		t.Fatalf("DeleteBatch twice = %v, want ErrBatchNotFound", err)
	}
}

// testBatchesFilter lists batches by status, id prefix and creation time:
// pages of a filtered list are full, their HasMore true only while more
// that the filter selects follow, however many others lie between them.
func testBatchesFilter(t *testing.T, s store.Store) {
	bl, ctx := batchLog(t, s), context.Background()
	acme := store.TenantScope("acme")
	// Newest first: msgbatch_6 … batch_0; the completed and failed ones
	// are every other, among running ones; globex's completed one is out
	// of scope.
	statuses := []string{store.BatchCompleted, store.BatchInProgress, store.BatchFailed, store.BatchValidating,
		store.BatchCompleted, store.BatchCancelling, store.BatchCompleted}
	var want []string
	for i, st := range statuses {
		id := fmt.Sprintf("batch_%d", i)
		if i%2 == 0 {
			id = fmt.Sprintf("msgbatch_%d", i)
		}
		b := sampleBatch(id, "acme", i)
		b.Status = st
		saveBatches(t, bl, b)
		if st == store.BatchCompleted || st == store.BatchFailed {
			want = append([]string{id}, want...)
		}
	}
	other := sampleBatch("batch_9", "globex", 3)
	other.Status = store.BatchCompleted
	saveBatches(t, bl, other)
	ended := store.BatchFilter{Statuses: []string{store.BatchCompleted, store.BatchFailed}}
	got := listAll(t, bl, acme, ended, 2)
	if !slices.Equal(got, want) {
		t.Errorf("completed or failed, by pages of 2 = %v; want %v", got, want)
	}
	msg := store.BatchFilter{IDPrefix: "msgbatch_", Statuses: []string{store.BatchCompleted}}
	if got := listAll(t, bl, acme, msg, 1); !slices.Equal(got, []string{"msgbatch_6", "msgbatch_4", "msgbatch_0"}) {
		t.Errorf("completed Message Batches, by pages of 1 = %v", got)
	}
	oai := store.BatchFilter{IDPrefix: "batch_"}
	if got := listAll(t, bl, acme, oai, 5); !slices.Equal(got, []string{"batch_5", "batch_3", "batch_1"}) {
		t.Errorf("the Batch API's batches = %v", got)
	}
	window := store.BatchFilter{Since: Base.Add(2 * time.Second), Until: Base.Add(5 * time.Second)}
	if got := listAll(t, bl, acme, window, 2); !slices.Equal(got, []string{"msgbatch_4", "batch_3", "msgbatch_2"}) {
		t.Errorf("created in [2 s, 5 s) = %v", got)
	}
	if got := listAll(t, bl, store.AllTenants(), store.BatchFilter{Statuses: []string{store.BatchCompleted}, IDPrefix: "batch_"}, 2); !slices.Equal(got, []string{"batch_9"}) {
		t.Errorf("completed Batch API batches of all tenants = %v", got)
	}
	// A cursor the filter does not select still places the page.
	p, err := bl.ListBatches(ctx, acme, ended, "batch_3", 10, Base)
	if err != nil || !slices.Equal(batchIDs(p.Batches), []string{"msgbatch_2", "msgbatch_0"}) || p.HasMore {
		t.Errorf("completed or failed after batch_3 = %v more %v, %v", batchIDs(p.Batches), p.HasMore, err)
	}
}

// listAll lists every batch f selects in scope by pages of limit, each
// full but the last, and returns their ids.
func listAll(t *testing.T, bl store.BatchLog, scope store.Scope, f store.BatchFilter, limit int) []string {
	t.Helper()
	var ids []string
	after := ""
	for range 20 {
		p, err := bl.ListBatches(context.Background(), scope, f, after, limit, Base)
		if err != nil {
			t.Fatalf("ListBatches(%+v after %q): %v", f, after, err)
		}
		ids = append(ids, batchIDs(p.Batches)...)
		if !p.HasMore {
			return ids
		}
		if len(p.Batches) != limit {
			t.Fatalf("ListBatches(%+v after %q) = %v, more to come: not a full page of %d", f, after, batchIDs(p.Batches), limit)
		}
		after = p.Batches[len(p.Batches)-1].ID
	}
	t.Fatalf("ListBatches(%+v) never ends", f)
	return nil
}
