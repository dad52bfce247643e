package gateway

import (
	"cmp"
	"encoding/json"
	"slices"

	"switchyard/cost"
	"switchyard/llm"
	"switchyard/wire/anthropic"
)

// This file estimates what the usage an upstream reported before its
// stream broke leaves out: the compaction Claude made of the
// conversation and the consultations of its advisor, whose counts come
// only at the end.

// compactionContent returns the summary a compaction block or
// compaction_delta (raw) carries, "" for another block or none.
func compactionContent(raw json.RawMessage) string {
	var b struct {
		Type    string `json:"type"`
		Content string `json:"content"`
	}
	if json.Unmarshal(raw, &b) != nil || (b.Type != "compaction" && b.Type != "compaction_delta") {
		return ""
	}
	return b.Content
}

// partialSummary returns the summary of the compaction block partial
// holds, "" for none (or one whose content never came).
func partialSummary(partial *llm.Response) string {
	if partial == nil || len(partial.Choices) == 0 {
		return ""
	}
	for _, b := range partial.Choices[0].Message.Blocks() {
		if s := compactionContent(b.Raw); s != "" {
			return s
		}
	}
	return ""
}

// estimateCompaction estimates in u the compaction the upstream reported
// without counts (cost.Compaction): its input promptTokens, its output
// the tokens of summary.
func estimateCompaction(u *llm.Usage, promptTokens int, summary string) {
	if u.Compaction != nil && *u.Compaction == (llm.ModelUsage{}) {
		cost.Compaction(u, promptTokens, cost.SampleTokens(summary, len(summary)))
	}
}

// partialAdvice returns the advice of each advisor consultation partial
// holds (anthropic.AdviceOf), nil for none.
func partialAdvice(partial *llm.Response) []string {
	if partial == nil || len(partial.Choices) == 0 {
		return nil
	}
	var out []string
	for _, b := range partial.Choices[0].Message.Blocks() {
		if a := anthropic.AdviceOf(b.Raw); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// estimateAdvisor estimates in u the consultations of Claude's advisor
// the upstream reported without counts (its usage so far: calls all zero,
// their counts only in message_delta's iterations), and marks u
// estimated: each on model (the request's advisor tool's; "" prices it at
// the deployment's own rates), its input the prompt the answer read (u's
// prompt side as message_start reported it; promptTokens, the
// classifier's count, without one), its output the tokens of its advice
// (advice, in order). The advisor's thinking before its advice, which the
// stream does not show, is not in it: an undercount.
func estimateAdvisor(u *llm.Usage, model string, promptTokens int, advice []string) {
	a := u.Advisor
	if a == nil || len(a.Calls) == 0 || slices.ContainsFunc(a.Calls, func(c llm.ModelUsage) bool { return c != (llm.ModelUsage{}) }) {
		return
	}
	read := cmp.Or(u.PromptTokens, promptTokens)
	calls := make([]llm.ModelUsage, len(a.Calls))
	for i := range calls {
		calls[i] = llm.ModelUsage{Model: model, PromptTokens: read}
		if i < len(advice) {
			calls[i].CompletionTokens = cost.SampleTokens(advice[i], len(advice[i]))
		}
	}
	u.Advisor, u.Estimated = &llm.Advisor{Calls: calls}, true
}
