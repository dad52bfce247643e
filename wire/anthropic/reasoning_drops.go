package anthropic

import "switchyard/llm"

// ReasoningDrops names what FromLLM leaves out of req for thinking's
// sake, as applyReasoning settles the API's constraints: "reasoning"
// itself when a forced tool choice, a tool loop whose thinking was not
// sent back (UnthoughtToolLoop) or a token limit too small to think in
// leaves no thinking, else the sampling hints thinking refuses
// (temperature other than 1, top_k, top_p below 0.95). It is nil when req
// asks no reasoning or nothing is left out.
func ReasoningDrops(req *llm.Request) []string {
	var effort []string
	if req.OutputEffort != "" && claudeEffort(req) == "" {
		effort = []string{"effort"} // an Anthropic client's, on a model that takes none
	}
	r := req.Reasoning
	if r == nil || r.Effort == llm.EffortNone {
		return effort
	}
	if tc := req.ToolChoice; tc != nil && (tc.Mode == llm.ToolChoiceRequired || tc.Mode == llm.ToolChoiceFunction) && len(req.Tools) > 0 {
		return append(effort, "reasoning")
	}
	if UnthoughtToolLoop(req.Messages) {
		return append(effort, "reasoning")
	}
	if adaptive, only := AdaptiveThinking(req.Model); !only && !(r.Adaptive && adaptive) {
		if _, ok := thinkingBudget(r, req.MaxTokens, interleaved(req.AnthropicBetas)); !ok {
			return append(effort, "reasoning")
		}
	}
	out := effort
	if t := req.Temperature; t != nil && *t != 1 {
		out = append(out, "temperature")
	}
	if _, extra := req.Extra["top_k"]; req.TopK != nil || extra {
		out = append(out, "top_k")
	}
	if p := req.TopP; p != nil && *p < 0.95 {
		out = append(out, "top_p")
	}
	return out
}
