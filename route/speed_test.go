package route

import (
	"math"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const speedFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
deployments:
  gpt:    {provider: oai, model: gpt-4o, price: {input: 1, output: 2}}
  opus55: {provider: ant, model: claude-opus-5-5, price: {input: 4, output: 20}}
  sonnet: {provider: ant, model: claude-sonnet-5-5, price: {input: 2, output: 10}}
routes:
  mixed: {deployments: [gpt, opus55, sonnet], strategy: ordered}
`

func fastSpeed(in *Input) { in.Features.Speed = llm.SpeedFast }

// TestFastModeEstimate: a request asking for fast output is estimated at
// the fast-mode prices on a Claude deployment whose model has fast mode
// (Opus 5.5: 2x), which the cost ceilings compare; the others keep their
// standard estimate, and none is excluded for it.
func TestFastModeEstimate(t *testing.T) {
	cfg, err := config.Parse([]byte(speedFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	est := func(plan *Plan, name string) float64 {
		for _, tier := range plan.Tiers {
			for _, c := range tier.Candidates {
				if c.Deployment.Name == name {
					return c.TierCostUSD
				}
			}
		}
		t.Fatalf("%s not in plan %s", name, order(plan))
		return 0
	}
	std, fast := mustPlan(t, p, req("mixed", llm.CategoryChat)), mustPlan(t, p, req("mixed", llm.CategoryChat, fastSpeed))
	if got := order(fast); got != "gpt,opus55,sonnet" {
		t.Errorf("fast: plan %s, want every deployment", got)
	}
	if s, f := est(std, "opus55"), est(fast, "opus55"); s == 0 || math.Abs(f-s*2) > 1e-12 {
		t.Errorf("opus55: standard %v, fast %v, want 2x", s, f)
	}
	for _, name := range []string{"gpt", "sonnet"} {
		if s, f := est(std, name), est(fast, name); s == 0 || s != f {
			t.Errorf("%s: standard %v, fast %v, want the same", name, s, f)
		}
	}
	cap := est(fast, "opus55")
	_, err = p.Plan(req("opus55", llm.CategoryChat, fastSpeed, func(in *Input) { in.Overrides.MaxCostUSD = cap * 0.99 }))
	wantErr(t, err, llm.KindUnprocessable, "x-switchyard-max-cost-usd")
}
