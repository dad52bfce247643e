package openai

import (
	"strings"
	"testing"

	"switchyard/sim"
)

// TestThinkTagged: a tagged answer's content holds its reasoning between
// <think> tags before the text, streamed in pieces of a few bytes that
// cut the tags; without the opening tag when the prompt opened it; its
// reasoning counted in completion tokens, none as reasoning tokens.
func TestThinkTagged(t *testing.T) {
	ans := sim.Answer{Text: "Yes.", Pieces: []string{"Yes."}, CompletionTokens: 1, ReasoningTokens: 3}
	got := thinkTagged(sim.Ask{Prompt: "Hi?"}, ans, false)
	const want = "<think>\nThe user asks: \"Hi?\". I can answer directly.\n</think>\n\nYes."
	if got.Text != want || strings.Join(got.Pieces, "") != want {
		t.Errorf("text %q pieces %q", got.Text, got.Pieces)
	}
	if got.Pieces[0] != "<thin" || got.CompletionTokens != 1-3+8 || got.ReasoningTokens != 0 {
		t.Errorf("pieces %q, completion %d reasoning %d", got.Pieces, got.CompletionTokens, got.ReasoningTokens)
	}
	if got := thinkTagged(sim.Ask{Prompt: "Hi?"}, ans, true); !strings.HasPrefix(got.Text, "The user asks") || !strings.Contains(got.Text, "</think>\n\nYes.") {
		t.Errorf("prompt opens: %q", got.Text)
	}
}
