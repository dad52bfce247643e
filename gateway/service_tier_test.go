package gateway

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

// The tier the upstream says served the answer prices it: priority at
// the standard price times cost.priority_multiplier (2.5: the record says
// the price is the multiplier's), flex at the batch price (half the
// configured price: batches.discount).
func TestServedTierPricesTheAnswer(t *testing.T) {
	for _, tt := range []struct {
		tier   llm.ServiceTier
		cost   float64
		source string
	}{
		{llm.TierPriority, 50e-6, "multiplier"},
		{llm.TierFlex, 10e-6, "batch discount"},
		{llm.TierDefault, 20e-6, ""},
	} {
		p := &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
			return llmtest.Script{Events: llmtest.Chunks(
				&llm.Chunk{Model: req.Model, ServiceTier: tt.tier, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Role: llm.RoleAssistant, Content: "ok"}, FinishReason: llm.FinishStop}}},
				&llm.Chunk{Model: req.Model, ServiceTier: tt.tier, Usage: &llm.Usage{PromptTokens: 10, CompletionTokens: 10, ServiceTier: tt.tier}},
			)}
		}}
		g, flush := recordingGateway(t, p)
		var served llm.Served
		resp, err := g.Chat(context.Background(), hello("a"), nil, &served)
		if err != nil {
			t.Fatal(err)
		}
		recs := flush()
		if resp.ServiceTier != tt.tier || served.CostUSD != tt.cost || len(recs) != 1 || recs[0].CostUSD != tt.cost || recs[0].TierPrice != tt.source {
			t.Errorf("%s: tier %q, served cost %v, records %+v", tt.tier, resp.ServiceTier, served.CostUSD, recs)
		}
	}
}

// A flex request refused for want of capacity (OpenAI: 429
// resource_unavailable) fails over like any retryable error.
func TestFlexUnavailableFailsOver(t *testing.T) {
	p := newFake(map[string]*llm.Error{"a": {Kind: llm.KindRateLimit, Retryable: true, Code: "resource_unavailable", Message: "upstream p returned 429: Resource unavailable"}})
	g := newTestGateway(t, p)
	req := hello("r")
	req.ServiceTier = llm.TierFlex
	var served llm.Served
	if _, err := g.Chat(context.Background(), req, nil, &served); err != nil {
		t.Fatal(err)
	}
	if served.Deployment != "b" {
		t.Errorf("served by %q, want b after a's 429", served.Deployment)
	}
}

// A flex request's attempts on deployments that take the tier wait for
// their first token as long as the route's deadline allows (no derived
// first-token timeout: flex answers queue); the others (Claude, sent
// standard_only, among them), and any timeout the route sets explicitly,
// keep theirs.
func TestFlexWaitsForTheRouteBudget(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  oa: {kind: openai, api_key: k}
  g: {kind: gemini, api_key: k}
  an: {kind: anthropic, api_key: k}
deployments:
  flexible: {provider: oa, model: o3}
  other: {provider: g, model: gemini-2.5-flash}
  claude: {provider: an, model: claude-haiku-4-5}
routes:
  derived: {deployments: [flexible, other, claude], tiers: {count: 1}}
  explicit: {deployments: [flexible, other, claude], tiers: {count: 1, ttft_timeout: 700ms}}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	g, err := New(cfg, Options{Providers: map[string]llm.ChatProvider{"oa": newFake(nil), "g": newFake(nil), "an": newFake(nil)},
		Classify: func(*llm.Request) route.Features { return route.Features{Category: llm.CategoryChat, Confidence: 0.9} }})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		route string
		tier  llm.ServiceTier
		want  map[string]time.Duration // 0: the tier's
	}{
		{"derived", llm.TierFlex, map[string]time.Duration{"flexible": -1, "other": config.DefaultTierTTFTTimeout, "claude": config.DefaultTierTTFTTimeout}},
		{"derived", llm.TierDefault, map[string]time.Duration{"flexible": config.DefaultTierTTFTTimeout, "other": config.DefaultTierTTFTTimeout, "claude": config.DefaultTierTTFTTimeout}},
		{"explicit", llm.TierFlex, map[string]time.Duration{"flexible": 700 * time.Millisecond, "other": 700 * time.Millisecond, "claude": 700 * time.Millisecond}},
	} {
		req := hello(tc.route)
		req.ServiceTier = tc.tier
		plan, err := g.policy.Plan(&route.Input{Model: tc.route, Features: g.classify(req)})
		if err != nil {
			t.Fatal(err)
		}
		tier := g.dispatchPlan(plan, req).Tiers[0]
		for j, tg := range tier.Targets {
			got := tier.TTFTTimeout
			if j < len(tier.TTFTTimeouts) && tier.TTFTTimeouts[j] != 0 {
				got = tier.TTFTTimeouts[j]
			}
			if want := tc.want[tg.Deployment.Name]; got != want {
				t.Errorf("%s %s: %s timeout %s, want %s", tc.route, tc.tier, tg.Deployment.Name, got, want)
			}
		}
	}
}

// A flex request that deployment a has no flex capacity for (429
// resource_unavailable, Retry-After 30s) is answered by b, and the
// record's trail says why a was passed over; the next flex request skips
// a for the Retry-After without calling it. The shortage is no limit of
// a's standard traffic: a default request that follows is served by a,
// and a has no rate limit window and no failure on record. A 429 of a's
// rate limit (rate_limit_exceeded, shared by every tier) still opens the
// window, and the default request goes to b.
func TestFlexUnavailableLeavesStandardTraffic(t *testing.T) {
	for _, tc := range []struct {
		code, standardServedBy string
	}{
		{llm.CodeFlexUnavailable, "a"},
		{"rate_limit_exceeded", "b"},
	} {
		var flexCalls atomic.Int32
		p := &llmtest.Provider{Func: func(_ context.Context, req *llm.Request, _ int) llmtest.Script {
			if req.Model == "a" && req.ServiceTier == llm.TierFlex {
				flexCalls.Add(1)
				return llmtest.Script{Err: &llm.Error{Kind: llm.KindRateLimit, Retryable: true, Code: tc.code, RetryAfter: 30 * time.Second,
					Message: "upstream p returned 429: Resource Unavailable"}}
			}
			return answer(req.Model)
		}}
		g, flush := recordingGateway(t, p)
		req := hello("r")
		req.ServiceTier = llm.TierFlex
		var served llm.Served
		if _, err := g.Chat(context.Background(), req, nil, &served); err != nil || served.Deployment != "b" {
			t.Fatalf("%s: flex served by %q (%v), want b", tc.code, served.Deployment, err)
		}
		if _, err := g.Chat(context.Background(), req, nil, &served); err != nil || served.Deployment != "b" || flexCalls.Load() != 1 {
			t.Errorf("%s: second flex request served by %q (%v) after %d flex calls to a, want b after 1", tc.code, served.Deployment, err, flexCalls.Load())
		}
		if _, err := g.Chat(context.Background(), hello("r"), nil, &served); err != nil || served.Deployment != tc.standardServedBy {
			t.Errorf("%s: default served by %q (%v), want %s", tc.code, served.Deployment, err, tc.standardServedBy)
		}
		limited := !g.Health().Status("a").RateLimitedUntil.IsZero()
		if limited != (tc.code != llm.CodeFlexUnavailable) {
			t.Errorf("%s: a rate limited %v", tc.code, limited)
		}
		recs := flush()
		if len(recs) != 3 || len(recs[0].Trail) != 2 || len(recs[1].Trail) != 1 {
			t.Fatalf("%s: records %+v", tc.code, recs)
		}
		if a := recs[0].Trail[0]; a.Deployment != "a" || a.ErrorKind != llm.KindRateLimit || a.ErrorCode != tc.code {
			t.Errorf("%s: first attempt %+v", tc.code, a)
		}
	}
}
