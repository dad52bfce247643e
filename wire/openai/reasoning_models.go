package openai

import "strings"

// ReasoningModel reports whether an OpenAI model id names a model that
// takes reasoning_effort: the o-series from o1 (not o1-mini or
// o1-preview, which refuse it), GPT-5 and later except their chat
// variants (gpt-5-chat-latest), codex-mini and the open-weight gpt-oss
// models as OpenAI-compatible hosts serve them ("openai/gpt-oss-120b").
// An unknown id cannot: its deployment must declare capability reasoning.
func ReasoningModel(model string) bool { return reasoningModel(modelID(model)) }

// reasoningModel is ReasoningModel of a model id (modelID).
func reasoningModel(m string) bool {
	switch {
	case strings.HasPrefix(m, "o1-mini"), strings.HasPrefix(m, "o1-preview"):
		return false
	case oSeries(m):
		return true
	case strings.HasPrefix(m, "gpt-"):
		version, rest, _ := strings.Cut(m[len("gpt-"):], "-")
		if version == "oss" {
			return true
		}
		major, _, ok := gptVersion(version)
		return ok && major >= 5 && !strings.Contains(rest, "chat")
	case strings.HasPrefix(m, "codex-mini"):
		return true
	}
	return false
}
