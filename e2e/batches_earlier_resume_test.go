package e2e

import (
	"context"
	"encoding/json"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/demo"
	"switchyard/llm"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/store"
)

// toolsLine is a Chat Completions line with function tools to terra
// (gpt-5.6-terra): forwarded to a provider batch of /v1/responses.
const toolsLine = `{"custom_id":"tools","method":"POST","url":"/v1/chat/completions","body":{"model":"terra","messages":[{"role":"user","content":"call get_weather for Oslo"}],` +
	`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}}` + "\n"

// A line its provider batch failed with usage (a Responses API response
// of status failed: OpenAI bills it) is left to the router, which stops
// before running it (an interactive request keeps the batch's workers
// waiting: batches.yield_at 1). The router started next on the same store
// — forwarding, or with batches.forward off — runs the line with the
// provider's failed call kept in the store, without asking the provider
// again: the line's record bills that call first, and the Batch object's
// total_cost_usd has it beside cost_usd, the served cost.
func TestBatchFailedCallKeptAcrossRestart(t *testing.T) {
	t.Parallel()
	for _, forward := range []string{config.BatchForwardAuto, config.BatchForwardOff} {
		t.Run(forward, func(t *testing.T) { testBatchFailedCallKept(t, forward) })
	}
}

func testBatchFailedCallKept(t *testing.T, forward string) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	hang := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-hang }))
	defer slow.Close()
	st := storeBackends[0].open(t)
	start := func(forward string) (*server.Router, *httptest.Server, openai.Client) {
		cfg := demo.Config(simAddr, "")
		cfg.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}}
		cfg.Deployments["terra"] = &config.Deployment{Name: "terra", Provider: "openai", Model: "gpt-5.6-terra",
			Capabilities: []llm.Capability{llm.CapTools, llm.CapStreaming, llm.CapBatch}}
		cfg.Providers["slow"] = &config.Provider{Name: "slow", Kind: config.KindOpenAI, BaseURL: slow.URL + "/v1", APIKey: "sk-slow"}
		cfg.Deployments["slow"] = &config.Deployment{Name: "slow", Provider: "slow", Model: "gpt-4o-mini"}
		cfg.Batches.PollInterval, cfg.Batches.YieldAt, cfg.Batches.Forward = 100*time.Millisecond, 1, forward
		if err := cfg.Validate(); err != nil {
			t.Fatal(err)
		}
		r, err := server.NewRouter(cfg, server.RouterOptions{Store: st, Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(r)
		return r, ts, openai.NewClient(option.WithBaseURL(ts.URL+"/v1"), option.WithAPIKey(respKeyA), option.WithMaxRetries(0))
	}
	simBatches(t, simAddr, &sim.BatchControl{FailResponses: 1})
	r, ts, c := start(config.BatchForwardAuto)
	go c.Chat.Completions.New(context.Background(), openai.ChatCompletionNewParams{Model: "slow", // in flight until hang is closed
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("wait")}})
	created := newBatch(t, c, openai.BatchNewParamsEndpointV1ChatCompletions, toolsLine, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if rs, err := st.(store.BatchLog).BatchRetries(ctx, respTenantA, created.ID); err == nil && len(rs) == 1 && rs[0].Earlier != nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the provider batch's failed line was not left to the router")
		}
	}
	if err := r.Close(ctx); err != nil {
		t.Fatalf("close: %v", err)
	}
	close(hang)
	ts.Close()
	if ls, err := st.(store.BatchLog).BatchLines(ctx, respTenantA, created.ID); err != nil || len(ls) != 0 {
		t.Fatalf("lines kept before the restart: %+v, %v; want none (the line was left unrun)", ls, err)
	}
	asked := simBatches(t, simAddr, nil)
	r2, ts2, c2 := start(forward)
	defer func() { ts2.Close(); r2.Close(ctx) }()
	done := awaitBatch(t, c2, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 1 {
		t.Fatalf("resumed = %s", done.RawJSON())
	}
	if n := simBatches(t, simAddr, nil); n != asked {
		t.Errorf("the provider saw %+v after the restart, %+v before; want it not asked again", n, asked)
	}
	line := fileLines(t, c2, done.OutputFileID)["tools"]
	status, _, id := lineBody(line)
	if status != 200 || id == "" {
		t.Fatalf("line %v", line)
	}
	rec := storedRecord(t, st, id)
	if len(rec.Attempts) != 2 || rec.Attempts[0].Deployment != "terra" || rec.Attempts[0].Outcome != "error" || rec.Attempts[0].ErrorCode != "server_error" ||
		rec.Attempts[0].Tokens.Prompt == 0 || rec.Attempts[0].CostUSD <= 0 || rec.Attempts[1].Outcome != "ok" {
		t.Fatalf("attempts %+v, want the provider batch's failed call billed, then the answer", rec.Attempts)
	}
	if rec.CostUSD <= rec.ServedCostUSD || rec.ServedCostUSD <= 0 {
		t.Errorf("record cost %v, served %v", rec.CostUSD, rec.ServedCostUSD)
	}
	var costs struct {
		Cost  float64 `json:"cost_usd"`
		Total float64 `json:"total_cost_usd"`
	}
	if err := json.Unmarshal([]byte(done.RawJSON()), &costs); err != nil {
		t.Fatal(err)
	}
	resp, _ := line["response"].(map[string]any)
	if math.Abs(costs.Cost-rec.ServedCostUSD) > 1e-9 || math.Abs(costs.Total-rec.CostUSD) > 1e-9 || resp["total_cost_usd"] != rec.CostUSD {
		t.Errorf("batch cost_usd %v, total_cost_usd %v, line %v; want the record's served %v and total %v", costs.Cost, costs.Total, resp, rec.ServedCostUSD, rec.CostUSD)
	}
}

// storedRecord waits for the request log's row of request id in st.
func storedRecord(t *testing.T, st store.Store, id string) *store.Request {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if r, err := st.Get(context.Background(), store.TenantScope(respTenantA), id); err == nil {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("no record of %s", id)
		}
	}
}
