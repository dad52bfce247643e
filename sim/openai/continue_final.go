package openai

import (
	"strings"

	"switchyard/llm"
	"switchyard/sim"
)

// vLLM and SGLang continue a request's final assistant message when asked
// with "continue_final_message": true and "add_generation_prompt": false
// (vLLM's chat API, "continue_final_message"): the chat template renders
// that message without its end of turn and the model writes on from its
// last token; the answer holds only what it wrote after. A ThinkTags
// model answers such a request so: the rest of the answer it would have
// written from the start — "<think>\n", its chain of thought,
// "\n</think>\n\n" and its text (the opening tag written, as the
// generation prompt is not) — that the message begins, else the rest of
// its text, else the simulator's own continuation of the prefill. A
// continuation meets no fault: a stream cut by a fault rule can be
// continued without being cut again.

// vllmParams are the chat template members vLLM takes beyond OpenAI's,
// which a ThinkTags model's host (vLLM-like) takes.
var vllmParams = map[string]bool{"continue_final_message": true, "add_generation_prompt": true}

// vllmPrefill returns the text of req's final assistant message when req
// asks for it to be continued.
func vllmPrefill(req *llm.Request) (string, bool) {
	n := len(req.Messages)
	if n == 0 || req.Messages[n-1].Role != llm.RoleAssistant || string(req.Extra["continue_final_message"]) != "true" {
		return "", false
	}
	return req.Messages[n-1].Text(), true
}

// continueTagged returns the answer of p, a ThinkTags model, to a request
// continuing prefill: what follows it.
func continueTagged(p *sim.Profile, a sim.Ask, ans sim.Answer, prefill string) sim.Answer {
	whole := thinkTagged(a, ans, false).Text
	var rest string
	switch {
	case strings.HasPrefix(whole, prefill):
		rest = whole[len(prefill):]
	case strings.HasPrefix(ans.Text, prefill):
		rest = ans.Text[len(prefill):]
	default:
		a.Prefill = prefill
		rest = p.Continue(a)
	}
	ans.Text, ans.Pieces = rest, fragments(rest, tagPiece)
	ans.CompletionTokens, ans.ReasoningTokens = len(ans.Pieces), 0
	return ans
}
