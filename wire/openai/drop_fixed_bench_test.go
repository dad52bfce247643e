package openai

import (
	"testing"

	"switchyard/llm"
)

// BenchmarkDropFixedSampling is the adapter's per-request pass over the
// hints a model refuses (every OpenAI-wire request): a known model whose
// level is taken, and one whose level is changed.
func BenchmarkDropFixedSampling(b *testing.B) {
	taken := &llm.Reasoning{Effort: llm.EffortHigh}
	changed := &llm.Reasoning{Effort: llm.EffortXHigh}
	b.ReportAllocs()
	for b.Loop() {
		r := llm.Request{Model: "gpt-5", Reasoning: taken}
		DropFixedSampling(&r)
		r = llm.Request{Model: "acme-reasoner", Reasoning: changed}
		DropFixedSampling(&r)
	}
}
