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
// Gemini refuses an empty text part ("Unable to submit request because it
// has an empty text parameter"); the same conversation with empty text
// reaches every provider kind (the simulators refuse what the APIs do).
func TestBlankTextReachesEveryProvider(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		for _, blank := range []string{"", " \n "} {
			for _, streamed := range []bool{false, true} {
				text, _, _, err := chatWith(t, e, openai.ChatCompletionNewParams{
					Model: dep,
					Messages: []openai.ChatCompletionMessageParamUnion{
						openai.SystemMessage(blank),
						openai.UserMessage("What is the capital of Peru?"),
						openai.AssistantMessage(blank),
						openai.UserMessage(blank),
						openai.UserMessage("And of Chile?"),
					},
				}, streamed)
				if err != nil || text == "" {
					t.Errorf("%s, text %q, streamed=%v: %q, %v", dep, blank, streamed, text, err)
				}
			}
		}
	}
}
