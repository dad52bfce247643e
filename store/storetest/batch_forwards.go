package storetest

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"switchyard/store"
)

// This file tests the provider batches kept of a batch
// (store.BatchForward): saved once each, read back oldest first with
// their lines, per batch, kept under a key before their provider's id
// is known (and erased by it when its creation was refused), and erased with their batch, by DeleteBatch
// and by the retention run.

func testBatchesForwards(t *testing.T, s store.Store) {
	ctx := context.Background()
	bl := batchLog(t, s)
	saveBatches(t, bl, sampleBatch("batch_f", "acme", 0), sampleBatch("batch_g", "acme", 1))
	first := store.BatchForward{ID: "batch_up1", Deployment: "gpt-4o", Lines: []int{0, 2, 5}, Created: Base.Add(time.Second)}
	second := store.BatchForward{ID: "msgbatch_up2", Deployment: "claude", Lines: []int{1}, Created: Base.Add(2 * time.Second)}
	for _, f := range []store.BatchForward{second, first, {ID: "batch_up1", Deployment: "other", Lines: []int{9}, Created: Base}} {
		if err := bl.SaveBatchForward(ctx, "acme", "batch_f", f); err != nil {
			t.Fatalf("SaveBatchForward(%s): %v", f.ID, err)
		}
	}
	if err := bl.SaveBatchForward(ctx, "acme", "batch_g", store.BatchForward{ID: "batch_up3", Deployment: "gpt-4o", Lines: []int{0}, Created: Base}); err != nil {
		t.Fatal(err)
	}
	got, err := bl.BatchForwards(ctx, "acme", "batch_f")
	if err != nil {
		t.Fatal(err)
	}
	if want := []store.BatchForward{first, second}; !reflect.DeepEqual(got, want) {
		t.Fatalf("BatchForwards = %+v\nwant %+v (oldest first, the second save of an id ignored)", got, want)
	}
	testBatchForwardKeys(t, bl)
	if err := bl.DeleteBatch(ctx, "acme", "batch_f"); err != nil {
		t.Fatal(err)
	}
	if got, err := bl.BatchForwards(ctx, "acme", "batch_f"); err != nil || len(got) != 0 {
		t.Fatalf("BatchForwards after DeleteBatch = %+v, %v; want none", got, err)
	}
	if n, err := bl.DeleteExpiredBatches(ctx, Base.Add(2*day)); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredBatches = %d, %v; want 1", n, err)
	}
	if got, err := bl.BatchForwards(ctx, "acme", "batch_g"); err != nil || len(got) != 0 {
		t.Fatalf("BatchForwards of an expired batch = %+v, %v; want none", got, err)
	}
}

// testBatchForwardKeys: a provider batch kept under its key (Pending)
// reads back with it, its id set once (the key no longer names it), and
// another batch's or an unknown key is ErrBatchNotFound.
func testBatchForwardKeys(t *testing.T, bl store.BatchLog) {
	ctx := context.Background()
	pending := store.BatchForward{ID: "swfwd_k1", Key: "swfwd_k1", Deployment: "gpt-4o", Lines: []int{3, 4}, Created: Base.Add(3 * time.Second)}
	if err := bl.SaveBatchForward(ctx, "acme", "batch_f", pending); err != nil {
		t.Fatal(err)
	}
	got, err := bl.BatchForwards(ctx, "acme", "batch_f")
	if err != nil || len(got) != 3 || !reflect.DeepEqual(got[2], pending) || !got[2].Pending() || got[0].Pending() {
		t.Fatalf("BatchForwards with a pending one = %+v, %v", got, err)
	}
	for _, c := range []struct{ batch, key string }{{"batch_g", "swfwd_k1"}, {"batch_f", "swfwd_k2"}, {"batch_f", "batch_up1"}} {
		if err := bl.SetBatchForwardID(ctx, "acme", c.batch, c.key, "batch_up9"); !errors.Is(err, store.ErrBatchNotFound) {
			t.Errorf("SetBatchForwardID(%s, %s) = %v, want ErrBatchNotFound", c.batch, c.key, err)
		}
	}
	if err := bl.SetBatchForwardID(ctx, "acme", "batch_f", "swfwd_k1", "batch_up4"); err != nil {
		t.Fatal(err)
	}
	if err := bl.SetBatchForwardID(ctx, "acme", "batch_f", "swfwd_k1", "batch_up5"); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("a second SetBatchForwardID = %v, want ErrBatchNotFound", err)
	}
	got, err = bl.BatchForwards(ctx, "acme", "batch_f")
	want := pending
	want.ID = "batch_up4"
	if err != nil || len(got) != 3 || !reflect.DeepEqual(got[2], want) || got[2].Pending() {
		t.Fatalf("BatchForwards after SetBatchForwardID = %+v, %v; want %+v last", got, err, want)
	}
	testDeleteBatchForward(t, bl, got)
}

// testDeleteBatchForward: a pending provider batch (its creation refused)
// is erased by its key, once; one whose id was set, another batch's or
// an unknown key is ErrBatchNotFound and erases nothing.
func testDeleteBatchForward(t *testing.T, bl store.BatchLog, before []store.BatchForward) {
	ctx := context.Background()
	refused := store.BatchForward{ID: "swfwd_k3", Key: "swfwd_k3", Deployment: "claude", Lines: []int{6}, Created: Base.Add(4 * time.Second)}
	if err := bl.SaveBatchForward(ctx, "acme", "batch_f", refused); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ batch, key string }{{"batch_g", "swfwd_k3"}, {"batch_f", "swfwd_k1"}, {"batch_f", "batch_up4"}, {"batch_f", "swfwd_k9"}} {
		if err := bl.DeleteBatchForward(ctx, "acme", c.batch, c.key); !errors.Is(err, store.ErrBatchNotFound) {
			t.Errorf("DeleteBatchForward(%s, %s) = %v, want ErrBatchNotFound", c.batch, c.key, err)
		}
	}
	if err := bl.DeleteBatchForward(ctx, "acme", "batch_f", "swfwd_k3"); err != nil {
		t.Fatal(err)
	}
	if err := bl.DeleteBatchForward(ctx, "acme", "batch_f", "swfwd_k3"); !errors.Is(err, store.ErrBatchNotFound) {
		t.Errorf("a second DeleteBatchForward = %v, want ErrBatchNotFound", err)
	}
	if got, err := bl.BatchForwards(ctx, "acme", "batch_f"); err != nil || !reflect.DeepEqual(got, before) {
		t.Fatalf("BatchForwards after DeleteBatchForward = %+v, %v; want %+v", got, err, before)
	}
}
