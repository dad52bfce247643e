package openai

import (
	"testing"

	"switchyard/llm"
)

// OpenAI's answers name fast mode "fast" from GPT-6 on, "priority"
// before; auto or no tier is served by the default one.
func TestServedTier(t *testing.T) {
	for _, tc := range []struct {
		asked llm.ServiceTier
		model string
		want  llm.ServiceTier
	}{
		{llm.TierFast, "gpt-6-astra", llm.TierFast},
		{llm.TierPriority, "gpt-6.1-sol", llm.TierFast},
		{llm.TierPriority, "gpt-10", llm.TierFast},
		{llm.TierFast, "gpt-5.6-sol", llm.TierPriority},
		{llm.TierFast, "gpt-4o-mini", llm.TierPriority},
		{llm.TierFast, "o3", llm.TierPriority},
		{llm.TierFast, "gpt-", llm.TierPriority},
		{"", "gpt-6-astra", llm.TierDefault},
		{llm.TierAuto, "gpt-6-astra", llm.TierDefault},
		{llm.TierUltrafast, "gpt-6-astra", llm.TierUltrafast},
		{llm.TierFlex, "o3", llm.TierFlex},
	} {
		if got := servedTier(tc.asked, tc.model); got != tc.want {
			t.Errorf("%s on %s: served %q, want %q", tc.asked, tc.model, got, tc.want)
		}
	}
}
