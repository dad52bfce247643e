package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// An Anthropic client's thinking disabled (llm.Request.ThinkingOff)
// reaches a Claude model as the least thinking it takes at the turn's
// effort: disabled where taken, between_tools on Sonnet 5.5, nothing on
// generation 4 (it does not think unasked) and on a model that cannot
// stop thinking (named reasoning_none), not that model's default
// adaptive thinking.
func TestThinkingOffOnClaude(t *testing.T) {
	for _, tc := range []struct {
		model, effort   string
		thinking, named string
	}{
		{"claude-sonnet-5", "high", ThinkingDisabled, ""},
		{"claude-opus-5", "medium", ThinkingDisabled, ""},
		{"claude-opus-5", "xhigh", "", "reasoning_none"}, // disabled only up to high
		{"claude-haiku-5-5", "", ThinkingDisabled, ""},
		{"claude-sonnet-5-5", "low", ThinkingBetweenTools, ""},
		{"claude-opus-5-5", "low", "", "reasoning_none"},
		{"claude-sonnet-4-5", "", "", ""},
		{"claude-opus-4-6", "high", "", ""},
	} {
		req := &llm.Request{Model: tc.model, OutputEffort: llm.Effort(tc.effort), ThinkingOff: true,
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Why is the sky blue?")}}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatalf("%s: %v", tc.model, err)
		}
		got := ""
		if out.Thinking != nil {
			got = out.Thinking.Type
		}
		if got != tc.thinking {
			t.Errorf("%s at %q: thinking %q, want %q", tc.model, tc.effort, got, tc.thinking)
		}
		if named := strings.Join(ReasoningDrops(req), ","); named != tc.named {
			t.Errorf("%s at %q: dropped %q, want %q", tc.model, tc.effort, named, tc.named)
		}
	}
}
