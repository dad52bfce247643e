package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
)

// The Responses API with openai-go, unchanged, against every simulated
// wire format: OpenAI, Azure, Anthropic and Gemini deployments.

var responsesWeather = responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{
	Name:        "get_weather",
	Description: openai.String("Current weather for a city"),
	Parameters: map[string]any{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}, "unit": map[string]any{"type": "string", "enum": []string{"celsius", "fahrenheit"}}},
		"required":   []string{"city", "unit"},
	},
}}

func inputText(s string) responses.ResponseNewParamsInputUnion {
	return responses.ResponseNewParamsInputUnion{OfString: openai.String(s)}
}

func TestResponsesEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			var hr *http.Response
			resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{
				Model: dep, Instructions: openai.String("You are terse."), Input: inputText("What is the capital of France?"),
				MaxOutputTokens: openai.Int(200),
			}, option.WithResponseInto(&hr))
			if err != nil {
				t.Fatal(err)
			}
			if resp.OutputText() == "" || resp.Status != responses.ResponseStatusCompleted || !strings.HasPrefix(resp.ID, "resp_") {
				t.Fatalf("response: text %q status %q id %q", resp.OutputText(), resp.Status, resp.ID)
			}
			if u := resp.Usage; u.InputTokens == 0 || u.OutputTokens == 0 || u.TotalTokens != u.InputTokens+u.OutputTokens {
				t.Errorf("usage %+v", u)
			}
			h := hr.Header
			if h.Get("x-switchyard-deployment") != dep || resp.ID != "resp_"+strings.TrimPrefix(h.Get("x-switchyard-request-id"), "req_") {
				t.Errorf("deployment %q, id %q for request %q", h.Get("x-switchyard-deployment"), resp.ID, h.Get("x-switchyard-request-id"))
			}
		})
	}
	recs := e.recorded(t, len(chatDeployments))
	for _, r := range recs {
		if r.Endpoint != "chat" || r.Status != 200 || r.CostUSD <= 0 {
			t.Errorf("record: endpoint %q status %d cost %v", r.Endpoint, r.Status, r.CostUSD)
		}
	}
}

func TestResponsesStreamEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: dep, Input: inputText("Write a few sentences about trains.")})
			var text, done string
			deltas := 0
			var final responses.Response
			for stream.Next() {
				switch ev := stream.Current(); ev.Type {
				case "response.output_text.delta":
					text += ev.Delta
					deltas++
				case "response.output_text.done":
					done = ev.Text
				case "response.completed":
					final = ev.Response
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			stream.Close()
			if deltas < 2 || text == "" || done != text || final.OutputText() != text {
				t.Errorf("%d deltas, text %q, done %q, final %q", deltas, text, done, final.OutputText())
			}
			if final.Status != "completed" || final.Usage.OutputTokens == 0 {
				t.Errorf("final: status %q usage %+v", final.Status, final.Usage)
			}
		})
	}
}

// A function call, answered statelessly: the output items go back in the
// next request's input with the call's output.
func TestResponsesFunctionCallEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Use get_weather: what's the weather in Paris?", responses.EasyInputMessageRoleUser)}
			params := responses.ResponseNewParams{Model: dep, Tools: []responses.ToolUnionParam{responsesWeather},
				Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
			resp, err := e.Client.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			var call responses.ResponseFunctionToolCall
			for _, it := range resp.Output {
				if it.Type == "function_call" {
					call = it.AsFunctionCall()
				}
			}
			var args map[string]any
			if call.Name != "get_weather" || call.CallID == "" || json.Unmarshal([]byte(call.Arguments), &args) != nil || args["unit"] != "celsius" {
				t.Fatalf("want a get_weather call, got output %+v", resp.Output)
			}
			for _, it := range resp.Output {
				input = append(input, outputAsInput(t, it))
			}
			input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{
				CallID: openai.String(call.CallID), Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temperature_c": 21}`)}}})
			params.Input.OfInputItemList = input
			resp, err = e.Client.Responses.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Status != "completed" || !strings.Contains(resp.OutputText(), "21") {
				t.Fatalf("answer after the function's output: %q (%s)", resp.OutputText(), resp.Status)
			}
		})
	}
}

// outputAsInput is an output item sent back as an input item.
func outputAsInput(t *testing.T, it responses.ResponseOutputItemUnion) responses.ResponseInputItemUnionParam {
	switch it.Type {
	case "function_call":
		p := it.AsFunctionCall().ToParam()
		return responses.ResponseInputItemUnionParam{OfFunctionCall: &p}
	case "message":
		p := it.AsMessage().ToParam()
		return responses.ResponseInputItemUnionParam{OfOutputMessage: &p}
	}
	t.Fatalf("unexpected output item %q", it.Type)
	return responses.ResponseInputItemUnionParam{}
}

func TestResponsesStreamedFunctionCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"} {
		t.Run(dep, func(t *testing.T) {
			stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: dep,
				Tools: []responses.ToolUnionParam{responsesWeather}, Input: inputText("call get_weather for Oslo")})
			var args string
			var done responses.ResponseFunctionToolCall
			var final responses.Response
			for stream.Next() {
				switch ev := stream.Current(); ev.Type {
				case "response.function_call_arguments.delta":
					args += ev.Delta
				case "response.output_item.done":
					if ev.Item.Type == "function_call" {
						done = ev.Item.AsFunctionCall()
					}
				case "response.completed":
					final = ev.Response
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			stream.Close()
			if done.Name != "get_weather" || done.CallID == "" || done.Arguments != args || !json.Valid([]byte(args)) || len(final.Output) == 0 {
				t.Fatalf("function call: done %+v, deltas %q, final output %d items", done, args, len(final.Output))
			}
		})
	}
}

func TestResponsesErrors(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		for _, d := range c.Deployments {
			d.Continuation = "none" // a cut stream must fail, not be continued elsewhere
		}
	})
	var apiErr *openai.Error
	_, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "nope", Input: inputText("hi")})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("unknown model: %v", err)
	}
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("hi [[sim:rate_limit]]")})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 429 {
		t.Errorf("upstream rate limit: %v", err)
	}
	_, err = e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "claude-haiku-4-5", Input: inputText("hi"),
		Tools: []responses.ToolUnionParam{{OfFileSearch: &responses.FileSearchToolParam{VectorStoreIDs: []string{"vs_1"}}}}})
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "tools[0].type" || !strings.Contains(apiErr.Message, "hosted tools") {
		t.Errorf("hosted tool on a Claude deployment: %v", err)
	}
	for _, dep := range []string{"gpt-4o-mini", "claude-haiku-4-5"} {
		stream := e.Client.Responses.NewStreaming(ctxT(t), responses.ResponseNewParams{Model: dep, Input: inputText("Tell me a long story [[sim:cut]]")})
		var failed bool
		for stream.Next() {
			failed = failed || stream.Current().Type == "response.failed"
		}
		if err := stream.Err(); err == nil || !failed {
			t.Errorf("%s: a cut stream ended with error %v, response.failed seen %v", dep, err, failed)
		}
		stream.Close()
	}
}

// A Responses client that asks for more output than the deployment
// writes is told so in its own API's names: the 400 is on
// max_output_tokens, not the chat form's max_tokens the router decided
// on, complete and streamed.
func TestResponsesErrorsInResponsesNames(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	params := responses.ResponseNewParams{Model: "gpt-4o-mini", Input: inputText("hi"), MaxOutputTokens: openai.Int(60000)}
	var apiErr *openai.Error
	_, err := e.Client.Responses.New(ctxT(t), params)
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "max_output_tokens" ||
		strings.Contains(apiErr.Message, "max_tokens") || !strings.Contains(apiErr.Message, "16384") {
		t.Errorf("complete: %v (param %q)", err, paramOf(apiErr))
	}
	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	for stream.Next() {
	}
	apiErr = nil
	if err := stream.Err(); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "max_output_tokens" {
		t.Errorf("streamed: %v (param %q)", err, paramOf(apiErr))
	}
	stream.Close()
}

func paramOf(e *openai.Error) string {
	if e == nil {
		return ""
	}
	return e.Param
}
