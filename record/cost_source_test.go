package record

import (
	"testing"

	"switchyard/llm"
	"switchyard/store"
)

// TestRowCostSource checks that the explanation says a cost is the
// upstream's statement, and says nothing for a priced one.
func TestRowCostSource(t *testing.T) {
	r := &Record{RequestID: "r", Usage: llm.Usage{PromptTokens: 1, CostReported: true, ReportedCostUSD: 0.01}, CostUSD: 0.01}
	if e := Row(r).Explanation; e.CostSource != store.CostSourceProvider {
		t.Errorf("cost_source = %q, want %q", e.CostSource, store.CostSourceProvider)
	}
	if e := Row(&Record{RequestID: "r", Usage: llm.Usage{PromptTokens: 1}}).Explanation; e.CostSource != "" {
		t.Errorf("cost_source = %q for a priced cost, want none", e.CostSource)
	}
}
