package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
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

// Batches forwarded to the provider's own Batch API (the demo declares
// batch on its OpenAI and Anthropic chat deployments; the simulator
// serves OpenAI's Files and Batch APIs and counts what it got): the
// lines whose first choice takes provider batches go there as one
// provider batch, the others run on the router; each forwarded line is
// recorded with the batch's key, marked batch=provider, priced at half
// the live price; a provider batch that cannot be created leaves its
// lines to the router; a cancel is forwarded.

// localBatches runs every line of a batch on the router (the tests of
// its own runner): the demo's OpenAI and Anthropic deployments take
// provider batches.
func localBatches(c *config.Config) { c.Batches.Forward = config.BatchForwardOff }

// simBatches posts ctl (nil: reads only) to the OpenAI simulator's batch
// control at simAddr and returns its counts.
func simBatches(t *testing.T, simAddr string, ctl *sim.BatchControl) sim.BatchCounts {
	t.Helper()
	return simBatchesOf(t, simAddr, "openai", ctl)
}

// simBatchesOf is simBatches for the simulator of wire ("openai",
// "anthropic"; "" for a simulator served alone at simAddr).
func simBatchesOf(t *testing.T, simAddr, wire string, ctl *sim.BatchControl) sim.BatchCounts {
	t.Helper()
	url := "http://" + simAddr + "/" + wire + "/_sim/batches"
	if wire == "" {
		url = "http://" + simAddr + "/_sim/batches"
	}
	var (
		resp *http.Response
		err  error
	)
	if ctl != nil {
		body, _ := json.Marshal(ctl)
		resp, err = http.Post(url, "application/json", bytes.NewReader(body))
	} else {
		resp, err = http.Get(url)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var n sim.BatchCounts
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// forwardEnv is a router recording to a fresh SQLite store that polls
// provider batches every 100 ms.
func forwardEnv(t *testing.T) *env {
	t.Helper()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Auth.AdminKeys = []config.AdminKey{{Key: forwardAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	return e
}

// forwardAdmin is forwardEnv's admin key.
const forwardAdmin = "sk-forward-admin-0123456789"

// livePrice is what usage costs at gpt-4o-mini's demo prices ($0.15 and
// $0.60 per 1M tokens).
func livePrice(body map[string]any) float64 {
	u, _ := body["usage"].(map[string]any)
	p, _ := u["prompt_tokens"].(float64)
	c, _ := u["completion_tokens"].(float64)
	return (p*0.15 + c*0.60) / 1e6
}

// claudePrice is what a chat completion's usage costs at
// claude-haiku-4-5's demo prices ($1 and $5 per 1M tokens).
func claudePrice(body map[string]any) float64 {
	u, _ := body["usage"].(map[string]any)
	p, _ := u["prompt_tokens"].(float64)
	c, _ := u["completion_tokens"].(float64)
	return (p*1 + c*5) / 1e6
}

// lineCost is an output line's cost_usd.
func lineCost(l map[string]any) float64 {
	r, _ := l["response"].(map[string]any)
	c, _ := r["cost_usd"].(float64)
	return c
}

func TestBatchesForwarded(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	input := chatLine("a", "gpt-4o-mini", "Capital of Peru?") + chatLine("b", "gpt-4o-mini", "Capital of Chile?") +
		chatLine("c", "gpt-4o-mini", "Capital of Spain?") + chatLine("local", "gemini-2.5-flash", "Capital of Italy?") +
		chatLine("claude", "claude-haiku-4-5", "Capital of France?")
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 5 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 3 {
		t.Fatalf("OpenAI saw %+v, want one batch of the three gpt-4o-mini lines", n)
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 1 {
		t.Fatalf("Anthropic saw %+v, want one Message Batch of the claude line", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	var total float64
	forwarded := map[string]string{}
	for _, id := range []string{"a", "b", "c", "local", "claude"} {
		status, body, rid := lineBody(out[id])
		choices, _ := body["choices"].([]any)
		if status != 200 || body["object"] != "chat.completion" || len(choices) != 1 || !strings.HasPrefix(rid, "req_") {
			t.Fatalf("line %s = %v", id, out[id])
		}
		if c, _ := body["created"].(float64); !recent(int64(c)) { // a Message Batch's result has no time: stamped
			t.Errorf("line %s: created %v", id, body["created"])
		}
		total += lineCost(out[id])
		if id == "local" {
			continue
		}
		forwarded[rid] = id
		if id == "claude" { // answered by Claude, rendered as a chat completion
			if want := claudePrice(body) / 2; want == 0 || math.Abs(lineCost(out[id])-want) > 1e-12 {
				t.Errorf("the claude line costs %v, want half the live price %v", lineCost(out[id]), want)
			}
			continue
		}
		if want := livePrice(body) / 2; want == 0 || math.Abs(lineCost(out[id])-want) > 1e-12 {
			t.Errorf("line %s costs %v, want half the live price %v", id, lineCost(out[id]), want)
		}
	}
	var sum struct {
		CostUSD float64 `json:"cost_usd"`
	}
	if json.Unmarshal([]byte(done.RawJSON()), &sum); math.Abs(sum.CostUSD-total) > 1e-12 {
		t.Errorf("the batch's cost_usd %v, its lines' %v", sum.CostUSD, total)
	}
	seen := 0
	for _, rec := range e.recorded(t, 5) {
		if id, ok := forwarded[rec.RequestID]; ok {
			seen++
			if rec.Batch != record.BatchProvider || rec.Deployment != map[bool]string{true: "claude-haiku-4-5", false: "gpt-4o-mini"}[id == "claude"] || rec.Tenant != respTenantA || rec.Caller != "acme-app" ||
				rec.Status != 200 || rec.CostUSD <= 0 || rec.Usage.PromptTokens == 0 || rec.Plan == nil {
				t.Errorf("record of a forwarded line: %+v", rec)
			}
			if !strings.HasPrefix(rec.BatchID, "batch_") {
				t.Errorf("a forwarded line's record names the batch %q", rec.BatchID)
			}
		} else if rec.Batch != record.BatchRouter || !strings.HasPrefix(rec.BatchID, "batch_") {
			t.Errorf("a line run on the router marked %q of batch %q", rec.Batch, rec.BatchID)
		}
	}
	if seen != 4 {
		t.Errorf("%d forwarded lines recorded, want 4", seen)
	}
	// The request log says why a line was cheaper (its rows are written
	// off the request's path: polled until they are).
	for rid := range forwarded {
		code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+rid, forwardAdmin)
		for deadline := time.Now().Add(5 * time.Second); code == 404 && time.Now().Before(deadline); {
			time.Sleep(20 * time.Millisecond)
			code, b = callAs(t, http.MethodGet, e.URL+"/admin/requests/"+rid, forwardAdmin)
		}
		var row struct {
			KeyName     string `json:"key_name"`
			Explanation struct {
				Batch string `json:"batch"`
			} `json:"explanation"`
		}
		if code != 200 || json.Unmarshal(b, &row) != nil || row.Explanation.Batch != "provider" || row.KeyName != "acme-app" {
			t.Errorf("GET /admin/requests/%s: %d %s", rid, code, b)
		}
	}
}

// A provider batch that cannot be created (the provider answers 500):
// its lines run on the router, and succeed at the live price.
func TestBatchesForwardCreateFails(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	simBatches(t, e.SimAddr, &sim.BatchControl{FailCreate: 1})
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
		chatLine("a", "gpt-4o-mini", "Capital of Peru?")+chatLine("b", "gpt-4o-mini", "Capital of Chile?"), nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Failed != 1 || n.Created != 0 {
		t.Fatalf("the provider saw %+v, want one refused creation", n)
	}
	for id, l := range fileLines(t, e.Client, done.OutputFileID) {
		if _, body, _ := lineBody(l); math.Abs(lineCost(l)-livePrice(body)) > 1e-12 {
			t.Errorf("line %s run on the router costs %v, want the live price %v", id, lineCost(l), livePrice(body))
		}
	}
}

// A line the provider answered with an error a live request would retry
// (500) runs on the router; one it refused (404, an unknown model) is
// that line's error.
func TestBatchesForwardRetriesLines(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: "gpt-4o-mini", Count: 1})
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
		chatLine("a", "gpt-4o-mini", "Capital of Peru?")+chatLine("b", "gpt-4o-mini", "Capital of Chile?"), nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 2 {
		t.Fatalf("the provider saw %+v", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	var halves int
	for _, l := range out {
		_, body, _ := lineBody(l)
		if math.Abs(lineCost(l)-livePrice(body)/2) < 1e-12 {
			halves++
		}
	}
	if halves != 1 {
		t.Errorf("%d lines at the batch price, want 1 (the other ran on the router): %v", halves, out)
	}
}

// Cancelling a batch whose lines wait in a provider batch cancels the
// provider batch.
func TestBatchesForwardCancel(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	simBatches(t, e.SimAddr, &sim.BatchControl{Delay: time.Hour})
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, chatLine("a", "gpt-4o-mini", "Capital of Peru?"), nil)
	deadline := time.Now().Add(10 * time.Second)
	for simBatches(t, e.SimAddr, nil).Created == 0 {
		if time.Now().After(deadline) {
			t.Fatal("no provider batch was created")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if _, err := e.Client.Batches.Cancel(ctxT(t), created.ID); err != nil {
		t.Fatal(err)
	}
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCancelled)
	if n := simBatches(t, e.SimAddr, nil); n.Cancelled != 1 {
		t.Fatalf("the provider saw %+v, want its batch cancelled", n)
	}
	if done.RequestCounts.Completed != 0 {
		t.Errorf("cancelled = %s", done.RawJSON())
	}
}

// A router shut down while its lines wait in a provider batch: the
// router started on the same store polls that provider batch (kept in
// the store) rather than sending the lines again; the provider saw one
// batch.
func TestBatchesForwardResumedAfterRestart(t *testing.T) {
	t.Parallel()
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	st := storeBackends[0].open(t)
	start := func() (*server.Router, *httptest.Server, openai.Client) {
		cfg := demo.Config(simAddr, "")
		cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
		cfg.Batches.PollInterval = 100 * time.Millisecond
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler), NoRequestLog: true})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(r)
		return r, ts, openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	}
	simBatches(t, simAddr, &sim.BatchControl{Delay: 1500 * time.Millisecond})
	r, ts, c := start()
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions,
		chatLine("a", "gpt-4o-mini", "Capital of Peru?")+chatLine("b", "gpt-4o-mini", "Capital of Chile?"), nil)
	deadline := time.Now().Add(10 * time.Second)
	for {
		fs, err := st.(store.BatchLog).BatchForwards(ctxT(t), respTenantA, created.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(fs) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no provider batch kept")
		}
		time.Sleep(20 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ts.Close()
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	r2, ts2, c2 := start()
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
}

// A line whose hard budget could not pay for it is not forwarded: it
// runs on the router, where the budget refuses it as it would a live
// request; a line it can pay for is forwarded, and charged when its
// answer comes back.
func TestBatchesForwardBudget(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Budgets = []config.Budget{{Name: "acme-usd", Scope: config.ScopeTenant, Match: respTenantA, Period: config.PeriodDaily,
			LimitUSD: 0.01, Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}}
	})
	// gpt-4o's estimate for a long answer is over the budget; gpt-4o-mini's short one is not.
	input := chatLine("cheap", "gpt-4o-mini", "Capital of Peru? One word.") +
		batchLine("dear", "/v1/chat/completions", `{"model":"gpt-4o","max_tokens":10000,"messages":[{"role":"user","content":"Write a long essay on rivers."}]}`)
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 1 {
		t.Fatalf("the provider saw %+v, want the cheap line alone", n)
	}
	errs := fileLines(t, e.Client, done.ErrorFileID)
	if status, body, _ := lineBody(errs["dear"]); status != 429 || !strings.Contains(fmt.Sprint(body), "budget_exceeded") {
		t.Errorf("the dear line = %v, want the budget's 429", errs["dear"])
	}
	charged := false
	for _, rec := range e.recorded(t, 2) {
		if rec.Batch == record.BatchProvider {
			charged = slices.Contains(rec.Budgets, "acme-usd") && rec.CostUSD > 0
		}
	}
	if !charged {
		t.Error("the forwarded line was not charged to the budget")
	}
}
