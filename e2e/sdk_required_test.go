package e2e

import (
	"reflect"
	"testing"

	"github.com/openai/openai-go/v3"
)

// TestChatRequiredFields checks that a chat completion has every field
// openai-go's ChatCompletion and its choice mark required (read from the
// SDK's struct tags, so a field a new SDK requires is checked too), on
// each wire format behind the router.
func TestChatRequiredFields(t *testing.T) {
	e := newEnv(t, nil)
	for _, model := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		cc, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: model,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of Peru?")}})
		if err != nil {
			t.Fatal(err)
		}
		checkRequired(t, "chat completion via "+model, cc.RawJSON(), reflect.TypeOf(openai.ChatCompletion{}))
		checkRequired(t, "chat choice via "+model, cc.Choices[0].RawJSON(), reflect.TypeOf(openai.ChatCompletionChoice{}))
		checkRequired(t, "chat message via "+model, cc.Choices[0].Message.RawJSON(), reflect.TypeOf(openai.ChatCompletionMessage{}))
	}
}
