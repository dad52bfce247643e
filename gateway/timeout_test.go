package gateway

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/health"
	"switchyard/llm"
	"switchyard/route"
)

const ttftConfig = `
providers:
  p: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  own: {provider: p, ttft_timeout: 3s, latency: {ttft: 200ms}}
  declared: {provider: p, latency: {ttft: 900ms, prefill_tokens_per_second: 1000}}
  observed: {provider: p}
  plain: {provider: p}
routes:
  derived:
    deployments: [own, declared, observed, plain]
    tiers: {count: 1}
  explicit:
    deployments: [own, declared, observed, plain]
    tiers: {count: 1, ttft_timeout: 700ms}
`

// A deployment's first-token timeout: the route's explicit one or the
// caller's wins; else its own ttft_timeout; else derived from its declared
// and observed speed, never under the tier's default.
func TestTTFTTimeoutPrecedence(t *testing.T) {
	cfg, err := config.Parse([]byte(ttftConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	tr := health.NewTracker(health.Config{}, nil, health.Options{})
	for i := 0; i < 20; i++ {
		tr.Record(health.Outcome{Deployment: "observed", TTFT: 1200 * time.Millisecond})
	}
	g, err := New(cfg, Options{Health: tr, Providers: map[string]llm.ChatProvider{"p": newFake(nil)},
		Classify: func(*llm.Request) route.Features {
			return route.Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 500}
		}})
	if err != nil {
		t.Fatal(err)
	}
	explain, err := g.Route(context.Background(), hello("derived"), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range explain.Tiers[0].Candidates {
		// declared: 2 x 900ms, + 500 prompt tokens at 1000/s; plain: the
		// tier's 800ms + 100ms at the default 5000/s.
		want := map[string]time.Duration{"own": 3100 * time.Millisecond, "declared": 2300 * time.Millisecond,
			"observed": 2500 * time.Millisecond, "plain": 900 * time.Millisecond}[c.Deployment.Name]
		if c.TTFTTimeout != want {
			t.Errorf("explained timeout of %s: %s, want %s", c.Deployment.Name, c.TTFTTimeout, want)
		}
	}
	if js, _ := json.Marshal(explain); !strings.Contains(string(js), `"ttft_timeout_ms":2300`) {
		t.Errorf("explanation JSON lacks the candidate's timeout: %s", js)
	}
	for _, tc := range []struct {
		name string
		ov   route.Overrides
		want map[string]time.Duration
	}{
		{"derived", route.Overrides{}, map[string]time.Duration{"own": 3 * time.Second, "declared": 1800 * time.Millisecond, "observed": 2400 * time.Millisecond, "plain": 800 * time.Millisecond}},
		{"explicit", route.Overrides{}, map[string]time.Duration{"own": 700 * time.Millisecond, "declared": 700 * time.Millisecond, "observed": 700 * time.Millisecond, "plain": 700 * time.Millisecond}},
		{"derived", route.Overrides{TierTimeout: 5 * time.Second, Allowed: route.AllowAll}, map[string]time.Duration{"own": 5 * time.Second, "declared": 5 * time.Second, "observed": 5 * time.Second, "plain": 5 * time.Second}},
	} {
		plan, err := g.policy.Plan(&route.Input{Model: tc.name, Features: g.classify(hello(tc.name)), Overrides: tc.ov})
		if err != nil {
			t.Fatal(err)
		}
		dp := g.dispatchPlan(plan, hello(tc.name))
		if dp.PromptTokens != 500 {
			t.Errorf("%s: prompt tokens %d", tc.name, dp.PromptTokens)
		}
		tier := dp.Tiers[0]
		for j, tg := range tier.Targets {
			got := tier.TTFTTimeout
			if j < len(tier.TTFTTimeouts) && tier.TTFTTimeouts[j] > 0 {
				got = tier.TTFTTimeouts[j]
			}
			if want := tc.want[tg.Deployment.Name]; got != want {
				t.Errorf("%s %+v: %s timeout %s, want %s", tc.name, tc.ov, tg.Deployment.Name, got, want)
			}
			if tg.Deployment.Name == "declared" && tg.PrefillTokensPerSecond != 1000 {
				t.Errorf("prefill speed %v not passed on", tg.PrefillTokensPerSecond)
			}
		}
	}
}
