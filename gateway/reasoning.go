package gateway

import (
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
)

// withReasoning returns d with capability reasoning when a deployment of
// the provider kind thinks by its model id though its configuration does
// not say so: Claude models that take extended thinking, Gemini 2.5 and
// 3. The dispatcher sends a request's reasoning controls only to a
// deployment with the capability; OpenAI-format deployments must declare
// it (a non-reasoning OpenAI model refuses reasoning_effort).
func withReasoning(d llm.Deployment, kind string) llm.Deployment {
	if d.Has(llm.CapReasoning) {
		return d
	}
	if kind == config.KindAnthropic && anthropic.ThinkingModel(d.Model) || kind == config.KindGemini && gemini.ThinkingModel(d.Model) {
		d.Capabilities = append(slices.Clip(d.Capabilities), llm.CapReasoning)
	}
	return d
}
