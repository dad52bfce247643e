package llm

import "testing"

// TestCostCacheCountsWithinPrompt checks that cache reads and writes are
// billed only as the part of the prompt they are: an upstream that says
// 5,000,000 of a 5-token prompt were cached (or written to the cache)
// is billed for 5 prompt tokens at most, never for millions.
func TestCostCacheCountsWithinPrompt(t *testing.T) {
	d := &Deployment{InputPricePerM: 1, OutputPricePerM: 2, CachedInputPricePerM: 0.5, CacheWritePricePerM: 1.25}
	whole := d.Cost(Usage{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7, CacheWriteTokens: 5})
	for _, u := range []Usage{
		{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7, CachedPromptTokens: 5_000_000},
		{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7, CacheWriteTokens: 5_000_000},
		{PromptTokens: 5, CompletionTokens: 2, TotalTokens: 7, CachedPromptTokens: 4, CacheWriteTokens: 5_000_000},
		{PromptTokens: 0, CompletionTokens: 2, TotalTokens: 2, CachedPromptTokens: 90_000_000},
	} {
		if got := d.Cost(u); got > whole {
			t.Errorf("Cost(%+v) = %v, more than the whole prompt written to the cache (%v)", u, got, whole)
		}
	}
	adv := &Deployment{InputPricePerM: 1, OutputPricePerM: 2}
	u := Usage{Advisor: &Advisor{Calls: []ModelUsage{{PromptTokens: 5, CompletionTokens: 2, CachedPromptTokens: 5_000_000}}}}
	if got := adv.Cost(u); got > adv.Cost(Usage{PromptTokens: 5, CompletionTokens: 2}) {
		t.Errorf("advisor cost = %v, more than its prompt at the input price", got)
	}
}
