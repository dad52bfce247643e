package route

import (
	"slices"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// A spent soft budget's price ceiling keeps only the deployments within
// it, pinned ones included, and names the budget in each rejection.
func TestBudgetPriceCeiling(t *testing.T) {
	p := testPolicy(t)
	ceiling := func(in, out float64) func(*Input) {
		return func(i *Input) {
			i.Overrides.MaxInputPricePerM, i.Overrides.MaxOutputPricePerM, i.Overrides.CeilingBy = in, out, "budget acme-soft"
		}
	}
	plan := mustPlan(t, p, req("ordered", llm.CategoryChat, ceiling(0, 1)))
	if got := order(plan); got != "mini,local" {
		t.Errorf("plan %s, want mini,local (haiku's output price 5 is above 1)", got)
	}
	rej := plan.Explanation.Rejected
	if len(rej) != 1 || rej[0].Deployment != "haiku" || rej[0].Reason != ReasonPrice || rej[0].By != "budget acme-soft" || rej[0].Note != "output" {
		t.Fatalf("rejected %+v", rej)
	}
	if d := rej[0].Detail(); d != "output price $5/1M exceeds the budget acme-soft price ceiling $1/1M (the budget is spent)" {
		t.Errorf("detail %q", d)
	}
	if got := order(mustPlan(t, p, req("ordered", llm.CategoryChat, ceiling(0.5, 0)))); got != "mini,local" {
		t.Errorf("input ceiling: plan %s, want mini,local", got)
	}
	_, err := p.Plan(req("big", llm.CategoryChat, ceiling(1, 4)))
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindUnprocessable || !strings.Contains(e.Message, "pinned deployment big") ||
		!strings.Contains(e.Message, "budget acme-soft price ceiling") {
		t.Errorf("pinned above the ceiling: %v", err)
	}
	_, err = p.Plan(req("cheap-only", llm.CategoryChat, ceiling(0.1, 0)))
	if e := llm.AsError(err); e == nil || e.Kind != llm.KindUnprocessable || !strings.Contains(e.Message, "budget acme-soft") {
		t.Errorf("nothing within the ceiling: %v", err)
	}
}

// config validates route budgets' match against its own list of the
// built-in routes; it must be this package's.
func TestBuiltinRoutesKnownToConfig(t *testing.T) {
	var names []string
	for _, b := range builtins {
		names = append(names, b.name)
	}
	slices.Sort(names)
	if !slices.Equal(names, config.BuiltinRoutes) {
		t.Errorf("built-in routes %v, config.BuiltinRoutes %v", names, config.BuiltinRoutes)
	}
}
