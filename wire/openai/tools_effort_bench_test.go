package openai

import (
	"testing"

	"switchyard/llm"
)

// BenchmarkToolsNeedResponses is the check the route makes several times
// per OpenAI-wire candidate of a request with function tools (the
// tools-on-Chat rule, whether it goes to the Responses API): models that
// take tools at every effort (GPT-4o, GPT-5, an unknown id behind a vendor
// prefix), with no effort and with one, and models whose rule reads the
// effort (GPT-5.4, GPT-6 Sol).
func BenchmarkToolsNeedResponses(b *testing.B) {
	ids := []string{"gpt-4o-mini", "gpt-5", "Acme/Reasoner-7B", "gpt-5.4", "gpt-6-sol"}
	b.ReportAllocs()
	for b.Loop() {
		for _, id := range ids {
			ToolsNeedResponses(id, nil, "", true)
			ToolsNeedResponses(id, nil, llm.EffortLow, true)
		}
	}
}
