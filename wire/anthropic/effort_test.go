package anthropic

import (
	"testing"

	"switchyard/llm"
)

func TestClaudeEffortLevels(t *testing.T) {
	for _, c := range []struct {
		model  string
		effort llm.Effort
		own    llm.Effort // an Anthropic client's output_config.effort
		want   llm.Effort
	}{
		{"claude-opus-4-7", llm.EffortLow, "", llm.EffortLow},
		{"claude-opus-4-7", llm.EffortNone, "", llm.EffortLow},
		{"claude-opus-4-7", llm.EffortXHigh, "", llm.EffortXHigh},
		{"claude-sonnet-4-6", llm.EffortXHigh, "", llm.EffortMax},
		{"claude-opus-4-5-20251101", llm.EffortXHigh, "", llm.EffortHigh},
		{"claude-opus-4-5", llm.EffortMax, "", llm.EffortHigh},
		{"claude-opus-4-6", llm.EffortHigh, llm.EffortMedium, llm.EffortMedium},
		{"claude-sonnet-5", "", llm.EffortXHigh, llm.EffortXHigh},
		{"claude-sonnet-4-5", llm.EffortLow, "", ""},
		{"claude-haiku-4-5", llm.EffortLow, llm.EffortLow, ""},
		{"claude-opus-4-7", "", "", ""},
	} {
		req := &llm.Request{Model: c.model, OutputEffort: c.own}
		if c.effort != "" {
			req.Reasoning = &llm.Reasoning{Effort: c.effort}
		}
		if got := claudeEffort(req); got != c.want {
			t.Errorf("%s, reasoning %q, own %q: %q, want %q", c.model, c.effort, c.own, got, c.want)
		}
	}
}
