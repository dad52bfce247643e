package llm

import "testing"

// BenchmarkCost prices one usage per op: a deployment without a band, and
// a banded one under and over its threshold (the per-attempt hot path).
func BenchmarkCost(b *testing.B) {
	plain := haiku55()
	plain.LongPrompt = nil
	banded := haiku55()
	u := Usage{PromptTokens: 90_000, CachedPromptTokens: 30_000, CacheWriteTokens: 12_000, CacheWrite1hTokens: 2_000, CompletionTokens: 2_000}
	long := u
	long.PromptTokens = 150_000
	for _, bc := range []struct {
		name string
		d    *Deployment
		u    Usage
	}{{"plain", &plain, u}, {"banded-under", &banded, u}, {"banded-over", &banded, long}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			var sum float64
			for b.Loop() {
				sum += bc.d.Cost(bc.u)
			}
			_ = sum
		})
	}
}
