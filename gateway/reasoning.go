package gateway

import (
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	"switchyard/wire/openai"
)

// withReasoning returns d with capability reasoning when a deployment of
// the provider kind thinks by its model id though its configuration does
// not say so: OpenAI's o-series and GPT-5 (openai.ReasoningModel), Claude
// models that take extended thinking, Gemini 2.5 and 3. The dispatcher
// sends a request's reasoning controls only to a deployment with the
// capability (a non-reasoning OpenAI model refuses reasoning_effort); any
// other model, an OpenAI-compatible server's included, must declare it.
func withReasoning(d llm.Deployment, kind string) llm.Deployment {
	if d.Has(llm.CapReasoning) {
		return d
	}
	if reasoningModel(kind, d.Model) {
		d.Capabilities = append(slices.Clip(d.Capabilities), llm.CapReasoning)
	}
	return d
}

// reasoningModel reports whether a model of a provider kind reasons by its
// id alone.
func reasoningModel(kind, model string) bool {
	switch kind {
	case config.KindOpenAI, config.KindAzure:
		return openai.ReasoningModel(model)
	case config.KindAnthropic:
		return anthropic.ThinkingModel(model)
	case config.KindGemini:
		return gemini.ThinkingModel(model)
	}
	return false
}

// droppedSampling names the sampling hints of req that the adapter of
// target t drops, as its model would refuse them: an OpenAI reasoning
// model's (openai.FixedSampling); nil for none or no target.
func droppedSampling(t *Target, req *llm.Request) []string {
	if t == nil || t.Kind != config.KindOpenAI && t.Kind != config.KindAzure {
		return nil
	}
	r := *req
	if !t.Deployment.Has(llm.CapReasoning) {
		r.Reasoning = nil // as the dispatcher sends it
	}
	return openai.FixedSampling(t.Deployment.Model, &r)
}
