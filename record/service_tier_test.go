package record

import (
	"testing"

	"switchyard/llm"
)

// The row's explanation says the tier the upstream said served the
// request and how that tier was priced; nothing for a request served at
// no named tier.
func TestRowServiceTier(t *testing.T) {
	r := &Record{RequestID: "r", Usage: llm.Usage{PromptTokens: 1, ServiceTier: llm.TierPriority}, TierPrice: "multiplier"}
	if e := Row(r).Explanation; e.ServiceTier != "priority" || e.TierPrice != "multiplier" {
		t.Errorf("explanation %+v", e)
	}
	if e := Row(&Record{RequestID: "r"}).Explanation; e.ServiceTier != "" || e.TierPrice != "" {
		t.Errorf("no tier: %+v", e)
	}
}
