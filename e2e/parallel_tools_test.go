package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"
)

// Parallel tool calls: a model that calls two tools in one answer reaches
// the client as two calls, complete and streamed, whatever wire format
// the deployment speaks (OpenAI tool_calls with indices 0 and 1,
// Anthropic tool_use blocks, Gemini functionCall parts), and both results
// go back in the next turn, which the upstream accepts only when each call
// has its answer. parallel_tool_calls: false leaves one call.

var timeTool = openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
	Name:        "get_time",
	Description: openai.String("Current local time in a city"),
	Parameters: shared.FunctionParameters{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}},
		"required":   []string{"city"},
	},
})

const parallelPrompt = "Use get_weather for Paris and get_time for Tokyo."

func TestParallelToolCallsEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := openai.ChatCompletionNewParams{
					Model:    dep,
					Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parallelPrompt)},
					Tools:    []openai.ChatCompletionToolUnionParam{weatherTool, timeTool},
				}
				msg, finish := askChat(t, e, params, streamed)
				if finish != "tool_calls" || len(msg.ToolCalls) != 2 {
					t.Fatalf("want two tool calls, got finish %q and %+v", finish, msg.ToolCalls)
				}
				a, b := msg.ToolCalls[0], msg.ToolCalls[1]
				if a.Function.Name != "get_weather" || b.Function.Name != "get_time" || a.ID == "" || a.ID == b.ID {
					t.Fatalf("calls %+v and %+v", a, b)
				}
				for _, c := range msg.ToolCalls {
					var args map[string]any
					if json.Unmarshal([]byte(c.Function.Arguments), &args) != nil || args["city"] == nil {
						t.Errorf("%s arguments %q: not an object with a city", c.Function.Name, c.Function.Arguments)
					}
				}
				params.Messages = append(params.Messages, msg.ToParam(),
					openai.ToolMessage(`{"temperature_c": 21}`, a.ID), openai.ToolMessage(`{"time": "09:30"}`, b.ID))
				msg, finish = askChat(t, e, params, streamed)
				if finish != "stop" || !strings.Contains(msg.Content, "09:30") {
					t.Fatalf("answer after both results: finish %q, %q", finish, msg.Content)
				}
			})
		}
	}
}

func TestParallelToolCallsOff(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		t.Run(dep, func(t *testing.T) {
			msg, _ := askChat(t, e, openai.ChatCompletionNewParams{
				Model:             dep,
				Messages:          []openai.ChatCompletionMessageParamUnion{openai.UserMessage(parallelPrompt)},
				Tools:             []openai.ChatCompletionToolUnionParam{weatherTool, timeTool},
				ParallelToolCalls: openai.Bool(false),
			}, false)
			if len(msg.ToolCalls) != 1 || msg.ToolCalls[0].Function.Name != "get_weather" {
				t.Fatalf("parallel_tool_calls false: want one get_weather call, got %+v", msg.ToolCalls)
			}
		})
	}
}

// askChat sends params, streamed (accumulated with the SDK's
// ChatCompletionAccumulator) or not, and returns the first choice's
// message and finish reason.
func askChat(t *testing.T, e *env, params openai.ChatCompletionNewParams, streamed bool) (openai.ChatCompletionMessage, string) {
	t.Helper()
	if !streamed {
		resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Choices[0].Message, resp.Choices[0].FinishReason
	}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	defer stream.Close()
	acc := openai.ChatCompletionAccumulator{}
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if len(acc.Choices) != 1 {
		t.Fatalf("accumulated %d choices", len(acc.Choices))
	}
	return acc.Choices[0].Message, acc.Choices[0].FinishReason
}

// The Anthropic SDK sees two tool_use blocks in one message, complete and
// streamed, from every kind of deployment, and sends both results back in
// one user turn.
func TestAnthropicSDKParallelToolUse(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	timeTool := sdk.ToolParam{Name: "get_time", InputSchema: sdk.ToolInputSchemaParam{
		Properties: map[string]any{"city": map[string]any{"type": "string"}}, Required: []string{"city"}}}
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		for _, streamed := range []bool{false, true} {
			t.Run(dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := userMessage(dep, "Use get_weather for Paris and get_time for Tokyo.", 256)
				params.Tools = []sdk.ToolUnionParam{anthropicWeatherTool(), {OfTool: &timeTool}}
				msg := anthropicAsk(t, c, params, streamed)
				var uses []sdk.ContentBlockUnion
				for _, b := range msg.Content {
					if b.Type == "tool_use" {
						uses = append(uses, b)
					}
				}
				if msg.StopReason != sdk.StopReasonToolUse || len(uses) != 2 || uses[0].Name != "get_weather" || uses[1].Name != "get_time" || uses[0].ID == uses[1].ID {
					t.Fatalf("want two tool_use blocks, got stop %q and %+v", msg.StopReason, msg.Content)
				}
				params.Messages = append(params.Messages, msg.ToParam(), sdk.NewUserMessage(
					sdk.NewToolResultBlock(uses[0].ID, "18 degrees", false), sdk.NewToolResultBlock(uses[1].ID, "09:30", false)))
				msg = anthropicAsk(t, c, params, streamed)
				if msg.StopReason != sdk.StopReasonEndTurn || len(msg.Content) == 0 || !strings.Contains(msg.Content[0].Text, "09:30") {
					t.Errorf("answer after both results: %+v", msg)
				}
			})
		}
	}
}

// The Responses API: two function_call output items, each with its own
// call id, output index and argument deltas when streamed; both outputs go
// back as function_call_output items.
func TestResponsesParallelFunctionCalls(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	timeFn := responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: "get_time",
		Parameters: map[string]any{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}, "required": []string{"city"}}}}
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage(parallelPrompt, responses.EasyInputMessageRoleUser)}
			params := responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesWeather, timeFn},
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
			calls := streamedFunctionCalls(t, e, params)
			if len(calls) != 2 || calls[0].Name != "get_weather" || calls[1].Name != "get_time" || calls[0].CallID == calls[1].CallID {
				t.Fatalf("want get_weather and get_time calls, got %+v", calls)
			}
			for i, c := range calls {
				p := c.ToParam()
				input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCall: &p})
				out := []string{`{"temperature_c": 21}`, `{"time": "09:30"}`}[i]
				input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
					CallID: openai.String(c.CallID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(out)}}})
			}
			params.Input.OfInputItemList = input
			resp, err := e.Client.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != "completed" || !strings.Contains(resp.OutputText(), "09:30") {
				t.Fatalf("answer after both outputs: %q (%s)", resp.OutputText(), resp.Status)
			}
		})
	}
}

// streamedFunctionCalls streams params and returns the function calls of
// the output_item.done events, checking that each one's arguments are the
// concatenation of the deltas of its own item.
func streamedFunctionCalls(t *testing.T, e *env, params responses.ResponseNewParams) []responses.ResponseFunctionToolCall {
	t.Helper()
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	defer stream.Close()
	deltas := map[string]string{}
	var calls []responses.ResponseFunctionToolCall
	for stream.Next() {
		switch ev := stream.Current(); ev.Type {
		case "response.function_call_arguments.delta":
			deltas[ev.ItemID] += ev.Delta
		case "response.output_item.done":
			if ev.Item.Type == "function_call" {
				c := ev.Item.AsFunctionCall()
				if c.Arguments != deltas[c.ID] || !json.Valid([]byte(c.Arguments)) {
					t.Errorf("%s: arguments %q, its deltas %q", c.Name, c.Arguments, deltas[c.ID])
				}
				calls = append(calls, c)
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	return calls
}
