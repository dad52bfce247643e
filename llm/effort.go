package llm

// AnthropicEffort returns the effort an Anthropic client asked of this
// answer: the last per-turn effort (TurnEffort, a system message's own
// output_config), else the top-level output_config.effort
// (OutputEffort); "" for none.
func (r *Request) AnthropicEffort() Effort {
	if r.TurnEffort != "" {
		return r.TurnEffort
	}
	return r.OutputEffort
}

// DialReasoning returns the reasoning a deployment with one effort dial
// (Deployment.EffortDial: OpenAI's reasoning_effort, Gemini's thinking)
// is sent for r. Without an Anthropic effort (AnthropicEffort) it is
// Reasoning itself. With one, the effort is the level: a copy of
// Reasoning asking it in place of a budget, adaptive or between_tools
// thinking (whether the thinking is shown, its display and summary
// kept), or, when the client asked no thinking, a Reasoning asking the
// effort alone. A client that turned thinking off (ThinkingOff) is sent
// effort none whatever its effort: the model's one dial is its
// thinking, and none is its least (the adapter sends a level its model
// lacks as the nearest it takes: openai.SentEffort, Gemini's levels and
// budgets, so the model's weakest where it cannot stop thinking).
func (r *Request) DialReasoning() *Reasoning {
	e := r.AnthropicEffort()
	if e == "" {
		return r.Reasoning
	}
	if r.ThinkingOff {
		return &Reasoning{Effort: EffortNone}
	}
	var out Reasoning
	if r.Reasoning != nil {
		out = *r.Reasoning
	}
	out.Effort, out.BudgetTokens, out.Adaptive, out.BetweenTools = e, 0, false, false
	return &out
}
