package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/record"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// The answers a provider batch gave before its batch was cancelled or
// expired are kept across a router's restart: a router restarted while
// its batch is cancelling resumes the wait and the fetch; a batch whose
// window passed while no router ran it is expired by the one resuming
// it, the provider's answers kept and the lines left batch_expired. Each
// forwarded line is recorded and charged once.

// forwardedRecords counts the records of forwarded lines a router made.
type forwardedRecords struct {
	mu  sync.Mutex
	ids []string
}

func (f *forwardedRecords) sink() record.Sink {
	return record.SinkFunc(func(rec *record.Record) {
		if rec.Batch == record.BatchProvider {
			f.mu.Lock()
			f.ids = append(f.ids, rec.RequestID)
			f.mu.Unlock()
		}
	})
}

func (f *forwardedRecords) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.ids)
}

// recordingRouter is holdRouter whose records of forwarded lines go to
// recs.
func recordingRouter(t *testing.T, simAddr string, st store.Store, recs *forwardedRecords) (*server.Router, *httptest.Server, openai.Client) {
	t.Helper()
	cfg := demo.Config(simAddr, "")
	cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
	cfg.Batches.PollInterval = 100 * time.Millisecond
	cfg.Budgets = []config.Budget{holdBudget(holdLimit)}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true, Sinks: []record.Sink{recs.sink()}})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ts.Close()
		r.Close(ctx)
	})
	return r, ts, openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
}

// syncRecords hands r's queued records to its sinks.
func syncRecords(t *testing.T, r *server.Router) {
	t.Helper()
	if err := r.Recorder.Sync(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

// heldTwoLineBatch starts the simulators, whose provider batches hold
// (line a processed, b not), and a router on a store of its own whose
// batch of lines a and b was sent to a provider batch and polled.
func heldTwoLineBatch(t *testing.T, recs *forwardedRecords) (string, store.Store, *server.Router, *httptest.Server, openai.Client, *openai.Batch) {
	t.Helper()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	st := storeBackends[0].open(t)
	simBatches(t, simAddr, &sim.BatchControl{Hold: true, Processed: 1})
	r, ts, c := recordingRouter(t, simAddr, st, recs)
	b := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b"), nil)
	awaitPolls(t, simAddr, 0)
	return simAddr, st, r, ts, c, b
}

func TestBatchesForwardCancelResumedAfterRestart(t *testing.T) {
	t.Parallel()
	var recs1 forwardedRecords
	simAddr, st, r1, ts1, c1, b := heldTwoLineBatch(t, &recs1)
	var recs2 forwardedRecords
	if _, err := c1.Batches.Cancel(ctxT(t), b.ID); err != nil {
		t.Fatal(err)
	}
	awaitCancelling(t, simAddr, "openai")
	syncRecords(t, r1)
	stop(t, r1, ts1) // while its batch is cancelling
	r2, _, c2 := recordingRouter(t, simAddr, st, &recs2)
	polls := simBatches(t, simAddr, nil).Polls
	awaitPolls(t, simAddr, polls) // the resumed wait
	if got, err := c2.Batches.Get(ctxT(t), b.ID); err != nil || got.Status != openai.BatchStatusCancelling {
		t.Fatalf("resumed while the provider batch is cancelling: %v %v", got.RawJSON(), err)
	}
	simBatches(t, simAddr, &sim.BatchControl{})
	done := awaitBatch(t, c2, b.ID, openai.BatchStatusCancelled)
	if n := done.RequestCounts; n.Total != 2 || n.Completed != 1 || n.Failed != 0 || done.ErrorFileID != "" {
		t.Fatalf("cancelled = %s", done.RawJSON())
	}
	if out := fileLines(t, c2, done.OutputFileID); len(out) != 1 || out["a"] == nil {
		t.Fatalf("output %v, want line a alone", out)
	}
	syncRecords(t, r2)
	if recs1.count() != 0 || recs2.count() != 1 {
		t.Errorf("forwarded lines recorded %d times before the restart and %d after, want 0 and 1", recs1.count(), recs2.count())
	}
	if u := budgetUsage(t, r2); u.Reserved != 0 || u.Spent != usedTokens(t, c2, done) {
		t.Errorf("settled %+v, want line a's tokens spent once and nothing held", u)
	}
	if n := simBatches(t, simAddr, nil); n.Created != 1 {
		t.Errorf("the provider saw %d batches, want 1", n.Created)
	}
}

// expireBatch sets the stored batch id's expires_at to a second ago, as
// if its window passed while no router ran it.
func expireBatch(t *testing.T, st store.Store, id string) {
	t.Helper()
	bl := st.(store.BatchLog)
	b, err := bl.GetBatch(ctxT(t), store.TenantScope(respTenantA), id, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	var o map[string]any
	if err := json.Unmarshal(b.Object, &o); err != nil {
		t.Fatal(err)
	}
	o["expires_at"] = time.Now().Add(-time.Second).Unix()
	b.Object, _ = json.Marshal(o)
	if err := bl.UpdateBatch(ctxT(t), b, store.BatchRunning...); err != nil {
		t.Fatal(err)
	}
}

func TestBatchesForwardExpiryKeepsAnswers(t *testing.T) {
	t.Parallel()
	var recs1 forwardedRecords
	simAddr, st, r1, ts1, _, b := heldTwoLineBatch(t, &recs1)
	var recs2 forwardedRecords
	stop(t, r1, ts1)
	expireBatch(t, st, b.ID)
	r2, _, c2 := recordingRouter(t, simAddr, st, &recs2)
	awaitCancelling(t, simAddr, "openai")
	if got, err := c2.Batches.Get(ctxT(t), b.ID); err != nil || got.Status != openai.BatchStatusInProgress {
		t.Fatalf("while its provider batch is cancelling: %v %v", got.RawJSON(), err)
	}
	simBatches(t, simAddr, &sim.BatchControl{})
	done := awaitBatch(t, c2, b.ID, openai.BatchStatusExpired)
	if n := done.RequestCounts; n.Total != 2 || n.Completed != 1 || n.Failed != 1 {
		t.Fatalf("expired = %s", done.RawJSON())
	}
	if out := fileLines(t, c2, done.OutputFileID); len(out) != 1 || out["a"] == nil {
		t.Fatalf("output %v, want line a alone", out)
	}
	errs := fileLines(t, c2, done.ErrorFileID)
	if e, _ := errs["b"]["error"].(map[string]any); len(errs) != 1 || e["code"] != "batch_expired" {
		t.Fatalf("error file %v, want line b batch_expired", errs)
	}
	syncRecords(t, r2)
	if recs1.count() != 0 || recs2.count() != 1 {
		t.Errorf("forwarded lines recorded %d times before the restart and %d after, want 0 and 1", recs1.count(), recs2.count())
	}
	if u := budgetUsage(t, r2); u.Reserved != 0 || u.Spent != usedTokens(t, c2, done) {
		t.Errorf("settled %+v, want line a's tokens spent once and nothing held", u)
	}
}
