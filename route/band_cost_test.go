package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// bandFixture: haiku is priced as Claude Haiku 5.5 ($0.10 / $0.50, and
// $0.50 / $2.50 on every token of a prompt over 100,000 tokens); flat
// costs $0.30 / $1.50 whatever the prompt's length.
const bandFixture = `
providers:
  claude: {kind: anthropic, api_key: k}
deployments:
  haiku: {provider: claude, model: claude-haiku-5-5, price: {input: 0.1, output: 0.5, long_prompt: {above_tokens: 100000, input: 0.5, output: 2.5}}}
  flat: {provider: claude, model: claude-flat, price: {input: 0.3, output: 1.5}}
routes:
  capped: {deployments: [haiku], max_cost_per_request: 0.05}
  cheapest: {deployments: [haiku, flat], strategy: cheapest}
  priced: {deployments: [haiku, flat], max_price: {input: 0.4}}
`

func bandReq(model string, prompt int) *Input {
	return &Input{Model: model, Features: Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: prompt, MaxTokens: 500},
		Overrides: Overrides{Allowed: AllowAll}}
}

// The estimate before dispatch prices a prompt over the band's threshold
// at the band: 150,000 prompt tokens and 500 out to haiku cost
// 150,000 × $0.50 + 500 × $2.50 = $0.07625 (not the standard $0.01525),
// above the route's $0.05; 100,000 cost $0.01025, within it. The cheapest
// strategy ranks by the same prices: haiku under the threshold, flat over.
func TestCostCeilingPricesTheLongPromptBand(t *testing.T) {
	cfg, err := config.Parse([]byte(bandFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	plan := mustPlan(t, p, bandReq("capped", 100_000))
	if c := plan.Tiers[0].Candidates[0]; !near(c.EstCostUSD, 0.01025) {
		t.Errorf("estimate at 100,000: $%v, want $0.01025", c.EstCostUSD)
	}
	_, err = p.Plan(bandReq("capped", 150_000))
	if err == nil {
		t.Fatal("a 150,000-token prompt passed the $0.05 ceiling")
	}
	plan, err = p.Plan(&Input{Model: "haiku", Features: Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 150_000, MaxTokens: 500},
		Overrides: Overrides{Allowed: AllowAll, MaxCostUSD: 0.05}})
	if err == nil {
		t.Fatalf("pinned haiku within the caller's $0.05: %s", order(plan))
	}
	if e := llm.AsError(err); e == nil || !strings.Contains(e.Message, "estimated cost $0.07625 exceeds x-switchyard-max-cost-usd $0.05") {
		t.Errorf("error %v", err)
	}
	if got := order(mustPlan(t, p, bandReq("cheapest", 50_000))); got != "haiku,flat" {
		t.Errorf("cheapest at 50,000: %s, want haiku first", got)
	}
	if got := order(mustPlan(t, p, bandReq("cheapest", 150_000))); got != "flat,haiku" {
		t.Errorf("cheapest at 150,000: %s, want flat first (haiku's band is dearer)", got)
	}
}

// A route's max_price and a spent soft budget's price ceiling compare
// the prices the request pays: the band's over its threshold.
func TestPriceCeilingsTakeTheLongPromptBand(t *testing.T) {
	cfg, err := config.Parse([]byte(bandFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	if got := order(mustPlan(t, p, bandReq("priced", 100_000))); got != "haiku,flat" {
		t.Errorf("max_price at 100,000: %s, want both", got)
	}
	plan := mustPlan(t, p, bandReq("priced", 100_001))
	if got := order(plan); got != "flat" {
		t.Errorf("max_price at 100,001: %s, want flat alone", got)
	}
	if r := plan.Explanation.Rejected; len(r) != 1 || r[0].Reason != ReasonPrice || r[0].Got != 0.5 {
		t.Errorf("rejected %+v", r)
	}
	in := bandReq("cheapest", 150_000)
	in.Overrides.MaxOutputPricePerM, in.Overrides.CeilingBy = 2, "budget soft"
	if got := order(mustPlan(t, p, in)); got != "flat" {
		t.Errorf("soft ceiling at 150,000: %s, want flat alone (haiku's band output $2.50 is above $2)", got)
	}
}
