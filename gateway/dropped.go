package gateway

import (
	"slices"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/wire/openai"
)

// answerNeutral are the Chat Completions fields the router does not model
// that change no answer: OpenAI's own bookkeeping (stored completions,
// prompt-cache routing, abuse ids) and the marker of max_completion_tokens,
// whose value is the modeled limit. Another kind's adapter leaves them out
// without naming them dropped.
var answerNeutral = []string{
	openai.ExtraMaxCompletionTokens, "store", "prompt_cache_key", "prompt_cache_retention", "safety_identifier",
}

// extraDropped names the fields of req.Extra (Chat Completions fields the
// router does not model, passed through verbatim to OpenAI and Azure) that
// a deployment of another kind answers without, in key order: all but the
// answer-neutral ones and those its adapter reads (Anthropic's thinking
// and top_k).
func extraDropped(kind string, req *llm.Request) []string {
	if kind == config.KindOpenAI || kind == config.KindAzure || len(req.Extra) == 0 {
		return nil
	}
	var out []string
	for k := range req.Extra {
		switch {
		case slices.Contains(answerNeutral, k):
		case kind == config.KindAnthropic && (k == "thinking" || k == "top_k"):
		default:
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
