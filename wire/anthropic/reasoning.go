package anthropic

import (
	"slices"

	"switchyard/llm"
)

// This file maps extended thinking both ways: an Anthropic client's
// thinking to the canonical llm.Reasoning, and llm.Reasoning to the
// thinking of a request for a Claude deployment.

// The thinking types.
const (
	ThinkingEnabled  = "enabled"
	ThinkingDisabled = "disabled"
	ThinkingAdaptive = "adaptive"
	// ThinkingBetweenTools thinks only between tool calls, with no
	// thinking up front: Sonnet 5.5's lowest setting, in place of
	// disabled.
	ThinkingBetweenTools = "between_tools"
)

// DisplayOmitted is the thinking display that returns signed thinking
// blocks with their text left out.
const DisplayOmitted = "omitted"

// MaxEffortBudget is the largest thinking budget FromLLM derives from an
// effort level (xhigh and max are capped to it): with DefaultMaxTokens
// added it stays within 32000, the output limit of the smallest thinking
// Claude models (Opus 4 and 4.1).
const MaxEffortBudget = 32000 - DefaultMaxTokens

// ThinkingToLLM returns the canonical reasoning of a valid thinking
// configuration: enabled keeps its budget, adaptive stays adaptive, and
// disabled (the API's default) is no reasoning at all, nil. The client
// wants the thinking content back unless it asked for display "omitted";
// the display itself travels too, for a Claude deployment.
func ThinkingToLLM(th *Thinking) *llm.Reasoning {
	if th == nil {
		return nil
	}
	var r llm.Reasoning
	switch th.Type {
	case ThinkingEnabled:
		r.BudgetTokens = th.BudgetTokens
	case ThinkingAdaptive:
		r.Adaptive = true
	case ThinkingBetweenTools:
		r.BetweenTools = true
	default:
		return nil
	}
	r.Show = th.Display != DisplayOmitted
	r.Display = th.Display
	if r.Show { // an OpenAI Responses API deployment's summary is the thinking shown
		r.Summary = "auto"
	}
	return &r
}

// applyReasoning sets out.Thinking from req.Reasoning, after the rest of
// out is built, as chooseThinking decides for the model t, and leaves out
// the sampling fields the model refuses: all of them on a model that
// takes none (Traits.NoSampling), else, when it thinks, those thinking
// refuses (a temperature other than 1, top_k, a top_p below 0.95); and
// of temperature and top_p both left, one on a model that takes only one
// (Traits.OneSampler, oneSamplerDrop). Thinking from req.Extra is kept unless thinking is chosen.
func applyReasoning(out *MessagesRequest, req *llm.Request, t *Traits) {
	c := chooseThinking(req, t)
	switch c.typ {
	case ThinkingEnabled:
		if req.MaxTokens == nil {
			mt := DefaultMaxTokens + c.budget
			out.MaxTokens = &mt
		}
		out.Thinking = &Thinking{Type: ThinkingEnabled, BudgetTokens: c.budget, Display: req.Reasoning.Display}
	case ThinkingAdaptive:
		out.Thinking = &Thinking{Type: ThinkingAdaptive, Display: req.Reasoning.Display}
	case ThinkingBetweenTools, ThinkingDisabled:
		out.Thinking = &Thinking{Type: c.typ} // they take no other field
	}
	switch {
	case t.NoSampling:
		out.Temperature, out.TopP, out.TopK = nil, nil, nil
	case c.thinks():
		if tp := out.Temperature; tp != nil && *tp != 1 {
			out.Temperature = nil
		}
		out.TopK = nil
		if p := out.TopP; p != nil && *p < 0.95 {
			out.TopP = nil
		}
	}
	if t.OneSampler && out.Temperature != nil && out.TopP != nil {
		if oneSamplerDrop(*out.Temperature, *out.TopP) == "temperature" {
			out.Temperature = nil
		} else {
			out.TopP = nil
		}
	}
}

// oneSamplerDrop is which of temperature and top_p, both set, a model
// that takes only one (Traits.OneSampler) is not sent: the one left at its
// default (1), else top_p (Anthropic advises changing the temperature).
func oneSamplerDrop(temperature, topP float64) string {
	if temperature == 1 && topP != 1 {
		return "temperature"
	}
	return "top_p"
}

// thinkingBudget returns the budget_tokens for r under the client's token
// limit (nil: none set), and false when thinking cannot fit. An explicit
// budget (an Anthropic client's, validated against its own max_tokens) is
// kept (with interleaved thinking, even at or over the limit: the budget
// then spans the turn). An effort's budget (llm.BudgetFor, capped to MaxEffortBudget)
// takes at most half of the limit, so the answer keeps room, and never
// less than the API's floor of 1024: a limit of 1024 or less leaves no
// room to think.
func thinkingBudget(r *llm.Reasoning, maxTokens *int, interleaved bool) (int, bool) {
	if r.BudgetTokens > 0 {
		return r.BudgetTokens, maxTokens == nil || *maxTokens > r.BudgetTokens || interleaved
	}
	budget := min(r.Budget(), MaxEffortBudget)
	if maxTokens == nil {
		return budget, true
	}
	if *maxTokens <= minBudget {
		return 0, false
	}
	return max(min(budget, *maxTokens/2), minBudget), true
}

// minBudget is the smallest budget_tokens the API accepts.
const minBudget = 1024

// ThinkingModel reports whether a Claude model can think (extended
// thinking): Claude 3.7 Sonnet and every model of generation 4 or later
// (ModelTraits); an unknown id cannot.
func ThinkingModel(model string) bool {
	t := ModelTraits(model)
	return t.Thinks
}

// AdaptiveThinking reports whether a Claude model accepts thinking type
// adaptive (Opus and Sonnet 4.6 and later, every model of generation 5),
// and whether it accepts only that of the two thinking types that think
// up front (Opus 4.7 and later, generation 5: they refuse
// budget_tokens).
func AdaptiveThinking(model string) (adaptive, only bool) {
	t := ModelTraits(model)
	return t.Adaptive, t.Adaptive && !t.Budget
}

// thinkingBlocks returns the blocks of an assistant turn's thinking.
func thinkingBlocks(th []llm.Thinking) Blocks {
	out := make(Blocks, 0, len(th))
	for _, t := range th {
		switch {
		case t.ForOtherHost(): // an OpenAI reasoning item, OpenRouter's details: for that host alone
		case t.Redacted != "":
			out = append(out, ContentBlock{Type: BlockRedactedThinking, Data: t.Redacted})
		case t.Signature != "":
			out = append(out, ContentBlock{Type: BlockThinking, Thinking: t.Text, Signature: t.Signature})
		} // unsigned: another provider's thought summary, which Claude would refuse
	}
	return out
}

// signed reports whether th holds a block the model whose traits are tr
// can take back: redacted thinking, or thinking signed by a host it
// takes (takes).
func signed(th []llm.Thinking, tr *Traits) bool {
	for i := range th {
		t := &th[i]
		if t.Redacted != "" && !t.ForOtherHost() || t.Signature != "" && takes(tr, t) {
			return true
		}
	}
	return false
}

// dropThinking removes the thinking blocks of the assistant turns, for a
// request that does not think.
func dropThinking(turns []Message) {
	for i := range turns {
		m := &turns[i]
		if m.Role != "assistant" {
			continue
		}
		m.Content = slices.DeleteFunc(m.Content, func(b ContentBlock) bool {
			return b.Type == BlockThinking || b.Type == BlockRedactedThinking
		})
	}
}
