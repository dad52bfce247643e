package storetest

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// BatchBackfillVersion is the migration that fills in the batch of the
// request log's rows written before migration 25 kept it.
const BatchBackfillVersion = 26

// RunBatchBackfill: the rows of batch lines written the old way (batch_id
// and batch empty, as before migration 25) get their batch and how their
// line ran when the store is migrated again past BatchBackfillVersion:
// a line one of the batch's provider batches held is 'provider', unless
// it left it to the router (a retry); one none held is 'router'. The rows
// the batch store names no line of (a live request, a row of a line
// sealed at rest, which SQL cannot open, a line whose result has no
// request id) stay without one, and a row with a batch already keeps it;
// ResealContent, with the keys, fills in the rows of the sealed lines.
// exec runs SQL on the store's database outside it; open opens the store
// (migrating it).
func RunBatchBackfill(t *testing.T, exec func(string) error, open func() (store.Store, error)) {
	ctx := context.Background()
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	writeBatchLines(t, s, keys)
	s.Close()
	for _, q := range []string{"DELETE FROM schema_migrations WHERE version >= " + fmt.Sprint(BatchBackfillVersion),
		"UPDATE requests SET batch_id = '', batch = '' WHERE id <> 'kept'"} {
		if err := exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if s, err = open(); err != nil {
		t.Fatalf("migrating again: %v", err)
	}
	defer s.Close()
	want := map[string][2]string{
		"batch_a-0": {"batch_a", "provider"}, "batch_a-1": {"batch_a", "router"}, "batch_a-2": {"batch_a", "router"},
		"msgbatch_b-0": {"msgbatch_b", "provider"}, "msgbatch_b-1": {"msgbatch_b", "provider"},
		"batch_s-0": {"", ""}, "batch_s-1": {"", ""}, "live": {"", ""}, "kept": {"batch_k", "router"},
	}
	checkBatchOf(t, s, "migrated", want)
	s.(store.ContentSealer).SealWith(keys)
	if _, err := s.(store.ContentSealer).ResealContent(ctx); err != nil {
		t.Fatal(err)
	}
	want["batch_s-0"], want["batch_s-1"] = [2]string{"batch_s", "provider"}, [2]string{"batch_s", "router"}
	checkBatchOf(t, s, "resealed", want)
	checkFilledBatchSkipped(t, s)
}

// checkFilledBatchSkipped: ResealContent does not open again the results
// of a batch whose rows all have their batch — as many rows name it as it
// has lines — as it did on every run. It shows in a row its (sealed)
// result names that has no batch, left as it is: batch_f's one line has
// its row (batch_f-row), and its result names another (batch_f-0).
func checkFilledBatchSkipped(t *testing.T, s store.Store) {
	t.Helper()
	ctx := context.Background()
	bl := batchLog(t, s)
	if err := bl.SaveBatch(ctx, &store.Batch{ID: "batch_f", Tenant: "acme", Created: Base, Expires: Base.Add(1000 * time.Hour),
		Status: store.BatchCompleted, Object: []byte(`{"id":"batch_f"}`)}); err != nil {
		t.Fatal(err)
	}
	if err := bl.SaveBatchLine(ctx, "acme", "batch_f", store.BatchLine{Index: 0, Data: outputLine("batch_f", 0)}); err != nil {
		t.Fatal(err)
	}
	stray, row := Sample(20), Sample(21)
	stray.ID, row.ID = "batch_f-0", "batch_f-row"
	row.BatchID, row.Explanation.Batch = "batch_f", "router"
	write(t, s, stray, row)
	if _, err := s.(store.ContentSealer).ResealContent(ctx); err != nil {
		t.Fatal(err)
	}
	checkBatchOf(t, s, "a filled batch resealed", map[string][2]string{"batch_f-0": {"", ""}, "batch_f-row": {"batch_f", "router"}})
}

// checkBatchOf checks the batch and the mode of each row of want.
func checkBatchOf(t *testing.T, s store.Store, when string, want map[string][2]string) {
	t.Helper()
	for id, w := range want {
		got, err := s.Get(context.Background(), store.AllTenants(), id)
		if err != nil {
			t.Fatalf("Get %s: %v", id, err)
		}
		if got.BatchID != w[0] || got.Explanation.Batch != w[1] {
			t.Errorf("%s: %s: batch %q, %q; want %q, %q", when, id, got.BatchID, got.Explanation.Batch, w[0], w[1])
		}
	}
}

// writeBatchLines writes RunBatchBackfill's batches (batch_a, msgbatch_b,
// and batch_s, sealed under keys), their lines' results, provider batches and
// retries, and the request log's rows.
func writeBatchLines(t *testing.T, s store.Store, keys *seal.Keys) {
	t.Helper()
	ctx := context.Background()
	bl := batchLog(t, s)
	for _, id := range []string{"batch_a", "msgbatch_b", "batch_s"} {
		if id == "batch_s" {
			s.(store.ContentSealer).SealWith(keys)
		}
		if err := bl.SaveBatch(ctx, &store.Batch{ID: id, Tenant: "acme", Created: Base, Expires: Base.Add(1000 * time.Hour),
			Status: store.BatchCompleted, Object: []byte(`{"id":"` + id + `"}`)}); err != nil {
			t.Fatal(err)
		}
		for line := range 3 {
			if err := bl.SaveBatchLine(ctx, "acme", id, store.BatchLine{Index: line, Data: outputLine(id, line)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := bl.SaveBatchForward(ctx, "acme", "batch_a", store.BatchForward{ID: "batch_up", Deployment: "d", Lines: []int{0, 1}, Created: Base}); err != nil {
		t.Fatal(err)
	}
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_a", []store.BatchRetry{{Index: 1}}); err != nil {
		t.Fatal(err)
	}
	for id, lines := range map[string][]int{"msgbatch_b": {0, 1, 2}, "batch_s": {0}} {
		if err := bl.SaveBatchForward(ctx, "acme", id, store.BatchForward{ID: id + "_up", Deployment: "d", Lines: lines, Created: Base}); err != nil {
			t.Fatal(err)
		}
	}
	var rows []*store.Request
	for i, id := range []string{"batch_a-0", "batch_a-1", "batch_a-2", "msgbatch_b-0", "msgbatch_b-1", "batch_s-0", "batch_s-1", "live", "kept"} {
		r := Sample(i)
		r.ID = id
		if id == "kept" {
			r.BatchID, r.Explanation.Batch = "batch_k", "router"
		}
		rows = append(rows, r)
	}
	write(t, s, rows...)
}

// outputLine is line of batch id's output file as the batch runner
// writes it, answered by the request id-line; line 2 of msgbatch_b has
// no request id (an error line of a request never sent).
func outputLine(id string, line int) []byte {
	if id == "msgbatch_b" && line == 2 {
		return []byte(`{"id":"batch_req_2","custom_id":"c2","response":null,"error":{"code":"invalid_request","message":"no"}}`)
	}
	return fmt.Appendf(nil, `{"id":"batch_req_%d","custom_id":"c%d","response":{"status_code":200,"request_id":"%s-%d","body":{}},"error":null}`, line, line, id, line)
}
