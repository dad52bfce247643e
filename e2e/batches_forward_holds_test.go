package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/demo"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/state"
	"switchyard/store"
)

// A forwarded line's estimate stays held against its hard budgets while
// its provider batch runs (the simulators hold their batches until the
// test releases them): a second batch's lines past what the holds leave
// run on the router and meet the budget's 429, as do live requests; the
// results settle at their real cost, freeing the difference; a cancel
// releases; a router resuming the batch holds its lines again (memory)
// or finds them held (Redis), never twice.

// holdBudget is a daily hard budget of tenant acme of limit tokens.
func holdBudget(limit int64) config.Budget {
	return config.Budget{Name: "acme-tokens", Scope: config.ScopeTenant, Match: respTenantA, Period: config.PeriodDaily,
		LimitTokens: limit, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}
}

// holdLimit holds three of the lines below (about 1,015 tokens each:
// their prompt and max_tokens), not four.
const holdLimit = 3500

// heldLine is a chat line of gpt-4o-mini whose estimate is its prompt and
// max_tokens 1000.
func heldLine(id string) string {
	return batchLine(id, "/v1/chat/completions", `{"model":"gpt-4o-mini","max_tokens":1000,"messages":[{"role":"user","content":"Capital of Peru? One word."}]}`)
}

// liveChat is a live request of acme with max_tokens 1000.
var liveChat = []byte(`{"model":"gpt-4o-mini","max_tokens":1000,"messages":[{"role":"user","content":"Capital of Chile? One word."}]}`)

// budgetUsage is acme-tokens' use as r sees it.
func budgetUsage(t *testing.T, r *server.Router) state.Usage {
	t.Helper()
	r.Gateway.Budgets().Wait() // on Redis, requests settle off their path
	u, ok, err := r.Gateway.Budgets().Usage(ctxT(t), "acme-tokens", respTenantA)
	if err != nil || !ok {
		t.Fatalf("usage: %v %v", ok, err)
	}
	return u
}

// awaitUsage polls r's acme-tokens until want holds of it.
func awaitUsage(t *testing.T, r *server.Router, what string, want func(state.Usage) bool) state.Usage {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		u := budgetUsage(t, r)
		if want(u) {
			return u
		}
		if time.Now().After(deadline) {
			t.Fatalf("acme-tokens never %s: %+v", what, u)
		}
	}
}

// awaitPolls waits until the OpenAI simulator at simAddr was polled more
// than n times.
func awaitPolls(t *testing.T, simAddr string, n int) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); simBatches(t, simAddr, nil).Polls <= n; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the provider batch was never polled")
		}
	}
}

// usedTokens sums the usage of the answers in a batch's output file.
func usedTokens(t *testing.T, c openai.Client, b *openai.Batch) int64 {
	t.Helper()
	var n int64
	for id, l := range fileLines(t, c, b.OutputFileID) {
		_, body, _ := lineBody(l)
		u, _ := body["usage"].(map[string]any)
		total, _ := u["total_tokens"].(float64)
		if total == 0 {
			t.Fatalf("line %s has no usage: %v", id, l)
		}
		n += int64(total)
	}
	return n
}

func TestBatchesForwardHoldBudget(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Budgets = []config.Budget{holdBudget(holdLimit)}
	})
	simBatches(t, e.SimAddr, &sim.BatchControl{Hold: true})
	first := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b"), nil)
	one := awaitUsage(t, e.Router, "holding the first batch", func(u state.Usage) bool { return u.Reserved >= 2000 })
	if one.Reserved > 2200 || one.Spent != 0 {
		t.Fatalf("after the first batch %+v, want its two lines' estimates held", one)
	}
	// The lines are held (Split) before their provider batch is made
	// (Submit): on a loaded machine the second batch's could be made
	// first, and the provider counts read below would miss the first's.
	made := func(n sim.BatchCounts) bool { return n.Created > 0 }
	if n := awaitSim(t, e.SimAddr, "openai", "made the first batch's provider batch", made); n.Created != 1 || n.Lines != 2 {
		t.Fatalf("the provider saw %+v, want the first batch's two lines", n)
	}
	second := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("c")+heldLine("d"), nil)
	// The line past the budget, refused for the holds (retryable), is sent
	// again for 15 s (1+2+4+8) before its refusal is kept.
	for deadline := time.Now().Add(45 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		b, err := e.Client.Batches.Get(ctxT(t), second.ID)
		if err != nil {
			t.Fatal(err)
		}
		if b.RequestCounts.Failed == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the second batch's line past the budget never ran: %s", b.RawJSON())
		}
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 2 || n.Lines != 3 {
		t.Fatalf("the provider saw %+v, want the first batch's two lines and one of the second's", n)
	}
	held := budgetUsage(t, e.Router)
	if held.Reserved <= one.Reserved || held.Reserved > holdLimit {
		t.Fatalf("held %+v, want three lines' estimates", held)
	}
	resp, body := post(t, e.URL+"/v1/chat/completions", respKeyA, liveChat)
	wantRefusal(t, resp, body, 429, budget.CodeBudgetExceeded, "acme-tokens")

	simBatches(t, e.SimAddr, &sim.BatchControl{})
	done1 := awaitBatch(t, e.Client, first.ID, openai.BatchStatusCompleted)
	done2 := awaitBatch(t, e.Client, second.ID, openai.BatchStatusCompleted)
	if done1.RequestCounts.Completed != 2 || done2.RequestCounts.Completed != 1 || done2.RequestCounts.Failed != 1 {
		t.Fatalf("ended %s and %s", done1.RawJSON(), done2.RawJSON())
	}
	errs := fileLines(t, e.Client, done2.ErrorFileID)
	if status, body, _ := lineBody(errs["d"]); status != 429 || !strings.Contains(fmt.Sprint(body), budget.CodeBudgetExceeded) {
		t.Errorf("the line past the budget = %v, want the budget's 429", errs["d"])
	}
	spent := usedTokens(t, e.Client, done1) + usedTokens(t, e.Client, done2)
	if u := budgetUsage(t, e.Router); u.Reserved != 0 || u.Spent != spent {
		t.Errorf("settled %+v, want the answers' %d tokens spent and nothing held", u, spent)
	}
	if resp, body := post(t, e.URL+"/v1/chat/completions", respKeyA, liveChat); resp.StatusCode != 200 {
		t.Errorf("a live request once the lines settled: %d %s", resp.StatusCode, body)
	}
}

// A batch cancelled while its provider batch runs, before the provider
// answered any of its lines, releases their holds, charging nothing
// (once the provider batch ended: it is held cancelling until then).
func TestBatchesForwardHoldCancelled(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Budgets = []config.Budget{holdBudget(holdLimit)}
	})
	simBatches(t, e.SimAddr, &sim.BatchControl{Hold: true})
	b := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b"), nil)
	awaitUsage(t, e.Router, "holding the batch", func(u state.Usage) bool { return u.Reserved >= 2000 })
	awaitPolls(t, e.SimAddr, 0) // its provider batch made
	if _, err := e.Client.Batches.Cancel(ctxT(t), b.ID); err != nil {
		t.Fatal(err)
	}
	awaitCancelling(t, e.SimAddr, "openai")
	simBatches(t, e.SimAddr, &sim.BatchControl{})
	awaitBatch(t, e.Client, b.ID, openai.BatchStatusCancelled)
	if u := budgetUsage(t, e.Router); u.Reserved != 0 || u.Spent != 0 {
		t.Errorf("after the cancel %+v, want nothing held or spent", u)
	}
}

// holdRouter starts a router of the demo configuration on the simulators
// at simAddr and the store st, with acme's key, the budget and edit.
func holdRouter(t *testing.T, simAddr string, st store.Store, edit func(*config.Config)) (*server.Router, *httptest.Server, openai.Client) {
	t.Helper()
	cfg := demo.Config(simAddr, "")
	cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
	cfg.Batches.PollInterval = 100 * time.Millisecond
	cfg.Budgets = []config.Budget{holdBudget(holdLimit)}
	if edit != nil {
		edit(cfg)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
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

// stop shuts r and ts down, as a router stopping: its batches resume on
// another.
func stop(t *testing.T, r *server.Router, ts *httptest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
}

// A router restarted with the budgets in memory (their holds gone with
// the process) holds the lines at the provider again when it resumes
// their batch, and settles them once.
func TestBatchesForwardHoldResumedInMemory(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t)
	simBatches(t, simAddr, &sim.BatchControl{Hold: true})
	r1, ts1, c1 := holdRouter(t, simAddr, st, nil)
	b := newBatch(t, c1, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b"), nil)
	held := awaitUsage(t, r1, "holding the batch", func(u state.Usage) bool { return u.Reserved >= 2000 })
	awaitPolls(t, simAddr, 0) // its id kept: the resume polls it
	stop(t, r1, ts1)
	r2, ts2, c2 := holdRouter(t, simAddr, st, nil)
	awaitUsage(t, r2, "held again", func(u state.Usage) bool { return u.Reserved == held.Reserved })
	resp, body := post(t, ts2.URL+"/v1/chat/completions", respKeyA, []byte(`{"model":"gpt-4o-mini","max_tokens":2000,"messages":[{"role":"user","content":"Hi."}]}`))
	wantRefusal(t, resp, body, 429, budget.CodeBudgetExceeded, "acme-tokens")
	simBatches(t, simAddr, &sim.BatchControl{})
	done := awaitBatch(t, c2, b.ID, openai.BatchStatusCompleted)
	if u := budgetUsage(t, r2); u.Reserved != 0 || u.Spent != usedTokens(t, c2, done) {
		t.Errorf("settled %+v, want the answers' tokens spent once and nothing held", u)
	}
	if n := simBatches(t, simAddr, nil); n.Created != 1 {
		t.Errorf("the provider saw %d batches, want 1", n.Created)
	}
}

// Two routers sharing Redis see one hold: the second refuses a live
// request the first's forwarded lines leave no room for; when the first
// stops, the second resumes the batch and finds its lines held (not held
// twice), and settles them once.
func TestBatchesForwardHoldSharedInRedis(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t)
	prefix := fmt.Sprintf("e2e-holds-%d:", time.Now().UnixNano())
	shared := func(c *config.Config) {
		c.State = config.State{Driver: config.StateRedis, Addr: "127.0.0.1:6379", Prefix: prefix}
		c.Batches.Lease = 3 * time.Second // the second claims the first's batch within a second
	}
	simBatches(t, simAddr, &sim.BatchControl{Hold: true})
	r1, ts1, c1 := holdRouter(t, simAddr, st, shared)
	r2, ts2, c2 := holdRouter(t, simAddr, st, shared)
	b := newBatch(t, c1, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b"), nil)
	held := awaitUsage(t, r2, "holding the batch", func(u state.Usage) bool { return u.Reserved >= 2000 })
	awaitPolls(t, simAddr, 0)
	resp, body := post(t, ts2.URL+"/v1/chat/completions", respKeyA, []byte(`{"model":"gpt-4o-mini","max_tokens":2000,"messages":[{"role":"user","content":"Hi."}]}`))
	wantRefusal(t, resp, body, 429, budget.CodeBudgetExceeded, "acme-tokens")
	polls := simBatches(t, simAddr, nil).Polls
	stop(t, r1, ts1)
	awaitPolls(t, simAddr, polls+1) // the second router resumed the batch: it held its lines again first
	if u := budgetUsage(t, r2); u.Reserved != held.Reserved {
		t.Fatalf("after the resume %+v, want the lines held once (%d)", u, held.Reserved)
	}
	simBatches(t, simAddr, &sim.BatchControl{})
	done := awaitBatch(t, c2, b.ID, openai.BatchStatusCompleted)
	if u := budgetUsage(t, r2); u.Reserved != 0 || u.Spent != usedTokens(t, c2, done) {
		t.Errorf("settled %+v, want the answers' tokens spent once and nothing held", u)
	}
}
