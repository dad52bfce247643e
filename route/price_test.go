package route

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/llm"
)

// priceFixture has a deployment priced by config, one by the catalog
// (gpt-4o on OpenAI), one explicitly free and one whose price nobody
// knows (a local model with no price).
const priceFixture = `
providers:
  openai: {kind: openai, api_key: k}
  local: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
deployments:
  cheap:   {provider: openai, model: gpt-4o-mini, price: {input: 0.1, output: 0.4}, quality: 0.6}
  catalog: {provider: openai, model: gpt-4o, quality: 0.8}
  free:    {provider: local, model: phi, price: {input: 0, output: 0}, quality: 0.3}
  mystery: {provider: local, model: llama3, quality: 0.99}
  dear:    {provider: openai, model: o1-pro, price: {input: 150, output: 600}, quality: 0.5}
routes:
  cheapest: {deployments: [cheap, catalog, dear, mystery], strategy: cheapest}
  balanced: {deployments: [catalog, mystery], strategy: balanced}
  capped-price: {deployments: [cheap, mystery], max_price: {output: 5}}
  capped-cost: {deployments: [cheap, mystery], max_cost_per_request: 1}
  only-mystery: {deployments: [mystery], max_cost_per_request: 1}
  open: {deployments: [mystery, cheap]}
`

func pricePolicy(t *testing.T) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(priceFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg, Options{})
}

func TestDeploymentsArePricedByConfigOverCatalog(t *testing.T) {
	p := pricePolicy(t)
	for _, tc := range []struct {
		name, source string
		in, out      float64
	}{
		{"cheap", cost.SourceMixed, 0.1, 0.4}, // its cached price is the catalog's
		{"catalog", cost.SourceCatalog, 2.5, 10},
		{"free", cost.SourceConfig, 0, 0},
		{"mystery", cost.SourceUnknown, 0, 0},
	} {
		d := p.Deployment(tc.name)
		if d.Pricing.Source != tc.source || d.InputPricePerM != tc.in || d.OutputPricePerM != tc.out || d.PriceUnknown != (tc.source == cost.SourceUnknown) {
			t.Errorf("%s: %+v, pricing %+v", tc.name, d.Deployment, d.Pricing)
		}
	}
	if d := p.Deployment("cheap"); d.CachedInputPricePerM != 0.075 || d.Pricing.Price.Has(config.PriceReasoning) {
		t.Errorf("cheap's cached price is not the catalog's under its configured input and output: %+v", d.Deployment)
	}
}

// Under cheapest, every known price ranks before an unknown one, however
// good the unknown one is; under balanced it scores as the dearest.
func TestUnknownPriceRanking(t *testing.T) {
	p := pricePolicy(t)
	plan := mustPlan(t, p, req("cheapest", llm.CategoryChat))
	// dear's price scores 0 for cheapness, as the unknown one does, and
	// mystery's quality is higher: only the rule puts it last.
	if got := order(plan); got != "cheap,catalog,dear,mystery" {
		t.Errorf("cheapest: %s, want the unknown price last", got)
	}
	last := plan.Tiers[len(plan.Tiers)-1].Candidates
	if c := last[len(last)-1]; !c.CostUnknown || c.EstCostUSD != 0 {
		t.Errorf("mystery candidate: %+v", c)
	}
	balanced := mustPlan(t, p, req("balanced", llm.CategoryChat))
	var known, unknown float64
	for _, t := range balanced.Tiers {
		for _, c := range t.Candidates {
			if c.CostUnknown {
				unknown = c.Score
			} else {
				known = c.Score
			}
		}
	}
	// mystery: 0.5×0.99 + 0.3×0 (dearest) + speed; catalog: 0.5×0.8 + 0.3×cheapness(2.5..10) + speed.
	f := Features{Category: llm.CategoryChat, PromptTokens: 200}
	wantUnknown := Static{}.Score(ScoreInput{Deployment: p.Deployment("mystery"), Features: &f, Strategy: config.StrategyBalanced,
		OutputTokens: balanced.Explanation.Limits.ExpectedOutputTokens, CostUnknown: true, Quality: p.Deployment("mystery").Quality})
	if unknown != wantUnknown || unknown == 0 || known == 0 {
		t.Errorf("balanced scores: mystery %v (want %v), catalog %v", unknown, wantUnknown, known)
	}
	free := Static{}.Score(ScoreInput{Deployment: p.Deployment("mystery"), Features: &f, Strategy: config.StrategyBalanced,
		OutputTokens: balanced.Explanation.Limits.ExpectedOutputTokens, Quality: p.Deployment("mystery").Quality})
	if free-unknown < 0.29 {
		t.Errorf("an unknown price scores %v, a $0 one %v: unknown must not count as free", unknown, free)
	}
}

// A price or cost ceiling never passes a deployment whose price is
// unknown: it is rejected, and says why.
func TestUnknownPriceNeverPassesACeiling(t *testing.T) {
	p := pricePolicy(t)
	for _, tc := range []struct {
		route, by, detail string
	}{
		{"capped-price", "route", "has no known price, so it cannot be held to route max_price"},
		{"capped-cost", "route", "has no known price, so it cannot be held to route max_cost_per_request"},
	} {
		plan := mustPlan(t, p, req(tc.route, llm.CategoryChat))
		if order(plan) != "cheap" || len(plan.Explanation.Rejected) != 1 {
			t.Fatalf("%s: %s, rejected %+v", tc.route, order(plan), plan.Explanation.Rejected)
		}
		r := plan.Explanation.Rejected[0]
		if r.Deployment != "mystery" || r.Reason != ReasonPriceUnknown || r.By != tc.by || r.Detail() != tc.detail {
			t.Errorf("%s: rejection %+v %q", tc.route, r, r.Detail())
		}
	}
	// The caller's cap too.
	plan := mustPlan(t, p, req("open", llm.CategoryChat, func(in *Input) { in.Overrides.MaxCostUSD = 10 }))
	if order(plan) != "cheap" || plan.Explanation.Rejected[0].By != HeaderMaxCost || plan.Explanation.Rejected[0].Reason != ReasonPriceUnknown {
		t.Errorf("caller cap: %s, %+v", order(plan), plan.Explanation.Rejected)
	}
	// Without a ceiling it serves.
	if plan := mustPlan(t, p, req("open", llm.CategoryChat)); !strings.Contains(order(plan), "mystery") {
		t.Errorf("open: %s", order(plan))
	}
	_, err := p.Plan(req("only-mystery", llm.CategoryChat))
	wantErr(t, err, llm.KindUnprocessable, "mystery has no known price, so it cannot be held to route max_cost_per_request")
}

// The explanation shows an unknown cost as unknown, not as $0.
func TestExplanationMarksUnknownCost(t *testing.T) {
	p := pricePolicy(t)
	plan := mustPlan(t, p, req("cheapest", llm.CategoryChat))
	b, err := json.Marshal(plan)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Tiers []struct {
			Candidates []map[string]any `json:"candidates"`
		} `json:"tiers"`
	}
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	seen := 0
	for _, tier := range out.Tiers {
		for _, c := range tier.Candidates {
			est, has := c["est_cost_usd"]
			switch c["deployment"] {
			case "mystery":
				seen++
				if !has || est != nil || c["cost_unknown"] != true {
					t.Errorf("mystery in JSON: %v", c)
				}
			default:
				if f, ok := est.(float64); !ok || f <= 0 || c["cost_unknown"] != nil {
					t.Errorf("%v in JSON: %v", c["deployment"], c)
				}
			}
		}
	}
	if seen != 1 {
		t.Errorf("mystery not in the JSON plan: %s", b)
	}
	var text bytes.Buffer
	if err := plan.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(text.String(), "\n") {
		if strings.Contains(line, "mystery") && (!strings.Contains(line, "est cost?") || !strings.Contains(line, "price unknown") || strings.Contains(line, "$0")) {
			t.Errorf("text line %q: want est cost? and [price unknown]", line)
		}
	}
}

// A budget that counts USD keeps a request off a deployment whose price
// is unknown (its cost could not be charged), pinned ones included; so
// does a spent soft budget's price ceiling, which an unknown price
// cannot be held to.
func TestBudgetRejectsUnknownCost(t *testing.T) {
	p := pricePolicy(t)
	for _, tc := range []struct {
		name   string
		ov     func(*Input)
		detail string
	}{
		{"usd budget", func(in *Input) { in.Overrides.UnknownCostBy = "budget acme-daily" },
			"has no known price, and budget acme-daily counts USD: its cost could not be charged (set its price, or the budget's unknown_cost: allow)"},
		{"soft ceiling", func(in *Input) {
			in.Overrides.MaxOutputPricePerM, in.Overrides.CeilingBy = 5, "budget acme-soft"
		}, "has no known price, so it cannot be held to the budget acme-soft price ceiling (the budget is spent)"},
	} {
		plan := mustPlan(t, p, req("open", llm.CategoryChat, tc.ov))
		if order(plan) != "cheap" || len(plan.Explanation.Rejected) != 1 {
			t.Fatalf("%s: %s, rejected %+v", tc.name, order(plan), plan.Explanation.Rejected)
		}
		r := plan.Explanation.Rejected[0]
		if r.Deployment != "mystery" || r.Reason != ReasonPriceUnknown || r.Detail() != tc.detail {
			t.Errorf("%s: rejection %+v %q", tc.name, r, r.Detail())
		}
		_, err := p.Plan(req("mystery", llm.CategoryChat, tc.ov))
		wantErr(t, err, llm.KindUnprocessable, "pinned deployment mystery: "+tc.detail)
	}
	// A known price, free included, passes.
	plan := mustPlan(t, p, req("free", llm.CategoryChat, func(in *Input) { in.Overrides.UnknownCostBy = "budget acme-daily" }))
	if !strings.HasPrefix(order(plan), "free,") {
		t.Errorf("free under a USD budget: %s", order(plan))
	}
}
