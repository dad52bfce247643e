package gateway

import (
	"testing"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// TestWithContinuation: anthropic deployments continue prefills unless
// configured "none"; others only when configured.
func TestWithContinuation(t *testing.T) {
	tests := []struct {
		kind, configured string
		want             llm.Continuation
	}{
		{"anthropic", "", llm.ContinueAnthropic},
		{"anthropic", "none", llm.ContinueNone},
		{"openai", "", llm.ContinueNone},
		{"openai", "vllm", llm.ContinueVLLM},
		{"gemini", "", llm.ContinueNone},
	}
	for _, tt := range tests {
		cd := &config.Deployment{Name: "d", Provider: "p", Continuation: tt.configured}
		if got := withContinuation(cd.LLM(), cd, tt.kind).Continuation; got != tt.want {
			t.Errorf("%s/%q: %q, want %q", tt.kind, tt.configured, got, tt.want)
		}
	}
}

// TestResumedCost: the broken attempt's estimate is billed and priced at
// its deployment, the rest at the continuing one's; the record keeps the total.
func TestResumedCost(t *testing.T) {
	g := &Gateway{byName: map[string]*Target{
		"a": {Deployment: llm.Deployment{Name: "a", InputPricePerM: 1, OutputPricePerM: 2}},
		"b": {Deployment: llm.Deployment{Name: "b", InputPricePerM: 10, OutputPricePerM: 20}},
	}}
	r := &dispatch.Resumption{From: "a", To: "b", FromUsage: llm.Usage{PromptTokens: 100, CompletionTokens: 10, TotalTokens: 110, Estimated: true}}
	total := llm.Usage{PromptTokens: 300, CompletionTokens: 60, TotalTokens: 360}
	want := (100*1+10*2)/1e6 + (200*10+50*20)/1e6
	var rec record.Record
	if got := g.billResumed(&rec, r, total); got < want-1e-12 || got > want+1e-12 {
		t.Errorf("cost %v, want %v", got, want)
	}
	if len(rec.Billed) != 2 || rec.Billed[0].Deployment != "a" || !rec.Billed[0].Usage.Estimated || rec.Billed[0].Served ||
		rec.Billed[1].Deployment != "b" || !rec.Billed[1].Served || rec.Billed[1].Usage.PromptTokens != 200 {
		t.Errorf("billed %+v", rec.Billed)
	}
	if rec.Usage != total {
		t.Errorf("record usage %+v, want the total %+v", rec.Usage, total)
	}
}

// TestDispatchPlanResume: every route resumes, built-in ones included,
// except those configured with resume: false; a plan without a route
// does not.
func TestDispatchPlanResume(t *testing.T) {
	off := false
	cfg := &config.Config{Routes: map[string]*config.Route{"strict": {Name: "strict", Resume: &off}, "auto": {Name: "auto"}}}
	g := &Gateway{noResume: nonResumingRoutes(cfg)}
	for name, want := range map[string]bool{"auto": true, "auto-best": true, "strict": false, "": false} {
		if got := g.dispatchPlan(&route.Plan{Route: name}, hello(name)).Resume; got != want {
			t.Errorf("route %q: resume %v, want %v", name, got, want)
		}
	}
}

// TestResumedCostSoFar: a broken attempt billed its upstream's report on
// the way (its cache reads and writes, its web searches) keeps them, and
// the continuation is billed only its own: the stream's usage, the sum of
// both, less the broken attempt's, field by field.
func TestResumedCostSoFar(t *testing.T) {
	g := &Gateway{byName: map[string]*Target{
		"a": {Deployment: llm.Deployment{Name: "a", InputPricePerM: 1, OutputPricePerM: 2, CachedInputPricePerM: 0.1, CacheWritePricePerM: 1.25}},
		"b": {Deployment: llm.Deployment{Name: "b", InputPricePerM: 10, OutputPricePerM: 20}},
	}}
	from := llm.Usage{PromptTokens: 1000, CachedPromptTokens: 600, CacheWriteTokens: 300, CompletionTokens: 10, TotalTokens: 1010, WebSearchRequests: 1, Estimated: true}
	cont := llm.Usage{PromptTokens: 200, CompletionTokens: 50, TotalTokens: 250}
	total := cont
	total.Add(from)
	var rec record.Record
	g.billResumed(&rec, &dispatch.Resumption{From: "a", To: "b", FromUsage: from}, total)
	if len(rec.Billed) != 2 || rec.Billed[0].Usage != from || rec.Billed[1].Usage != cont {
		t.Errorf("billed %+v, want %+v then %+v", rec.Billed, from, cont)
	}
}
