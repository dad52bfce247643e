package anthropic

import (
	"testing"

	"switchyard/llm"
)

// A conversation of blank text alone (a user message of " ", which
// OpenAI answers) reaches Claude as the one-character user turn of a
// conversation without one, not as a 400: Claude refuses blank text
// blocks, and needs a user turn.
func TestBlankTurnsAloneGetAnOpeningUserTurn(t *testing.T) {
	for _, msgs := range [][]llm.Message{
		{llm.TextMessage(llm.RoleUser, " ")},
		{llm.TextMessage(llm.RoleUser, ""), llm.TextMessage(llm.RoleAssistant, "\n")},
	} {
		out, err := FromLLM(&llm.Request{Model: "claude-sonnet-4-6", Messages: msgs})
		if err != nil {
			t.Fatalf("%+v: %v", msgs, err)
		}
		if e := Validate(out); e != nil {
			t.Errorf("the body sent fails Claude's checks: %v", e)
		}
		if len(out.Messages) != 1 || out.Messages[0].Content[0].Text != OpeningUserText {
			t.Errorf("messages %+v", out.Messages)
		}
	}
	if _, err := FromLLM(&llm.Request{Model: "claude-sonnet-4-6"}); err == nil {
		t.Error("a request of no message at all is sent")
	}
}
