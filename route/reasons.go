package route

import (
	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	"switchyard/wire/openai"
)

// ReasonsByID reports whether a model of a provider kind takes reasoning
// controls by its id alone, without declaring capability reasoning:
// OpenAI's o-series and GPT-5 (openai.ReasoningModel), xAI's Grok models
// that reason (openai.GrokReasons), DeepSeek's models that think by
// default (openai.DeepSeekThinkingModel: its reasoning_effort takes every
// level), Claude models with extended thinking, Gemini 2.5 and 3.
func ReasonsByID(kind, model string) bool {
	switch kind {
	case config.KindOpenAI, config.KindAzure:
		return openai.ReasoningModel(model) || openai.GrokReasons(model) || openai.DeepSeekThinkingModel(model)
	case config.KindAnthropic:
		return anthropic.ThinkingModel(model)
	case config.KindGemini:
		return gemini.ThinkingModel(model)
	}
	return false
}

// ReasonsOn reports whether a model of provider p takes reasoning
// controls by its id alone: as ReasonsByID says, or a Qwen model that
// thinks (openai.QwenModeOf) on a host that takes its thinking switch
// (p.QwenThinkingSwitch: DashScope, ModelScope, or a thinking_switch
// set), which the openai adapter sends the reasoning as
// (openai.SetQwenThinking).
func ReasonsOn(p *config.Provider, model string) bool {
	if ReasonsByID(p.Kind, model) {
		return true
	}
	return openai.QwenModeOf(model) != openai.QwenNoThinking && p.QwenThinkingSwitch() != config.ThinkingSwitchNone
}

// asksReasoning reports whether the request asks a model to think: an
// effort above minimal, or a budget or adaptive thinking (Features.Effort
// is then their level).
func asksReasoning(f *Features) bool {
	return f.Effort != "" && f.Effort != llm.EffortNone && f.Effort != llm.EffortMinimal
}
