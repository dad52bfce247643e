package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A Responses API history with the model's text between a call and its
// output ([function_call, message, function_call_output], as Codex CLI
// sends its turns back: cubist38/mlx-openai-server#268), and a second
// call after that text, is taken by OpenAI's Responses API; on a Chat
// Completions upstream it was OpenAI's 400 "An assistant message with
// 'tool_calls' must be followed by tool messages…". Every deployment
// answers it, with both outputs read.
func TestResponsesTextBetweenCallAndOutput(t *testing.T) {
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
		output("call_a", `{"temperature_c": 21}`),
		output("call_b", `{"time": "09:30"}`),
	}
	for _, dep := range append(chatDeployments, "gpt-5.3-codex") {
		t.Run(dep, func(t *testing.T) {
			r, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesWeather},
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Status != "completed" || !strings.Contains(r.OutputText(), "09:30") {
				t.Errorf("answer %q (%s)", r.OutputText(), r.Status)
			}
		})
	}
}
