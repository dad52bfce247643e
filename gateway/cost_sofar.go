package gateway

import (
	"encoding/json"

	"switchyard/cost"
	"switchyard/llm"
)

// This file estimates what the usage an upstream reported before its
// stream broke leaves out: the compaction Claude made of the
// conversation, whose counts come only at the end.

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
