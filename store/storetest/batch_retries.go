package storetest

import (
	"context"
	"reflect"
	"testing"

	"switchyard/store"
)

// This file tests the lines of a batch a provider batch left to the
// router (store.BatchRetry): saved once each, with or without the
// provider's failed call, read back by index, per batch, and erased with
// their batch, by DeleteBatch and by the retention run.

func testBatchesRetries(t *testing.T, s store.Store) {
	ctx := context.Background()
	bl := batchLog(t, s)
	saveBatches(t, bl, sampleBatch("batch_r", "acme", 0), sampleBatch("batch_s", "acme", 1))
	if got, err := bl.BatchRetries(ctx, "acme", "batch_r"); err != nil || len(got) != 0 {
		t.Fatalf("BatchRetries before any = %+v, %v; want none", got, err)
	}
	earlier := []byte(`{"deployment":{"Name":"gpt-5-mini"},"usage":{"PromptTokens":7},"error":{"kind":"upstream","code":"server_error"}}`)
	first := []store.BatchRetry{{Index: 4, Earlier: earlier}, {Index: 1}}
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_r", first); err != nil {
		t.Fatalf("SaveBatchRetries: %v", err)
	}
	// A second save of line 4 (a resumed router reading the provider batch
	// again) leaves the first as it was.
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_r", []store.BatchRetry{{Index: 4}, {Index: 7, Earlier: earlier}}); err != nil {
		t.Fatalf("SaveBatchRetries again: %v", err)
	}
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_s", []store.BatchRetry{{Index: 0, Earlier: earlier}}); err != nil {
		t.Fatal(err)
	}
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_s", nil); err != nil {
		t.Fatalf("SaveBatchRetries of none: %v", err)
	}
	got, err := bl.BatchRetries(ctx, "acme", "batch_r")
	want := []store.BatchRetry{{Index: 1}, {Index: 4, Earlier: earlier}, {Index: 7, Earlier: earlier}}
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Fatalf("BatchRetries = %+v, %v\nwant %+v (by index, the second save of a line ignored)", got, err, want)
	}
	if err := bl.DeleteBatch(ctx, "acme", "batch_r"); err != nil {
		t.Fatal(err)
	}
	if got, err := bl.BatchRetries(ctx, "acme", "batch_r"); err != nil || len(got) != 0 {
		t.Fatalf("BatchRetries after DeleteBatch = %+v, %v; want none", got, err)
	}
	if n, err := bl.DeleteExpiredBatches(ctx, Base.Add(2*day)); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredBatches = %d, %v; want 1", n, err)
	}
	if got, err := bl.BatchRetries(ctx, "acme", "batch_s"); err != nil || len(got) != 0 {
		t.Fatalf("BatchRetries of an expired batch = %+v, %v; want none", got, err)
	}
}
