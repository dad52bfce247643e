package storetest

import (
	"context"
	"reflect"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// batchRow is Sample(i) as a line of batch id, run mode ("provider",
// "router"), on dep, of endpoint, of tenant, costing cost.
func batchRow(i int, id, mode, dep, endpoint, tenant string, cost float64) *store.Request {
	r := Sample(i)
	r.BatchID, r.Explanation.Batch = id, mode
	r.Deployment, r.Endpoint, r.Tenant = dep, endpoint, tenant
	r.CostUSD, r.ServedCostUSD, r.CostUnknown = cost, cost/2, false
	return r
}

// testBatchUses: a batch line's row keeps its batch and how it ran, the
// request log filters on the batch, and BatchUses sums the lines per
// batch, deployment, endpoint and mode within the scope, the batches
// and the time range asked for; a live request is in none.
func testBatchUses(t *testing.T, s store.Store) {
	ctx := context.Background()
	bl := batchLog(t, s)
	live := Sample(0)
	write(t, s, live,
		batchRow(1, "batch_a", "provider", "gpt-4o-mini", "chat", "acme", 0.25),
		batchRow(2, "batch_a", "provider", "gpt-4o-mini", "chat", "acme", 0.5),
		batchRow(3, "batch_a", "router", "gemini-flash", "chat", "acme", 1),
		batchRow(4, "batch_a", "router", "text-embedding-3-small", "embeddings", "acme", 0.125),
		batchRow(5, "msgbatch_b", "provider", "claude-haiku-4-5", "chat", "acme", 2),
		batchRow(6, "batch_c", "router", "gpt-4o-mini", "chat", "globex", 4),
	)
	got, err := s.Get(ctx, store.AllTenants(), "req_00000003")
	if err != nil || got.BatchID != "batch_a" || got.Explanation.Batch != "router" {
		t.Fatalf("Get of a batch line: %v, batch %q %q", err, got.BatchID, got.Explanation.Batch)
	}
	if got, err := s.Get(ctx, store.AllTenants(), live.ID); err != nil || got.BatchID != "" || got.Explanation.Batch != "" {
		t.Fatalf("Get of a live request: %v, batch %+v", err, got)
	}
	if p := list(t, s, store.TenantScope("acme"), store.Filter{Batch: "batch_a"}); !slices.Equal(ids(p.Requests), []string{"req_00000004", "req_00000003", "req_00000002", "req_00000001"}) {
		t.Errorf("List batch_a: %v", ids(p.Requests))
	}
	if p := list(t, s, store.TenantScope("acme"), store.Filter{Batch: "batch_c"}); len(p.Requests) != 0 {
		t.Errorf("List of another tenant's batch: %v", ids(p.Requests))
	}
	uses := func(scope store.Scope, q store.BatchUseQuery) []store.BatchUse {
		t.Helper()
		us, err := bl.BatchUses(ctx, scope, q)
		if err != nil {
			t.Fatalf("BatchUses(%+v): %v", q, err)
		}
		return us
	}
	want := []store.BatchUse{
		{Batch: "batch_a", Deployment: "gemini-flash", Endpoint: "chat", Mode: "router", Lines: 1, CostUSD: 1, ServedCostUSD: 0.5},
		{Batch: "batch_a", Deployment: "gpt-4o-mini", Endpoint: "chat", Mode: "provider", Lines: 2, CostUSD: 0.75, ServedCostUSD: 0.375},
		{Batch: "batch_a", Deployment: "text-embedding-3-small", Endpoint: "embeddings", Mode: "router", Lines: 1, CostUSD: 0.125, ServedCostUSD: 0.0625},
		{Batch: "msgbatch_b", Deployment: "claude-haiku-4-5", Endpoint: "chat", Mode: "provider", Lines: 1, CostUSD: 2, ServedCostUSD: 1},
	}
	if got := uses(store.TenantScope("acme"), store.BatchUseQuery{}); !reflect.DeepEqual(got, want) {
		t.Errorf("BatchUses of acme:\n got %+v\nwant %+v", got, want)
	}
	if got := uses(store.AllTenants(), store.BatchUseQuery{}); len(got) != 5 || got[3].Batch != "batch_c" {
		t.Errorf("BatchUses of every tenant: %+v", got)
	}
	if got := uses(store.TenantScope("acme"), store.BatchUseQuery{Batches: []string{"msgbatch_b", "batch_c"}}); !reflect.DeepEqual(got, want[3:]) {
		t.Errorf("BatchUses of two batches, one another tenant's: %+v", got)
	}
	ranged := uses(store.TenantScope("acme"), store.BatchUseQuery{Since: Base.Add(3 * time.Millisecond), Until: Base.Add(5 * time.Millisecond)})
	if len(ranged) != 2 || ranged[0].Deployment != "gemini-flash" || ranged[1].Endpoint != "embeddings" {
		t.Errorf("BatchUses of [3ms, 5ms): %+v", ranged)
	}
	u, _ := bl.BatchUses(ctx, store.AllTenants(), store.BatchUseQuery{Batches: []string{}})
	if len(u) != 0 {
		t.Errorf("BatchUses of no batch: %+v", u)
	}
}
