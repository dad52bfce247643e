package route

import (
	"math"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

const geoFixture = `
providers:
  oai: {kind: openai, base_url: "http://127.0.0.1:1/v1"}
  ant: {kind: anthropic, base_url: "http://127.0.0.1:2"}
deployments:
  gpt:      {provider: oai, model: gpt-4o, price: {input: 1, output: 2}}
  gpt-us:   {provider: oai, model: gpt-4o, price: {input: 2, output: 4}, inference_geo: us}
  opus46:   {provider: ant, model: claude-opus-4-6, price: {input: 5, output: 25}}
  haiku45:  {provider: ant, model: claude-haiku-4-5, price: {input: 1, output: 5}}
  opus45-us: {provider: ant, model: claude-opus-4-5, price: {input: 5, output: 25}, inference_geo: us}
routes:
  mixed: {deployments: [haiku45, gpt, opus46, gpt-us, opus45-us], strategy: ordered}
  legacy: {deployments: [haiku45, gpt]}
`

func usOnly(in *Input) { in.Features.Needs |= NeedUSInference }

// TestUSInferenceNeeds: inference_geo us is a need; global and unset are
// none.
func TestUSInferenceNeeds(t *testing.T) {
	for geo, want := range map[llm.InferenceGeo]string{llm.GeoUS: "inference_geo_us", llm.GeoGlobal: "", "": ""} {
		if got := NeedsOf(&llm.Request{InferenceGeo: geo}).String(); got != want {
			t.Errorf("%q: needs %q, want %q", geo, got, want)
		}
	}
}

// TestUSInferenceRoutes: a request requiring US-only inference goes only
// to a Claude API deployment whose model takes inference_geo, or one
// configured inference_geo: us; the others are rejected saying why, and
// a route (or pin) left with none answers 400 naming inference_geo.
func TestUSInferenceRoutes(t *testing.T) {
	cfg, err := config.Parse([]byte(geoFixture), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	if got := order(mustPlan(t, p, req("mixed", llm.CategoryChat))); got != "haiku45,gpt,opus46,gpt-us,opus45-us" {
		t.Errorf("without the need: plan %s", got)
	}
	plan := mustPlan(t, p, req("mixed", llm.CategoryChat, usOnly))
	if got := order(plan); got != "opus46,gpt-us,opus45-us" {
		t.Errorf("us: plan %s, want opus46,gpt-us,opus45-us", got)
	}
	for _, name := range []string{"haiku45", "gpt"} {
		r := findRejection(plan, name)
		if r == nil || r.Reason != ReasonInferenceGeo || !strings.Contains(r.Detail(), "inference_geo us") {
			t.Errorf("%s rejection %+v", name, r)
		}
	}
	if s := plan.Summary(0, "opus46", 1); !strings.Contains(s, "; deployment=opus46; inference_geo=us; attempt=1") {
		t.Errorf("summary %q: want inference_geo=us", s)
	}
	if s := mustPlan(t, p, req("mixed", llm.CategoryChat)).Summary(0, "haiku45", 1); strings.Contains(s, "inference_geo") {
		t.Errorf("summary without the need: %q", s)
	}
	_, err = p.Plan(req("legacy", llm.CategoryChat, usOnly))
	e := wantErr(t, err, llm.KindInvalidRequest, "no deployment of route legacy", "does not keep inference in the US")
	if e.Param != "inference_geo" {
		t.Errorf("param %q", e.Param)
	}
	_, err = p.Plan(req("haiku45", llm.CategoryChat, usOnly))
	wantErr(t, err, llm.KindInvalidRequest, "deployment haiku45 does not keep inference in the US")
}

// TestUSInferenceEstimate: the estimate of a request requiring US-only
// inference on a Claude API deployment carries Anthropic's 1.1x, which
// the cost ceilings compare; a deployment configured US-resident on the
// Claude API carries it on every request; others none.
func TestUSInferenceEstimate(t *testing.T) {
	cfg, err := config.Parse([]byte(geoFixture), nil)
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
	global, us := mustPlan(t, p, req("mixed", llm.CategoryChat)), mustPlan(t, p, req("mixed", llm.CategoryChat, usOnly))
	if g, u := est(global, "opus46"), est(us, "opus46"); g == 0 || math.Abs(u-g*1.1) > 1e-12 {
		t.Errorf("opus46: global %v, us %v, want 1.1x", g, u)
	}
	if g, u := est(global, "gpt-us"), est(us, "gpt-us"); g == 0 || g != u {
		t.Errorf("gpt-us: global %v, us %v, want the same", g, u)
	}
	std := est(global, "opus46") // the same prices as opus45-us
	if g := est(global, "opus45-us"); math.Abs(g-std*1.1) > 1e-12 {
		t.Errorf("opus45-us (configured us): %v, want 1.1x %v", g, std)
	}
	cap := est(us, "opus46")
	_, err = p.Plan(req("opus46", llm.CategoryChat, usOnly, func(in *Input) { in.Overrides.MaxCostUSD = cap * 0.99 }))
	wantErr(t, err, llm.KindUnprocessable, "x-switchyard-max-cost-usd")
}
