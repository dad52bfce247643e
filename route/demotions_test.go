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
