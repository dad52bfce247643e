package e2e

import (
	"context"
	"log/slog"
	"math"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// lostForwardIDs is a store that acknowledges the first write of a
// provider batch's id without writing it: the store as a router that
// died between creating a provider batch and keeping its id leaves it.
type lostForwardIDs struct {
	*sqlite.DB
	lost atomic.Bool
}

func (s *lostForwardIDs) SetBatchForwardID(ctx context.Context, tenant, id, key, providerID string) error {
	if s.lost.CompareAndSwap(false, true) {
		return nil
	}
	return s.DB.SetBatchForwardID(ctx, tenant, id, key, providerID)
}

// A router whose provider batch's id never reached the store (it "died"
// between the creation and the write), stopped: the router resuming the
// batch finds the provider batch by the key it was created under (its
// metadata) and polls it, rather than sending the lines again; the
// provider saw one batch, the lines are answered at the batch price.
func TestBatchesForwardFoundByKey(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t).(*sqlite.DB)
	start := func(s store.Store) (*server.Router, *httptest.Server, openai.Client) {
		cfg := demo.Config(simAddr, "")
		cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
		cfg.Batches.PollInterval = 100 * time.Millisecond
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := server.NewRouter(cfg, server.RouterOptions{Store: s, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(r)
		return r, ts, openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	}
	simBatches(t, simAddr, &sim.BatchControl{Delay: 1500 * time.Millisecond})
	r, ts, c := start(&lostForwardIDs{DB: st})
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions,
		chatLine("a", "gpt-4o-mini", "Capital of Peru?")+chatLine("b", "gpt-4o-mini", "Capital of Chile?"), nil)
	for deadline := time.Now().Add(10 * time.Second); simBatches(t, simAddr, nil).Created == 0; time.Sleep(20 * time.Millisecond) {
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
	r2, ts2, c2 := start(st)
	defer func() { ts2.Close(); r2.Close(ctx) }()
	done := awaitBatch(t, c2, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 {
		t.Fatalf("resumed = %s", done.RawJSON())
	}
	if n := simBatches(t, simAddr, nil); n.Created != 1 || n.Lines != 2 {
		t.Fatalf("the provider saw %+v, want the one batch of two lines", n)
	}
	for id, l := range fileLines(t, c2, done.OutputFileID) {
		if _, body, _ := lineBody(l); math.Abs(lineCost(l)-livePrice(body)/2) > 1e-12 {
			t.Errorf("line %s costs %v, want the batch price", id, lineCost(l))
		}
	}
	if fs, err := st.BatchForwards(ctx, respTenantA, created.ID); err != nil || len(fs) != 1 || !strings.HasPrefix(fs[0].ID, "batch_") {
		t.Errorf("kept %+v, %v; want the provider batch's id written once found", fs, err)
	}
}
