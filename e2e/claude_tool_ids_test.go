package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// A conversation whose tool call ids Claude refuses (Kimi's
// "functions.get_weather:0", Codex's composite "call_1|fc_2": ids another
// provider gave the client) is routed to Claude and answered, complete and
// streamed: the router sends Claude ids it takes, the tool_use and its
// tool_result still paired. Before, Claude answered 400 "tool_use.id: String
// should match pattern".
func TestForeignToolCallIDsOnClaude(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, id := range []string{"functions.get_weather:0", "call_1|fc_2"} {
		for _, streamed := range []bool{false, true} {
			call := openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{
				ID: id, Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{"city":"Oslo"}`}}}
			params := openai.ChatCompletionNewParams{
				Model: "claude-haiku-4-5",
				Tools: []openai.ChatCompletionToolUnionParam{weatherTool},
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.UserMessage("What is the weather in Oslo?"),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{call}}},
					openai.ToolMessage(`{"temperature_c": 4, "sky": "overcast"}`, id),
				},
			}
			msg, finish := askChat(t, e, params, streamed)
			if finish != "stop" || !strings.Contains(msg.Content, "overcast") {
				t.Errorf("%s streamed=%v: finish %q, %q", id, streamed, finish, msg.Content)
			}
		}
	}
}
