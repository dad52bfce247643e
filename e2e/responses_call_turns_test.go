package e2e

import (
	"slices"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A Responses API history with the model's text between a call and its
// output ([function_call, message, function_call_output], as Codex CLI
// sends its turns back: cubist38/mlx-openai-server#268), a second call
// after that text and a user message sent while the tools ran, is taken
// by OpenAI's Responses API; on a Chat
// Completions upstream it was OpenAI's 400 "An assistant message with
// 'tool_calls' must be followed by tool messages…". Every deployment
// answers it, with both outputs read.
func TestResponsesTextBetweenCallAndOutput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	call := func(id string) responses.ResponseInputItemUnionParam {
		return responses.ResponseInputItemUnionParam{OfFunctionCall: &responses.ResponseFunctionToolCallParam{CallID: id, Name: "get_weather", Arguments: `{"city":"Paris"}`}}
	}
	output := func(id, out string) responses.ResponseInputItemUnionParam {
		return responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
			CallID: openai.String(id), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(out)}}}
	}
	input := []responses.ResponseInputItemUnionParam{
		responses.ResponseInputItemParamOfMessage("What is the weather in Paris, twice?", responses.EasyInputMessageRoleUser),
		call("call_a"),
		responses.ResponseInputItemParamOfMessage("Checking the weather.", responses.EasyInputMessageRoleAssistant),
		call("call_b"),
		responses.ResponseInputItemParamOfMessage("Quick, please.", responses.EasyInputMessageRoleUser),
		output("call_a", `{"temperature_c": 21}`),
		output("call_b", `{"time": "09:30"}`),
	}
	// Without the user's message the answer reads both outputs; with it,
	// it answers the user.
	without := append(slices.Clone(input[:4]), input[5:]...)
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		t.Run(dep, func(t *testing.T) {
			for _, in := range [][]responses.ResponseInputItemUnionParam{without, input} {
				r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesWeather},
					Input: responses.ResponseNewParamsInputUnion{OfInputItemList: in}})
				if err != nil {
					t.Fatalf("%d items: %v", len(in), err)
				}
				if r.Status != "completed" || len(in) == len(without) && !strings.Contains(r.OutputText(), "09:30") {
					t.Errorf("%d items: answer %q (%s)", len(in), r.OutputText(), r.Status)
				}
			}
		})
	}
}
