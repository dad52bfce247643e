package route

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// TestCallerDeploymentsExcluded: the deployments a caller's key or tenant
// may not use are rejected as excluded by it, pinned ones included, and
// a route left with none is a 422 that says why.
func TestCallerDeploymentsExcluded(t *testing.T) {
	p := testPolicy(t)
	onlyMini := func(in *Input) { in.Overrides.Excluder = &allowOnly{"mini", "key bot"} }
	plan := mustPlan(t, p, req("support", llm.CategoryChat, onlyMini))
	if got := order(plan); got != "mini" {
		t.Errorf("order = %s, want mini only", got)
	}
	r := findRejection(plan, "big")
	if r == nil || r.Reason != ReasonExcluded || r.By != "key bot" || r.Detail() != "excluded by key bot" {
		t.Errorf("big rejection = %+v", r)
	}
	_, err := p.Plan(req("support", llm.CategoryChat, func(in *Input) {
		in.Overrides.Excluder = &allowOnly{"", "tenant acme"}
	}))
	wantErr(t, err, llm.KindUnprocessable, "excluded by tenant acme")
	_, err = p.Plan(req("support", llm.CategoryChat, onlyMini, func(in *Input) { in.Overrides.Model = "big" }))
	if err == nil || !strings.Contains(err.Error(), "excluded by key bot") {
		t.Errorf("pinning an excluded deployment: %v", err)
	}
}

// allowOnly excludes every deployment but one, by by.
type allowOnly struct{ dep, by string }

func (a *allowOnly) ExcludedBy(d string) string {
	if d == a.dep {
		return ""
	}
	return a.by
}
