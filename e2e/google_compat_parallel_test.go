package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// Parallel tool calls from a host that numbers them all 0: Google's
// compatibility endpoint streams each call whole in a chunk of its own,
// every one at index 0 (the sim does, as the real one:
// NousResearch/hermes-agent#62937). Placed by their ids, they reach an
// openai-go client as two calls, complete and streamed (the SDK's
// ChatCompletionAccumulator merges by index), on Chat Completions and as
// two function_call items on the Responses API, and both results go back
// in the next turn, which the host accepts only with every call answered.
func TestGoogleCompatParallelCalls(t *testing.T) {
	t.Parallel()
	e, _ := googleCompatEnv(t)
	for _, streamed := range []bool{false, true} {
		params := openai.ChatCompletionNewParams{Model: "gemini-compat",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parallelPrompt)},
			Tools:    []openai.ChatCompletionToolUnionParam{weatherTool, timeTool}}
		msg, finish := askChat(t, e, params, streamed)
		if finish != "tool_calls" || len(msg.ToolCalls) != 2 {
			t.Fatalf("streamed %v: want two calls, got finish %q and %+v", streamed, finish, msg.ToolCalls)
		}
		a, b := msg.ToolCalls[0], msg.ToolCalls[1]
		if a.Function.Name != "get_weather" || b.Function.Name != "get_time" || a.ID == b.ID ||
			!json.Valid([]byte(a.Function.Arguments)) || !json.Valid([]byte(b.Function.Arguments)) {
			t.Fatalf("streamed %v: calls %+v and %+v", streamed, a, b)
		}
		params.Messages = append(params.Messages, msg.ToParam(),
			openai.ToolMessage(`{"temperature_c": 21}`, a.ID), openai.ToolMessage(`{"time": "09:30"}`, b.ID))
		if msg, finish = askChat(t, e, params, streamed); finish != "stop" || !strings.Contains(msg.Content, "09:30") {
			t.Fatalf("streamed %v: answer after both results: finish %q, %q", streamed, finish, msg.Content)
		}
	}
	timeFn := responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: "get_time",
		Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}}}}
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage(parallelPrompt, responses.EasyInputMessageRoleUser)}
	calls := streamedFunctionCalls(t, e, responses.ResponseNewParams{Model: "gemini-compat", Tools: []responses.ToolUnionParam{responsesWeather, timeFn},
		Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}})
	if len(calls) != 2 || calls[0].Name != "get_weather" || calls[1].Name != "get_time" || calls[0].CallID == calls[1].CallID {
		t.Fatalf("Responses API: want get_weather and get_time calls, got %+v", calls)
	}
}
