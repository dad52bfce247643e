package anthropic

import (
	"slices"

	"switchyard/llm"
)

// ReasoningDrops names what FromLLM leaves out of req because the model
// (req.ModelID(), ModelTraits) would refuse it, in order: "effort" (an
// Anthropic client's, on a model that takes none); "tool_choice" (a
// forced tool choice on a model that refuses forced tool use: auto is
// sent, see relaxToolChoice); "prefill" (a final assistant turn on a
// model that refuses one: the user turn asks to continue it, see
// continuePrefill); what chooseThinking does not honour
// ("reasoning", "reasoning_none", "between_tools"); the
// clear_thinking_20251015 context edit when no thinking is sent (the API
// refuses it then: clearThinkingRefused); then the sampling
// fields left out: every non-default one (temperature other than 1, top_p
// other than 1, top_k) on a model that takes none, else with thinking
// those thinking refuses (temperature other than 1, top_k, top_p below
// 0.95), then one of temperature and top_p both left on a model that
// takes only one (Traits.OneSampler). It is nil when nothing is left out.
//
// A Responses tool_choice forcing OpenAI's web search counts as forcing
// the web_search tool it runs as (WebSearchChoice).
func ReasoningDrops(req *llm.Request) []string {
	if forced, _ := req.OpenAIHosted.WebSearchChoice(); forced {
		r := *req
		r.ToolChoice = WebSearchChoice(req)
		r.Tools = append(slices.Clip(req.Tools), llm.Tool{Name: WebSearchName})
		req = &r
	}
	t := ModelTraits(req.ModelID())
	var out []string
	if req.AnthropicEffort() != "" && answerEffort(req) == "" {
		out = append(out, "effort")
	}
	if t.NoForcedTool && forcedTool(req) {
		out = append(out, "tool_choice")
	}
	if t.NoPrefill && endsWithTextPrefill(req.Messages) {
		out = append(out, "prefill")
	}
	c := chooseThinking(req, &t)
	if c.drop != "" {
		out = append(out, c.drop)
	}
	if clearThinkingRefused(req.ContextManagement, c, &t) {
		out = append(out, EditClearThinking)
	}
	return append(out, samplingDrops(req, &t, c.thinks())...)
}

// samplingDrops names the sampling fields applyReasoning leaves out of
// req for the model t, in order: every non-default one on a model that
// takes none; with thinking, those thinking refuses; then one of
// temperature and top_p both left, on a model that takes only one.
func samplingDrops(req *llm.Request, t *Traits, thinks bool) []string {
	var out []string
	temp, topP := req.Temperature, req.TopP
	if t.NoSampling || thinks {
		if temp != nil && *temp != 1 {
			out, temp = append(out, "temperature"), nil
		}
		if _, extra := req.Extra["top_k"]; req.TopK != nil || extra {
			out = append(out, "top_k")
		}
		if topP != nil && (*topP < 0.95 || t.NoSampling && *topP != 1) {
			out, topP = append(out, "top_p"), nil
		}
	}
	if t.NoSampling {
		return out // a default temperature or top_p is not sent either, and not named
	}
	if t.OneSampler && temp != nil && topP != nil {
		out = append(out, oneSamplerDrop(*temp, *topP))
	}
	return out
}
