package e2e

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"slices"
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
	t.Parallel()
	for _, endedBefore := range []bool{false, true} {
		t.Run(map[bool]string{false: "running", true: "ended"}[endedBefore], func(t *testing.T) {
			messageBatchFoundByCustomIDs(t, endedBefore)
		})
	}
}

func messageBatchFoundByCustomIDs(t *testing.T, endedBefore bool) {
	simAddr, st, start, records := foundRouters(t)
	foreign := foreignMessageBatch(t, simAddr)
	endMessageBatch(t, simAddr, foreign)
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
	forwarded := 0
	for _, rec := range records() {
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

// foundRouters starts the simulator and returns its address, a fresh
// store, a function starting a router on a store (polling provider
// batches every 100 ms) with an Anthropic SDK client of it, and one
// returning what the routers recorded.
func foundRouters(t *testing.T) (string, *sqlite.DB, func(store.Store) (*server.Router, *httptest.Server, sdk.Client), func() []record.Record) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
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
	got := func() []record.Record {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(records)
	}
	return simAddr, storeBackends[0].open(t).(*sqlite.DB), start, got
}

// foreignMessageBatch creates, straight at the simulator, a Message
// Batch of two requests whose custom ids carry no key ("line-0",
// "line-1": an older router's), and returns its id.
func foreignMessageBatch(t *testing.T, simAddr string) string {
	t.Helper()
	c := sdk.NewClient(sdkoption.WithBaseURL("http://"+simAddr+"/anthropic"), sdkoption.WithAPIKey("sk-ant-other"), sdkoption.WithMaxRetries(0))
	b, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("line-0", "claude-haiku-4-5", "Capital of Spain?"), batchItem("line-1", "claude-haiku-4-5", "Capital of Italy?")}})
	if err != nil {
		t.Fatal(err)
	}
	return b.ID
}

// endMessageBatch reads the Message Batch id at the simulator, which
// ends it (its answers are ready at once), and fails unless it ended.
func endMessageBatch(t *testing.T, simAddr, id string) {
	t.Helper()
	c := sdk.NewClient(sdkoption.WithBaseURL("http://"+simAddr+"/anthropic"), sdkoption.WithAPIKey("sk-ant-other"), sdkoption.WithMaxRetries(0))
	if b, err := c.Messages.Batches.Get(ctxT(t), id, sdk.MessageBatchGetParams{}); err != nil || b.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded {
		t.Fatalf("the foreign batch: %+v, %v", b, err)
	}
}

// heldForwardSave is a store whose first SaveBatchForward writes, then
// waits until released: the router stopped (Close) meanwhile tries to
// create the provider batch with its exchanges cut, and makes none.
type heldForwardSave struct {
	*sqlite.DB
	saved, release chan struct{}
	once           sync.Once
}

func (s *heldForwardSave) SaveBatchForward(ctx context.Context, tenant, id string, f store.BatchForward) error {
	err := s.DB.SaveBatchForward(ctx, tenant, id, f)
	first := false
	s.once.Do(func() { first = true })
	if first {
		close(s.saved)
		<-s.release
	}
	return err
}

// A router that stopped after keeping a Message Batch before its
// creation, and so never made it: the router resuming the batch finds,
// running, a foreign batch of the same size (custom ids "line-0",
// "line-1"), the only candidate, and awaits it unproven; its results,
// whose custom ids do not carry the key, answer none of the lines, which
// run on the router; it is never cancelled, nor its id kept.
func TestMessageBatchesForwardForeignNotTaken(t *testing.T) {
	t.Parallel()
	simAddr, st, start, records := foundRouters(t)
	held := &heldForwardSave{DB: st, saved: make(chan struct{}), release: make(chan struct{})}
	r, ts, c := start(held)
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?")}})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-held.saved:
	case <-time.After(10 * time.Second):
		t.Fatal("no provider batch kept")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	closed := make(chan error, 1)
	go func() { closed <- r.Close(ctx) }()
	time.Sleep(100 * time.Millisecond) // closing: the creation's exchange is cut
	close(held.release)
	if err := <-closed; err != nil {
		t.Fatalf("close: %v", err)
	}
	if fs, err := st.BatchForwards(ctx, respTenantA, created.ID); err != nil || len(fs) != 1 || !fs[0].Pending() {
		t.Fatalf("kept %+v, %v; want one provider batch without its id", fs, err)
	}
	if done := doneLines(t, st, created.ID); len(done) != 0 {
		t.Fatalf("%d lines done before the resume, want none", len(done))
	}
	if n := simBatchesOf(t, simAddr, "anthropic", nil); n.Created != 0 {
		t.Fatalf("Anthropic saw %+v before the resume, want no batch", n)
	}
	simBatchesOf(t, simAddr, "anthropic", &sim.BatchControl{Hold: true})
	foreign := foreignMessageBatch(t, simAddr)
	r2, ts2, c2 := start(st)
	defer func() { ts2.Close(); r2.Close(ctx) }()
	time.Sleep(300 * time.Millisecond) // resumed, the foreign batch found and polled while it runs
	simBatchesOf(t, simAddr, "anthropic", &sim.BatchControl{})
	done := awaitMessageBatch(t, c2, created.ID)
	if done.RequestCounts.Succeeded != 2 {
		for id, res := range messageResults(t, c2, created.ID) {
			t.Logf("%s: %s", id, res.RawJSON())
		}
		t.Fatalf("resumed = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, simAddr, "anthropic", nil); n.Created != 1 || n.Lines != 2 || n.Cancelled != 0 {
		t.Fatalf("Anthropic saw %+v, want the foreign batch only, never cancelled", n)
	}
	endMessageBatch(t, simAddr, foreign)
	if err := r2.Recorder.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	live := 0
	for _, rec := range records() {
		if rec.Batch == record.BatchProvider {
			t.Errorf("request %s recorded as answered by a provider batch (the foreign one)", rec.RequestID)
		}
		if rec.Deployment == "claude-haiku-4-5" && rec.Status == 200 {
			live++
		}
	}
	if live != 2 {
		t.Errorf("%d requests answered live, want the two lines", live)
	}
}
