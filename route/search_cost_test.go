package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// A request asking for web search is estimated at one search on top of
// its tokens (the deployment's price.web_search, else llm.WebSearchUSD):
// 1,000 prompt tokens and 500 out on haiku cost $0.00035 in tokens,
// $0.01035 with a search, so a $0.005 ceiling passes it without web
// search and passes it over with; cheap, whose search costs $0.001,
// stays within it. The cheapest strategy ranks by the same estimate.
func TestCostEstimateCountsOneSearch(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  claude: {kind: anthropic, api_key: k}
deployments:
  haiku: {provider: claude, model: claude-haiku-5-5, price: {input: 0.1, output: 0.5}}
  cheap: {provider: claude, model: claude-haiku-4-5, price: {input: 0.2, output: 0.6, web_search: 0.001}}
routes:
  capped: {deployments: [haiku, cheap], max_cost_per_request: 0.005}
  cheapest: {deployments: [haiku, cheap], strategy: cheapest}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	in := func(model string, search bool) *Input {
		return &Input{Model: model, Features: Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 1000, MaxTokens: 500, WebSearch: search},
			Overrides: Overrides{Allowed: AllowAll}}
	}
	plan := mustPlan(t, p, in("capped", false))
	if got := order(plan); got != "haiku,cheap" || !near(plan.Tiers[0].Candidates[0].EstCostUSD, 0.00035) {
		t.Fatalf("without search: plan %s, estimate $%v", got, plan.Tiers[0].Candidates[0].EstCostUSD)
	}
	plan = mustPlan(t, p, in("capped", true))
	if got := order(plan); got != "cheap" || !near(plan.Tiers[0].Candidates[0].EstCostUSD, 0.0002+0.0003+0.001) {
		t.Errorf("with search: plan %s, estimate $%v; want cheap alone at $0.0015", got, plan.Tiers[0].Candidates[0].EstCostUSD)
	}
	if r := findRejection(plan, "haiku"); r == nil || r.Reason != ReasonCost || !near(r.Got, 0.01035) {
		t.Errorf("haiku rejection %+v", r)
	}
	if got := order(mustPlan(t, p, in("cheapest", false))); got != "haiku,cheap" {
		t.Errorf("cheapest without search: %s", got)
	}
	if got := order(mustPlan(t, p, in("cheapest", true))); got != "cheap,haiku" {
		t.Errorf("cheapest with search: %s, want cheap first (its search is cheaper)", got)
	}
}
