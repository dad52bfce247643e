package anthropic

import "switchyard/llm"

// This file decides what thinking FromLLM sends a Claude model for the
// reasoning a request asks, by what the model takes (Traits), and names
// what of the request is left out, for ReasoningDrops.

// choice is the thinking sent for a request.
type choice struct {
	// typ is the thinking type sent; "" for no thinking field (the
	// model's default: no thinking before generation 5, adaptive on it).
	typ string
	// budget is budget_tokens, for typ enabled.
	budget int
	// drop names what of the client's ask is not honoured: "reasoning"
	// (thinking asked and none sent), "reasoning_none" (no thinking asked
	// of a model that always thinks), "between_tools" (asked of a model
	// that has it not, and cannot turn thinking off); "" for nothing.
	drop string
}

// thinks reports whether the choice sends thinking that thinks up front.
func (c choice) thinks() bool { return c.typ == ThinkingEnabled || c.typ == ThinkingAdaptive }

// chooseThinking decides the thinking for req on model t:
//   - no Reasoning: none sent, the model's default (a direct caller's
//     request without thinking gets the same); with thinking turned off
//     (an Anthropic client's disabled, llm.Request.ThinkingOff), the
//     lowest the model takes, as for effort none;
//   - effort none (reasoning asked off): the lowest the model takes
//     (lowestThinking);
//   - between_tools on a model that does not take it at the effort it
//     answers at (answerEffort: the last per-turn effort, sent in place
//     or not, else the top-level one): the lowest thinking the model
//     takes at that effort;
//   - a forced tool choice the model takes, a tool loop whose thinking
//     was not sent back (UnthoughtToolLoop), or a token limit too small
//     for a budget: none, and "reasoning" is dropped;
//   - between_tools: sent as it is;
//   - adaptive where the model takes it and the client asked adaptive, or
//     the model takes no budget; else enabled with its budget
//     (thinkingBudget).
func chooseThinking(req *llm.Request, t *Traits) choice {
	r := req.Reasoning
	switch {
	case r == nil && req.ThinkingOff: // an Anthropic client's disabled
		return lowestThinking(t, answerEffort(req), "reasoning_none")
	case r == nil:
		return choice{}
	case r.Effort == llm.EffortNone:
		return lowestThinking(t, answerEffort(req), "reasoning_none")
	case r.BetweenTools && !t.TakesEffort(answerEffort(req), ThinkingBetweenTools):
		return lowestThinking(t, answerEffort(req), "between_tools") // no thinking up front: no conflict with a forced tool
	case forcedTool(req) && !t.NoForcedTool:
		return choice{drop: "reasoning"} // a forced tool call is the answer's shape; thinking is only a means
	case unthoughtToolLoop(req.Messages, t):
		return choice{drop: "reasoning"} // Claude would refuse to think without the loop's thinking
	case r.BetweenTools:
		return choice{typ: ThinkingBetweenTools}
	case t.Adaptive && (r.Adaptive || !t.Budget):
		return choice{typ: ThinkingAdaptive}
	}
	budget, ok := thinkingBudget(r, req.MaxTokens, interleaved(req.AnthropicBetas))
	if !ok {
		return choice{drop: "reasoning"}
	}
	return choice{typ: ThinkingEnabled, budget: budget}
}

// lowestThinking is the least thinking model t takes at effort e: none
// sent to a model that does not think by default; between_tools or
// disabled where the model takes it at e; else none sent (adaptive, the
// model's default, at the effort sent), dropping what was asked.
func lowestThinking(t *Traits, e llm.Effort, drop string) choice {
	switch {
	case !t.ThinksByDefault:
		return choice{}
	case t.TakesEffort(e, ThinkingBetweenTools):
		return choice{typ: ThinkingBetweenTools}
	case t.TakesEffort(e, ThinkingDisabled):
		return choice{typ: ThinkingDisabled}
	}
	return choice{drop: drop}
}

// forcedTool reports whether req forces a tool call: tool_choice required
// or a named function, with tools to call.
func forcedTool(req *llm.Request) bool {
	tc := req.ToolChoice
	return tc != nil && (tc.Mode == llm.ToolChoiceRequired || tc.Mode == llm.ToolChoiceFunction) && len(req.Tools) > 0
}
