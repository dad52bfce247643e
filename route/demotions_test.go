package route

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A deployment quality monitoring demoted for a category ranks after the
// others for requests of that category only (or every category with
// AllCategories); the explanation says why; a pin still goes where it
// was pinned; the plan is the same for the same input.
func TestQualityDemotions(t *testing.T) {
	p := testPolicy(t)
	const why = "quality drift in golden set starter: pass_rate[factual] 0.90 → 0.60"
	factual := func(d Demotions) *Input {
		return req("support", llm.CategoryFactual, func(in *Input) { in.Demotions = d })
	}
	if got := order(mustPlan(t, p, factual(nil))); got != "mini,haiku" {
		t.Fatalf("undemoted factual order %s", got)
	}
	plan := mustPlan(t, p, factual(Demotions{"mini": {llm.CategoryFactual: why}}))
	if order(plan) != "haiku,mini" {
		t.Fatalf("mini demoted for factual: order %s, want haiku,mini", order(plan))
	}
	last := plan.Tiers[len(plan.Tiers)-1].Candidates
	if c := last[len(last)-1]; c.QualityDemoted != why || c.Demoted {
		t.Errorf("demoted candidate %+v", c)
	}
	// Another category is not affected; "*" covers every category.
	if got := order(mustPlan(t, p, factual(Demotions{"mini": {llm.CategoryCode: why}}))); got != "mini,haiku" {
		t.Errorf("a code demotion moved factual traffic: %s", got)
	}
	if got := order(mustPlan(t, p, factual(Demotions{"mini": {AllCategories: why}}))); got != "haiku,mini" {
		t.Errorf("a * demotion: %s", got)
	}
	// Every candidate demoted: the order among them is the usual one.
	both := Demotions{"mini": {AllCategories: why}, "haiku": {llm.CategoryFactual: why}}
	if got := order(mustPlan(t, p, factual(both))); got != "mini,haiku" {
		t.Errorf("all demoted: %s", got)
	}
	// A pinned request still goes where it was pinned.
	pinned := factual(Demotions{"mini": {AllCategories: why}})
	pinned.Overrides.Model = "mini"
	if plan := mustPlan(t, p, pinned); plan.First() != "mini" || plan.Pinned != "mini" {
		t.Errorf("pinned plan %s", order(plan))
	}
	// The explanation carries the reason, in JSON and in text.
	data, err := json.Marshal(plan)
	if err != nil || !bytes.Contains(data, []byte(`"quality_demoted":"quality drift in golden set starter`)) {
		t.Errorf("JSON %s, %v", data, err)
	}
	var text strings.Builder
	plan.WriteText(&text)
	if !strings.Contains(text.String(), "demoted for quality") || !strings.Contains(text.String(), "demoted: "+why) {
		t.Errorf("text:\n%s", text.String())
	}
}

// A deployment the live monitor demoted on one route ranks last on that
// route only, for that category (or every one); the probe share of
// requests, drawn from the seed, waives the demotion and the plan's
// propensity counts the draw; Acceptable lists the route's deployments
// for a category.
func TestRouteDemotions(t *testing.T) {
	p := testPolicy(t)
	const why = "quality drift in live traffic on route support, category factual: refusal_rate 0.02 → 0.15"
	in := func(model string, rd RouteDemotions, probe float64, seed uint64) *Input {
		return req(model, llm.CategoryFactual, func(in *Input) { in.RouteDemotions, in.DemotionProbe, in.Seed = rd, probe, seed })
	}
	mini := RouteDemotions{"support": {"mini": {llm.CategoryFactual: why}}}
	for _, tt := range []struct {
		name, model string
		rd          RouteDemotions
		want        string
	}{
		{"none", "support", nil, "mini,haiku"},
		{"demoted on the route", "support", mini, "haiku,mini"},
		{"every category", "support", RouteDemotions{"support": {"mini": {AllCategories: why}}}, "haiku,mini"},
		{"another category", "support", RouteDemotions{"support": {"mini": {llm.CategoryCode: why}}}, "mini,haiku"},
		{"another route", "cheap-only", mini, "mini"},
	} {
		plan := mustPlan(t, p, in(tt.model, tt.rd, 0, 1))
		if got := order(plan); got != tt.want {
			t.Errorf("%s: order %s, want %s", tt.name, got, tt.want)
		}
		for _, tier := range plan.Tiers {
			for _, c := range tier.Candidates {
				if want := tt.name != "none" && tt.want == "haiku,mini" && c.Deployment.Name == "mini"; (c.QualityDemoted == why) != want || c.QualityProbe {
					t.Errorf("%s: candidate %s demoted %q, probe %v", tt.name, c.Deployment.Name, c.QualityDemoted, c.QualityProbe)
				}
			}
		}
	}
	// A golden (every-route) demotion's reason comes first.
	both := in("support", mini, 1, 1)
	both.Demotions = Demotions{"mini": {AllCategories: "golden"}}
	if c := mustPlan(t, p, both).Tiers[1].Candidates[0]; c.QualityDemoted != "golden" || c.QualityProbe {
		t.Errorf("golden and route demotions: %+v", c)
	}
	// The probe: a fixed share of seeds waives the demotion; the plan is
	// the same for the same seed; the propensity is the draw's chance.
	const share, n = 0.3, 4000
	probed := 0
	for seed := range uint64(n) {
		plan := mustPlan(t, p, in("support", mini, share, seed))
		again := mustPlan(t, p, in("support", mini, share, seed))
		if order(plan) != order(again) || plan.Propensity != again.Propensity {
			t.Fatalf("seed %d: plans differ", seed)
		}
		switch first := plan.Tiers[0].Candidates[0]; {
		case first.Deployment.Name == "mini" && first.QualityProbe && first.QualityDemoted == "":
			probed++
			if plan.Propensity != share {
				t.Fatalf("seed %d: probed plan's propensity %v, want %v", seed, plan.Propensity, share)
			}
		case first.Deployment.Name == "haiku":
			if plan.Propensity != 1-share {
				t.Fatalf("seed %d: demoted plan's propensity %v, want %v", seed, plan.Propensity, 1-share)
			}
		default:
			t.Fatalf("seed %d: first %+v", seed, first)
		}
	}
	if got := float64(probed) / n; got < share-0.03 || got > share+0.03 {
		t.Errorf("probed %.3f of requests, want about %.2f", got, share)
	}
	// Where the demoted candidate would not be first anyway, the draw
	// does not count.
	if plan := mustPlan(t, p, in("support", RouteDemotions{"support": {"haiku": {llm.CategoryFactual: why}}}, share, 7)); plan.Propensity != 1 {
		t.Errorf("a demotion that decided nothing changed the propensity to %v", plan.Propensity)
	}
	var text strings.Builder
	probe := mustPlan(t, p, in("support", mini, 1, 1))
	probe.WriteText(&text)
	data, err := json.Marshal(probe)
	if err != nil || !bytes.Contains(data, []byte(`"quality_probe":true`)) || !strings.Contains(text.String(), "quality probe") {
		t.Errorf("a probe's explanation: %s %v\n%s", data, err, text.String())
	}

	names := func(ds []*Deployment) string {
		var out []string
		for _, d := range ds {
			out = append(out, d.Name)
		}
		return strings.Join(out, ",")
	}
	for _, tt := range []struct {
		route string
		cat   llm.Category
		want  string
	}{
		{"support", llm.CategoryFactual, "mini,haiku"},
		{"support", llm.CategoryChat, "mini,haiku,big,thinker"},
		{"ordered", llm.CategoryCode, "haiku,mini,local"},
		{"nope", llm.CategoryChat, ""},
	} {
		if got := names(p.Acceptable(tt.route, tt.cat)); got != tt.want {
			t.Errorf("Acceptable(%s, %s) = %s, want %s", tt.route, tt.cat, got, tt.want)
		}
	}
}
