package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"
)

// A function name that starts with a digit is valid for OpenAI (and
// Anthropic) and refused by Gemini ("Must start with a letter or an
// underscore"): the router sends it to a Gemini deployment with a leading
// underscore and gives the client its own name back, complete and
// streamed, and the tool loop's next turn (the call and its result in the
// history) is accepted.
func TestDigitFunctionNameOnGemini(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	lookup := openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name:       "1password_lookup",
		Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"item": map[string]any{"type": "string"}}},
	})
	for _, streamed := range []bool{false, true} {
		params := openai.ChatCompletionNewParams{
			Model:    "gemini-2.5-flash",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Find my bank login.")},
			Tools:    []openai.ChatCompletionToolUnionParam{weatherTool, lookup},
			ToolChoice: openai.ToolChoiceOptionFunctionToolChoice(openai.ChatCompletionNamedToolChoiceFunctionParam{
				Name: "1password_lookup"}),
		}
		msg, finish := askChat(t, e, params, streamed)
		if finish != "tool_calls" || len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Name != "1password_lookup" {
			t.Fatalf("streamed=%v: finish %q, calls %+v", streamed, finish, msg.ToolCalls)
		}
		params.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{}
		params.Messages = append(params.Messages, msg.ToParam(), openai.ToolMessage(`{"login": "found"}`, msg.ToolCalls[0].ID))
		msg, finish = askChat(t, e, params, streamed)
		if finish != "stop" || !strings.Contains(msg.Content, "found") {
			t.Errorf("streamed=%v: answer after the result: finish %q, %q", streamed, finish, msg.Content)
		}
	}
}
