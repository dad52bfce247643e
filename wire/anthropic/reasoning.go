package anthropic

import (
	"slices"
	"strconv"
	"strings"

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
	default:
		return nil
	}
	r.Show = th.Display != DisplayOmitted
	r.Display = th.Display
	return &r
}

// applyReasoning sets out.Thinking from req.Reasoning, after the rest of
// out is built, and settles the API's constraints on thinking (see
// FromLLM). It does nothing without a Reasoning, or for effort "none".
func applyReasoning(out *MessagesRequest, req *llm.Request) {
	r := req.Reasoning
	if r == nil || r.Effort == llm.EffortNone {
		return
	}
	if tc := out.ToolChoice; tc != nil && (tc.Type == ToolChoiceAny || tc.Type == ToolChoiceTool) {
		return // a forced tool call is the answer's shape; thinking is only a means
	}
	if UnthoughtToolLoop(req.Messages) {
		return // Claude would refuse to think without the loop's thinking
	}
	adaptive, only := AdaptiveThinking(req.Model)
	switch {
	case only || r.Adaptive && adaptive:
		out.Thinking = &Thinking{Type: ThinkingAdaptive, Display: r.Display}
	default:
		budget, ok := thinkingBudget(r, req.MaxTokens, interleaved(req.AnthropicBetas))
		if !ok {
			return
		}
		if req.MaxTokens == nil {
			mt := DefaultMaxTokens + budget
			out.MaxTokens = &mt
		}
		out.Thinking = &Thinking{Type: ThinkingEnabled, BudgetTokens: budget, Display: r.Display}
	}
	if t := out.Temperature; t != nil && *t != 1 {
		out.Temperature = nil
	}
	out.TopK = nil
	if p := out.TopP; p != nil && *p < 0.95 {
		out.TopP = nil
	}
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
// thinking): Claude 3.7 Sonnet and every model of generation 4 or later.
// Model ids are read in both of Anthropic's styles, claude-sonnet-4-5 and
// claude-3-7-sonnet-20250219; an unknown id cannot.
func ThinkingModel(model string) bool {
	family, major, minor, ok := parseClaude(model)
	return ok && (major >= 4 || major == 3 && minor >= 7 && family == "sonnet")
}

// AdaptiveThinking reports whether a Claude model accepts thinking type
// adaptive (Opus and Sonnet 4.6 and later), and whether it accepts only
// that (Opus 4.7 and later, which refuse budget_tokens).
func AdaptiveThinking(model string) (adaptive, only bool) {
	family, major, minor, ok := parseClaude(model)
	if !ok || family == "haiku" {
		return false, false
	}
	v := major*100 + minor
	return v >= 406, family == "opus" && v >= 407
}

// parseClaude reads a Claude model id: claude-FAMILY-MAJOR[-MINOR][-DATE]
// or claude-MAJOR[-MINOR]-FAMILY[-DATE], FAMILY one of opus, sonnet and
// haiku (other words are skipped).
func parseClaude(model string) (family string, major, minor int, ok bool) {
	parts := strings.Split(strings.ToLower(model), "-")
	if len(parts) < 3 || parts[0] != "claude" {
		return "", 0, 0, false
	}
	var nums []int
	for _, p := range parts[1:] {
		switch n, err := strconv.Atoi(p); {
		case p == "opus" || p == "sonnet" || p == "haiku":
			family = p
		case err == nil && len(p) <= 2 && len(nums) < 2:
			nums = append(nums, n)
		}
	}
	if family == "" || len(nums) == 0 {
		return "", 0, 0, false
	}
	if len(nums) == 2 {
		minor = nums[1]
	}
	return family, nums[0], minor, true
}

// thinkingBlocks returns the blocks of an assistant turn's thinking.
func thinkingBlocks(th []llm.Thinking) Blocks {
	out := make(Blocks, 0, len(th))
	for _, t := range th {
		switch {
		case t.Redacted != "":
			out = append(out, ContentBlock{Type: BlockRedactedThinking, Data: t.Redacted})
		case t.Signature != "":
			out = append(out, ContentBlock{Type: BlockThinking, Thinking: t.Text, Signature: t.Signature})
		} // unsigned: another provider's thought summary, which Claude would refuse
	}
	return out
}

// signed reports whether th holds a block Claude can take back: signed
// thinking or redacted thinking.
func signed(th []llm.Thinking) bool {
	for _, t := range th {
		if t.Redacted != "" || t.Signature != "" {
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
