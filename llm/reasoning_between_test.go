package llm

import "testing"

// TestBetweenToolsLevel: Anthropic's between_tools, no thinking up front,
// is the weakest thinking elsewhere: effort low and low's budget.
func TestBetweenToolsLevel(t *testing.T) {
	r := Reasoning{BetweenTools: true}
	if r.Level() != EffortLow || r.Budget() != BudgetFor(EffortLow) {
		t.Errorf("between_tools: level %q, budget %d", r.Level(), r.Budget())
	}
}
