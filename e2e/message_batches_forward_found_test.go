package e2e

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/record"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// A router whose Anthropic Message Batch's id never reached the store (it
// "died" between the creation and the write), stopped: the router
// resuming the batch finds the Message Batch by the custom ids of its
// requests (they carry the key), past a foreign ended batch of the same
// size whose custom ids are "line-0" and "line-1" (an older router's),
// and awaits it rather than sending the requests again: the provider saw
// them once, each result is Claude's, at the batch price. Still running
// at the resume, it is the only candidate, taken unproven (its id not
// written: ours is known only from its results); ended, it is proven by
// its results and its id written.
func TestMessageBatchesForwardFoundByCustomIDs(t *testing.T) {
	for _, endedBefore := range []bool{false, true} {
		t.Run(map[bool]string{false: "running", true: "ended"}[endedBefore], func(t *testing.T) {
			messageBatchFoundByCustomIDs(t, endedBefore)
		})
	}
}

func messageBatchFoundByCustomIDs(t *testing.T, endedBefore bool) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t).(*sqlite.DB)
	var (
		mu      sync.Mutex
		records []record.Record
	)
	sink := record.SinkFunc(func(rec *record.Record) {
		mu.Lock()
		records = append(records, *rec)
		mu.Unlock()
	})
	start := func(s store.Store) (*server.Router, *httptest.Server, sdk.Client) {
		cfg := demo.Config(simAddr, "")
		cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
		cfg.Batches.PollInterval = 100 * time.Millisecond
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := server.NewRouter(cfg, server.RouterOptions{Store: s, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true, Sinks: []record.Sink{sink}})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(r)
		return r, ts, anthropicClient(&env{URL: ts.URL}, respKeyA)
	}
	foreign := foreignMessageBatch(t, simAddr)
	simBatchesOf(t, simAddr, "anthropic", &sim.BatchControl{Hold: true})
	r, ts, c := start(&lostForwardIDs{DB: st})
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?")}})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); simBatchesOf(t, simAddr, "anthropic", nil).Created < 2; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("no provider batch created")
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	if fs, err := st.BatchForwards(ctx, respTenantA, created.ID); err != nil || len(fs) != 1 || !fs[0].Pending() {
		t.Fatalf("kept %+v, %v; want one provider batch without its id", fs, err)
	}
	if endedBefore {
		simBatchesOf(t, simAddr, "anthropic", &sim.BatchControl{})
	}
	r2, ts2, c2 := start(st)
	defer func() { ts2.Close(); r2.Close(ctx) }()
	if !endedBefore {
		time.Sleep(300 * time.Millisecond) // resumed, found and polled while it runs
		simBatchesOf(t, simAddr, "anthropic", &sim.BatchControl{})
	}
	done := awaitMessageBatch(t, c2, created.ID)
	if done.RequestCounts.Succeeded != 2 {
		t.Fatalf("resumed = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, simAddr, "anthropic", nil); n.Created != 2 || n.Lines != 4 || n.Cancelled != 0 {
		t.Fatalf("Anthropic saw %+v, want the foreign batch and ours, two requests each, none cancelled", n)
	}
	for id, res := range messageResults(t, c2, created.ID) {
		if m := res.Result.Message; res.Result.Type != "succeeded" || m.Usage.OutputTokens == 0 || len(m.Content) == 0 {
			t.Errorf("result %s = %s", id, res.RawJSON())
		}
	}
	if err := r2.Recorder.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	forwarded := 0
	for _, rec := range records {
		want := (float64(rec.Usage.PromptTokens)*1 + float64(rec.Usage.CompletionTokens)*5) / 1e6 / 2
		if rec.Batch == record.BatchProvider && rec.Deployment == "claude-haiku-4-5" && math.Abs(rec.CostUSD-want) < 1e-12 {
			forwarded++
		}
	}
	if forwarded != 2 {
		t.Errorf("%d requests recorded at the batch price from the provider batch, want 2", forwarded)
	}
	fs, err := st.BatchForwards(ctx, respTenantA, created.ID)
	if err != nil || len(fs) != 1 || fs[0].ID == foreign || endedBefore != strings.HasPrefix(fs[0].ID, "msgbatch_") {
		t.Errorf("kept %+v, %v; want its id written only when proven (ended)", fs, err)
	}
}

// foreignMessageBatch creates, straight at the simulator, an ended
// Message Batch of two requests whose custom ids carry no key, and
// returns its id.
func foreignMessageBatch(t *testing.T, simAddr string) string {
	t.Helper()
	c := sdk.NewClient(sdkoption.WithBaseURL("http://"+simAddr+"/anthropic"), sdkoption.WithAPIKey("sk-ant-other"), sdkoption.WithMaxRetries(0))
	b, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("line-0", "claude-haiku-4-5", "Capital of Peru?"), batchItem("line-1", "claude-haiku-4-5", "Capital of Chile?")}})
	if err != nil {
		t.Fatal(err)
	}
	if b, err = c.Messages.Batches.Get(ctxT(t), b.ID, sdk.MessageBatchGetParams{}); err != nil || b.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded {
		t.Fatalf("the foreign batch: %+v, %v", b, err)
	}
	return b.ID
}
