package gemini

import (
	"testing"

	"switchyard/llm"
)

// A conversation of empty turns alone (a user message of "", which
// OpenAI answers) reaches Gemini as a one-character user turn, not as a
// 400: Gemini refuses empty parts and turns, and needs a user turn.
func TestEmptyTurnsAloneGetAnOpeningUserTurn(t *testing.T) {
	for _, msgs := range [][]llm.Message{
		{llm.TextMessage(llm.RoleUser, "")},
		{llm.TextMessage(llm.RoleUser, ""), llm.TextMessage(llm.RoleAssistant, "")},
	} {
		out, err := FromLLM(&llm.Request{Model: "gemini-2.5-flash", Messages: msgs})
		if err != nil {
			t.Fatalf("%+v: %v", msgs, err)
		}
		if len(out.Contents) != 1 || out.Contents[0].Role != RoleUser || out.Contents[0].Parts[0].Text != OpeningUserText {
			t.Errorf("contents %+v", out.Contents)
		}
	}
}
