package gateway

import (
	"testing"

	"switchyard/llm"
	"switchyard/route"
)

// A request no deployment of its route may serve is refused before any
// call, and its record says why: the route, the category and each
// candidate's rejection — what an operator opens the request to see. A
// dry run's refusal is recorded the same way.
func TestRecordOfARefusal(t *testing.T) {
	g, flush := recorded(t, upstream(nil), true)
	capped := &route.Overrides{MaxCostUSD: 1e-12}
	if _, err := g.Chat(callerCtx(), hello("r"), capped, &llm.Served{}); err == nil {
		t.Fatal("a request over its own cost cap was served")
	}
	if _, err := g.Route(callerCtx(), hello("r"), capped); err == nil {
		t.Fatal("the dry run planned it")
	}
	recs := flush()
	if len(recs) != 2 {
		t.Fatalf("%d records, want 2", len(recs))
	}
	for _, r := range recs {
		if r.Route != "r" || r.Category != llm.CategoryChat || r.Plan == nil || r.Attempts != 0 || r.Status != 422 {
			t.Fatalf("%s record: route %q category %q plan %v attempts %d status %d", r.Endpoint, r.Route, r.Category, r.Plan != nil, r.Attempts, r.Status)
		}
		if rej := r.Plan.Explanation.Rejected; len(rej) != 2 || rej[0].Reason == "" || len(r.Plan.Tiers) != 0 {
			t.Errorf("%s record: rejections %+v, tiers %d", r.Endpoint, rej, len(r.Plan.Tiers))
		}
	}
}
