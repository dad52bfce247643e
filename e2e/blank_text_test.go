package e2e

import (
	"testing"

	"github.com/openai/openai-go/v3"
)

// OpenAI accepts whitespace-only text (an agent's empty-ish system
// prompt, an assistant turn of "  " before its tool call); Anthropic's
// Messages API refuses a text block without non-whitespace text (400
// "text content blocks must contain non-whitespace text"), and the
// simulator does too. Routed to Claude, such text is left out, as empty
// text is, and the conversation is answered.
func TestBlankTextReachesClaude(t *testing.T) {
	e := newEnv(t, nil)
	for _, streamed := range []bool{false, true} {
		text, _, _, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: "claude-haiku-4-5",
			Messages: []openai.ChatCompletionMessageParamUnion{
				openai.SystemMessage(" \n "),
				openai.UserMessage("What is the capital of Peru?"),
				openai.AssistantMessage("  "),
				openai.UserMessage("\t"),
				openai.UserMessage("And of Chile?"),
			},
		}, streamed)
		if err != nil || text == "" {
			t.Errorf("streamed=%v: %q, %v", streamed, text, err)
		}
	}
}
