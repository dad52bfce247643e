package route

import (
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// tierFixture: sent is on a provider that takes the service tier (OpenAI's
// own host), with a configured priority price and the catalog's batch
// price for flex; kept is the same model on a host the tier is not sent
// to, so it is always served (and priced) at the standard tier.
const tierFixture = `
providers:
  openai: {kind: openai, api_key: k}
  other: {kind: openai, api_key: k, base_url: "http://127.0.0.1:1/v1"}
  claude: {kind: anthropic, api_key: k}
deployments:
  sent: {provider: openai, model: gpt-4o, price: {input: 2.5, output: 10, priority_input: 5, priority_output: 20}}
  kept: {provider: other, model: gpt-4o, price: {input: 2.5, output: 10}}
  sonnet: {provider: claude, model: claude-sonnet-4-5, price: {input: 2.5, output: 10}}
routes:
  capped: {deployments: [sent, kept], max_cost_per_request: 0.01}
  open: {deployments: [sent, kept]}
  claude: {deployments: [sonnet]}
`

func tierPolicy(t *testing.T) *Policy {
	t.Helper()
	cfg, err := config.Parse([]byte(tierFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	return New(cfg, Options{})
}

// tierReq is a request of 1000 prompt tokens and 500 output tokens on
// model at tier: $0.0075 at gpt-4o's standard price, $0.015 at the
// priority price, $0.00375 at the batch (flex) price.
func tierReq(model string, tier llm.ServiceTier, edit ...func(*Input)) *Input {
	in := &Input{Model: model, Features: Features{Category: llm.CategoryChat, Confidence: 0.9, PromptTokens: 1000, MaxTokens: 500, ServiceTier: tier},
		Overrides: Overrides{Allowed: AllowAll}}
	for _, e := range edit {
		e(in)
	}
	return in
}

// A route's max_cost_per_request and the caller's x-switchyard-max-cost-usd
// compare the estimate at the tier the candidate serves the request on:
// priority on a deployment sent the tier costs the priority price, so a
// ceiling between the standard and the priority cost rejects it (naming
// the tier) and keeps the deployment that is not sent the tier; flex costs
// the batch price, so a ceiling below the standard cost keeps it.
func TestCostCeilingsPriceTheServiceTier(t *testing.T) {
	p := tierPolicy(t)
	caller := func(usd float64) func(*Input) { return func(in *Input) { in.Overrides.MaxCostUSD = usd } }
	for _, tc := range []struct {
		name    string
		in      *Input
		want    string
		rejects string // the rejection of sent, "" for none
	}{
		{"standard within the route's", tierReq("capped", ""), "sent,kept", ""},
		{"priority above the route's", tierReq("capped", llm.TierPriority), "kept",
			"estimated cost $0.015 at the priority tier exceeds route max_cost_per_request $0.01"},
		{"fast is priority", tierReq("capped", llm.TierFast), "kept",
			"estimated cost $0.015 at the priority tier exceeds route max_cost_per_request $0.01"},
		{"priority above the caller's", tierReq("open", llm.TierPriority, caller(0.01)), "kept",
			"estimated cost $0.015 at the priority tier exceeds x-switchyard-max-cost-usd $0.01"},
		{"flex within the caller's", tierReq("open", llm.TierFlex, caller(0.005)), "sent",
			""},
		{"default at the standard price", tierReq("open", llm.TierDefault, caller(0.005)), "", ""},
		// Claude has no flex (it is sent standard_only); its priority is
		// committed capacity, at the standard price.
		{"flex on Anthropic at the standard price", tierReq("claude", llm.TierFlex, caller(0.005)), "", ""},
		{"priority on Anthropic at the standard price", tierReq("claude", llm.TierPriority, caller(0.01)), "sonnet", ""},
		{"priority on Anthropic, not at the flex price", tierReq("claude", llm.TierPriority, caller(0.005)), "", ""},
		{"standard on Anthropic", tierReq("claude", llm.TierDefault, caller(0.01)), "sonnet", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan, err := p.Plan(tc.in)
			if tc.want == "" {
				if err == nil {
					t.Fatalf("plan %s, want none within $0.005 at the standard price", order(plan))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := order(plan); got != tc.want {
				t.Errorf("plan %s, want %s (rejected %+v)", got, tc.want, plan.Explanation.Rejected)
			}
			var detail string
			for _, r := range plan.Explanation.Rejected {
				if r.Deployment == "sent" {
					detail = r.Detail()
				}
			}
			if detail != tc.rejects {
				t.Errorf("sent's rejection %q, want %q", detail, tc.rejects)
			}
		})
	}
}

// Each kept candidate carries the tier its estimate is priced at: the
// tier asked for where the deployment is sent it, standard elsewhere;
// the scorer's estimate (EstCostUSD) stays the standard one. The text
// and JSON renderings show it.
func TestCandidateCarriesItsTierEstimate(t *testing.T) {
	p := tierPolicy(t)
	plan := mustPlan(t, p, tierReq("open", llm.TierPriority))
	for _, c := range plan.Tiers[0].Candidates {
		wantTier, wantCost := llm.TierPriority, 0.015
		if c.Deployment.Name == "kept" {
			wantTier, wantCost = "", 0.0075
		}
		if tier := plan.ServiceTierOf(&c); tier != wantTier || !near(c.TierCostUSD, wantCost) || !near(c.EstCostUSD, 0.0075) {
			t.Errorf("%s: tier %q cost %g (standard %g), want %q %g", c.Deployment.Name, tier, c.TierCostUSD, c.EstCostUSD, wantTier, wantCost)
		}
	}
	var b strings.Builder
	if err := plan.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "$0.015 priority") || !strings.Contains(b.String(), "service_tier=priority") {
		t.Errorf("text rendering does not show the priority estimate:\n%s", b.String())
	}
	js, err := plan.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"service_tier":"priority","tier_cost_usd":0.015`) {
		t.Errorf("JSON rendering does not show the priority estimate: %s", js)
	}
	if s := plan.Summary(0, "sent", 1); !strings.Contains(s, "; service_tier=priority") {
		t.Errorf("summary %q does not say sent is priced at priority", s)
	}
	if s := plan.Summary(0, "kept", 1); strings.Contains(s, "service_tier") {
		t.Errorf("summary %q names a tier for kept, which is not sent one", s)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }
