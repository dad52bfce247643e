package e2e

import (
	"context"
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/demo"
	"switchyard/server"
	"switchyard/store"
)

// A Message Batch survives a restart as a Batch API batch does: the
// router shut down mid-batch releases it, and a router started on the
// same store finishes it; every custom_id is in the results once,
// succeeded, and the requests done before keep their first answer.

func TestMessageBatchResumedAfterRestart(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t)
	start := func() (*server.Router, *httptest.Server, sdk.Client) {
		r, ts := startBatchRouter(t, simAddr, st)
		return r, ts, anthropicClient(&env{URL: ts.URL}, respKeyA)
	}
	r, ts, c := start()
	const n = 12
	var reqs []sdk.MessageBatchNewParamsRequest
	for i := range n {
		reqs = append(reqs, batchItem(fmt.Sprint("line-", i), "gpt-4o-mini", fmt.Sprintf("Say %d. [[sim:slow=100ms]]", i)))
	}
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: reqs})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err := c.Messages.Batches.Get(ctxT(t), created.ID, sdk.MessageBatchGetParams{})
		if err == nil && b.RequestCounts.Succeeded >= 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress: %v %v", b, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	before := doneLines(t, st, created.ID)
	if b, err := st.(store.BatchLog).GetBatch(ctx, store.AllTenants(), created.ID, time.Now()); err != nil || b.Status != store.BatchInProgress || len(before) == n {
		t.Fatalf("after the shutdown the batch is %+v, %v, %d done; want in progress", b, err, len(before))
	}
	r2, ts2, c2 := start()
	defer func() { ts2.Close(); r2.Close(ctx) }()
	done := awaitMessageBatch(t, c2, created.ID)
	if done.RequestCounts.Succeeded != n {
		t.Fatalf("resumed batch = %s", done.RawJSON())
	}
	res := messageResults(t, c2, created.ID)
	if len(res) != n {
		t.Fatalf("%d results, want %d", len(res), n)
	}
	after := doneLines(t, st, created.ID)
	for cid, rid := range before {
		if after[cid] != rid || res[cid].Result.Type != "succeeded" {
			t.Errorf("%s: request %s before the restart, %s after (%s)", cid, rid, after[cid], res[cid].Result.Type)
		}
	}
}
