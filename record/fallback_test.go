package record

import (
	"testing"

	"switchyard/llm"
	"switchyard/route"
)

// The stored explanation names the candidates of a client's refusal
// fallback with the fallbacks entry they serve.
func TestRowNamesFallbackCandidates(t *testing.T) {
	dep := func(name string) route.Candidate {
		return route.Candidate{Deployment: &route.Deployment{Deployment: llm.Deployment{Name: name}}}
	}
	plan := &route.Plan{Tiers: []route.Tier{
		{Candidates: []route.Candidate{dep("a")}},
		{Candidates: []route.Candidate{dep("c")}, Fallback: 1},
		{Candidates: []route.Candidate{dep("d")}, Fallback: 2},
	}}
	cands := Row(&Record{Plan: plan}).Explanation.Candidates
	if len(cands) != 3 || cands[0].Fallback != 0 || cands[1].Fallback != 1 || cands[2].Fallback != 2 || cands[2].Tier != 3 {
		t.Errorf("candidates %+v", cands)
	}
}
