package gateway

import (
	"context"
	"strings"
	"sync"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/record"
	"switchyard/route"
)

// newCutter returns an upstream that streams "partial answer" and then
// fails, with no usage, for the models in cut; other models get answer.
func newCutter(cut map[string]bool) *llmtest.Provider {
	return &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
		if !cut[req.Model] {
			return answer(req.Model)
		}
		return llmtest.Script{Events: []llmtest.Event{
			{Chunk: &llm.Chunk{Model: req.Model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "partial answer"}}}}},
			{Err: &llm.Error{Kind: llm.KindUpstream, Retryable: true, Message: "connection reset mid-stream"}},
		}}
	}}
}

// recordingGateway is newTestGateway with a recorder whose records
// flush() returns, and a latency budget of a minute: the billing tests
// are about what is recorded, and a 50ms wall-clock budget made them fail
// now and then on a busy machine (a retry's jittered backoff ate it).
func recordingGateway(t *testing.T, p llm.ChatProvider) (*Gateway, func() []record.Record) {
	t.Helper()
	return recordingGatewayWith(t, p, gwConfig)
}

// recordingGatewayWith is recordingGateway on the configuration text.
func recordingGatewayWith(t *testing.T, p llm.ChatProvider, text string) (*Gateway, func() []record.Record) {
	t.Helper()
	cost.Warm() // counts in tests are the tokenizer's, not the 4-bytes fallback of a cold start
	cfg, err := config.Parse([]byte(strings.Replace(text, "total: 50ms", "total: 1m", 1)), nil)
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var recs []record.Record
	rc := record.NewRecorder(16, record.SinkFunc(func(r *record.Record) { mu.Lock(); recs = append(recs, *r); mu.Unlock() }))
	g, err := New(cfg, Options{Recorder: rc, Providers: map[string]llm.ChatProvider{"p": p},
		Classify: func(*llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.8, PromptTokens: 12}
		}})
	if err != nil {
		t.Fatal(err)
	}
	return g, func() []record.Record {
		rc.Close(context.Background())
		mu.Lock()
		defer mu.Unlock()
		return recs
	}
}

// Every cent is accounted for: an attempt abandoned mid-answer is billed
// (its usage estimated, as the upstream sent none) on top of the one that
// served, whose cost alone is the served cost.
func TestAbandonedAttemptIsBilled(t *testing.T) {
	g, flush := recordingGateway(t, newCutter(map[string]bool{"a": true}))
	var served llm.Served
	if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	recs := flush()
	if len(recs) != 1 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	if len(r.Billed) != 2 || r.Billed[0].Deployment != "a" || !r.Billed[0].Usage.Estimated || r.Billed[0].Usage.CompletionTokens == 0 {
		t.Fatalf("billed %+v", r.Billed)
	}
	if b := r.Billed[1]; b.Deployment != "b" || !b.Served || b.Usage.Estimated || b.CostUSD != served.CostUSD {
		t.Errorf("served attempt %+v, served cost %v", b, served.CostUSD)
	}
	if want := llm.RoundUSD(r.Billed[0].CostUSD + r.Billed[1].CostUSD); r.CostUSD != want || r.Billed[0].CostUSD <= 0 {
		t.Errorf("record cost %v, want the sum %v", r.CostUSD, want)
	}
	if r.ServedCostUSD != served.CostUSD || r.ServedCostUSD >= r.CostUSD || r.CostUnknown || served.CostUnknown {
		t.Errorf("record served cost %v (header %v), total %v, unknown %v: the served cost is the answer's alone",
			r.ServedCostUSD, served.CostUSD, r.CostUSD, r.CostUnknown)
	}
	if !r.UsageEstimated() {
		t.Error("record not marked estimated")
	}
}

// A stream cut after its first chunk is recorded with the tokens the
// upstream generated and bills, not 0 tokens and $0.
func TestCutStreamIsBilled(t *testing.T) {
	g, flush := recordingGateway(t, newCutter(map[string]bool{"a": true}))
	var served llm.Served
	s, err := g.Stream(context.Background(), hello("r"), nil, &served)
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := s.Next(); err != nil {
			break
		}
	}
	s.Close()
	r := flush()[0]
	if !r.StreamFailed || !r.Usage.Estimated || r.Usage.CompletionTokens != 2 || r.Usage.PromptTokens != 12 || r.CostUSD <= 0 {
		t.Errorf("record %+v", r)
	}
	if served.CostUSD != r.CostUSD || r.ServedCostUSD != r.CostUSD {
		t.Errorf("served cost %v, record %v (served %v)", served.CostUSD, r.CostUSD, r.ServedCostUSD)
	}
}

// unpricedConfig is gwConfig with a deployment whose price nobody knows:
// no price configured, and a model the catalog does not list.
var unpricedConfig = strings.Replace(gwConfig, "a: {provider: p, price: {input: 1, output: 1}}", "a: {provider: p, model: local-llama}", 1)

// An attempt on a deployment without a price is billed as unknown, not as
// $0: the record says its cost is unknown, the served cost stays the
// priced answer's.
func TestUnknownPriceAttemptIsMarked(t *testing.T) {
	g, flush := recordingGatewayWith(t, newCutter(map[string]bool{"local-llama": true}), unpricedConfig)
	var served llm.Served
	if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil {
		t.Fatal(err)
	}
	r := flush()[0]
	if len(r.Billed) != 2 || !r.Billed[0].CostUnknown || r.Billed[0].CostUSD != 0 || r.Billed[1].CostUnknown {
		t.Fatalf("billed %+v", r.Billed)
	}
	if !r.CostUnknown || !r.Trail[0].CostUnknown || r.Trail[1].CostUnknown {
		t.Errorf("record cost_unknown %v, trail %+v", r.CostUnknown, r.Trail)
	}
	if served.CostUnknown || served.CostUSD <= 0 || r.ServedCostUSD != served.CostUSD || r.CostUSD != served.CostUSD {
		t.Errorf("served %+v, record served %v total %v", served, r.ServedCostUSD, r.CostUSD)
	}
}

// An answer from a deployment without a price has an unknown served
// cost, on a complete answer and on a stream.
func TestUnknownPriceAnswer(t *testing.T) {
	for _, stream := range []bool{false, true} {
		g, flush := recordingGatewayWith(t, newCutter(nil), unpricedConfig)
		served := serveOnce(t, g, stream, "r", "r")
		r := flush()[0]
		if served.Deployment != "a" || !served.CostUnknown || served.CostUSD != 0 || !r.CostUnknown || r.ServedCostUSD != 0 {
			t.Errorf("stream=%v: served %+v, record cost_unknown %v served %v", stream, served, r.CostUnknown, r.ServedCostUSD)
		}
	}
}
