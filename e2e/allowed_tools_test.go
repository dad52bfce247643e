package e2e

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A tool_choice of allowed_tools (the tools stay as sent, the model may
// call some of them) works on every kind of deployment: OpenAI's Azure
// deployment and the Responses upstream get it as the client wrote it,
// an OpenAI-compatible host (the demo's openai provider is not
// api.openai.com) and Claude the allowed tools alone with the choice's
// mode, Gemini every tool and allowedFunctionNames. The prompt names both
// tools; the answer calls the allowed one alone.

const allowedToolsPrompt = "Call get_weather and get_time for Paris."

// allowedUpstream is what one deployment's upstream must receive.
type allowedUpstream struct {
	dep, path string
	check     func(body map[string]json.RawMessage) bool
}

var allowedUpstreams = []allowedUpstream{
	{"gpt-4o-mini", "/chat/completions", func(b map[string]json.RawMessage) bool {
		return string(b["tool_choice"]) == `"required"` && toolCount(b["tools"]) == 1 && strings.Contains(string(b["tools"]), "get_time")
	}},
	// Azure's v1 routes take the choice as sent; its dated api-versions
	// get the allowed tools alone, as an OpenAI-compatible host does.
	{"azure-v1-mini", "/openai/v1/chat/completions", func(b map[string]json.RawMessage) bool {
		return string(b["tool_choice"]) == `{"type":"allowed_tools","allowed_tools":{"mode":"required","tools":[{"type":"function","function":{"name":"get_time"}}]}}` &&
			toolCount(b["tools"]) == 2
	}},
	{"azure-gpt-4o-mini", "/chat/completions", func(b map[string]json.RawMessage) bool {
		return string(b["tool_choice"]) == `"required"` && toolCount(b["tools"]) == 1 && strings.Contains(string(b["tools"]), "get_time")
	}},
	{"claude-haiku-4-5", "/messages", func(b map[string]json.RawMessage) bool {
		return strings.Contains(string(b["tool_choice"]), `"type":"any"`) && toolCount(b["tools"]) == 1 && strings.Contains(string(b["tools"]), "get_time")
	}},
	{"gemini-2.5-flash", "GenerateContent", func(b map[string]json.RawMessage) bool {
		return string(b["toolConfig"]) == `{"functionCallingConfig":{"mode":"ANY","allowedFunctionNames":["get_time"]}}` &&
			strings.Contains(string(b["tools"]), "get_weather")
	}},
}

func toolCount(raw json.RawMessage) int {
	var tools []json.RawMessage
	_ = json.Unmarshal(raw, &tools)
	return len(tools)
}

func chatFunction(name string) openai.ChatCompletionToolUnionParam {
	return openai.ChatCompletionFunctionTool(openai.FunctionDefinitionParam{Name: name,
		Parameters: openai.FunctionParameters{"type": "object", "properties": map[string]any{}}})
}

// Chat Completions, complete and streamed.
func TestChatAllowedTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, azureHostedEdit)
	for _, u := range allowedUpstreams {
		for _, streamed := range []bool{false, true} {
			t.Run(u.dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := openai.ChatCompletionNewParams{Model: u.dep,
					Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(allowedToolsPrompt)},
					Tools:    []openai.ChatCompletionToolUnionParam{chatFunction("get_weather"), chatFunction("get_time")},
					ToolChoice: openai.ToolChoiceOptionAllowedTools(openai.ChatCompletionAllowedToolsParam{Mode: "required",
						Tools: []map[string]any{{"type": "function", "function": map[string]any{"name": "get_time"}}}}),
				}
				var names []string
				if streamed {
					names = streamedCallNames(t, e, params)
				} else {
					resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
					if err != nil {
						t.Fatal(err)
					}
					for _, c := range resp.Choices[0].Message.ToolCalls {
						names = append(names, c.Function.Name)
					}
				}
				if len(names) != 1 || names[0] != "get_time" {
					t.Errorf("calls %q", names)
				}
				if b := tp.lastBody(t, u.path); !u.check(b) {
					t.Errorf("upstream got tools %s, tool_choice %s %s", b["tools"], b["tool_choice"], b["toolConfig"])
				}
			})
		}
	}
}

func streamedCallNames(t *testing.T, e *env, params openai.ChatCompletionNewParams) []string {
	t.Helper()
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	defer stream.Close()
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range acc.Choices[0].Message.ToolCalls {
		names = append(names, c.Function.Name)
	}
	return names
}

// The Responses API, complete and streamed; gpt-5.3-codex is served on
// the Responses upstream.
func TestResponsesAllowedTools(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, azureHostedEdit)
	ups := append(allowedUpstreams, allowedUpstream{"gpt-5.3-codex", "/responses", func(b map[string]json.RawMessage) bool {
		return string(b["tool_choice"]) == `{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_time"}]}` && toolCount(b["tools"]) == 2
	}})
	fn := func(name string) responses.ToolUnionParam {
		return responses.ToolUnionParam{OfFunction: &responses.FunctionToolParam{Name: name, Parameters: map[string]any{"type": "object", "properties": map[string]any{}}}}
	}
	for _, u := range ups {
		for _, streamed := range []bool{false, true} {
			t.Run(u.dep+map[bool]string{false: "/complete", true: "/stream"}[streamed], func(t *testing.T) {
				params := responses.ResponseNewParams{Model: u.dep, Input: responses.ResponseNewParamsInputUnion{OfString: openai.String(allowedToolsPrompt)},
					Tools: []responses.ToolUnionParam{fn("get_weather"), fn("get_time")},
					ToolChoice: responses.ResponseNewParamsToolChoiceUnion{OfAllowedTools: &responses.ToolChoiceAllowedParam{Mode: "required",
						Tools: []map[string]any{{"type": "function", "name": "get_time"}}}},
				}
				var resp *responses.Response
				if streamed {
					stream := e.Client.Responses.NewStreaming(ctxT(t), params)
					for stream.Next() {
						if ev := stream.Current(); ev.Type == "response.completed" {
							r := ev.Response
							resp = &r
						}
					}
					if err := stream.Err(); err != nil {
						t.Fatal(err)
					}
					stream.Close()
				} else {
					var err error
					if resp, err = e.Client.Responses.New(ctxT(t), params); err != nil {
						t.Fatal(err)
					}
				}
				if resp == nil || len(resp.Output) != 1 || resp.Output[0].Type != "function_call" || resp.Output[0].Name != "get_time" {
					t.Fatalf("output %v", resp)
				}
				if resp.ToolChoice.Type != "allowed_tools" || resp.ToolChoice.Mode != "required" {
					t.Errorf("the response's tool_choice %s", resp.ToolChoice.RawJSON())
				}
				if b := tp.lastBody(t, u.path); !u.check(b) {
					t.Errorf("upstream got tools %s, tool_choice %s %s", b["tools"], b["tool_choice"], b["toolConfig"])
				}
			})
		}
	}
}

// Mode auto: Claude gets tool_choice auto with the allowed tools alone,
// Gemini mode VALIDATED (auto with the calls checked) and the names.
func TestChatAllowedToolsAuto(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, azureHostedEdit)
	for _, u := range []allowedUpstream{
		{"claude-haiku-4-5", "/messages", func(b map[string]json.RawMessage) bool {
			return strings.Contains(string(b["tool_choice"]), `"type":"auto"`) && toolCount(b["tools"]) == 1
		}},
		{"gemini-2.5-flash", "GenerateContent", func(b map[string]json.RawMessage) bool {
			return string(b["toolConfig"]) == `{"functionCallingConfig":{"mode":"VALIDATED","allowedFunctionNames":["get_time"]}}`
		}},
		{"gpt-4o-mini", "/chat/completions", func(b map[string]json.RawMessage) bool {
			return string(b["tool_choice"]) == `"auto"` && toolCount(b["tools"]) == 1
		}},
	} {
		t.Run(u.dep, func(t *testing.T) {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: u.dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(allowedToolsPrompt)},
				Tools:    []openai.ChatCompletionToolUnionParam{chatFunction("get_weather"), chatFunction("get_time")},
				ToolChoice: openai.ToolChoiceOptionAllowedTools(openai.ChatCompletionAllowedToolsParam{Mode: "auto",
					Tools: []map[string]any{{"type": "function", "function": map[string]any{"name": "get_time"}}}}),
			})
			if err != nil {
				t.Fatal(err)
			}
			onlyGetTime(t, resp)
			if b := tp.lastBody(t, u.path); !u.check(b) {
				t.Errorf("upstream got tools %s, tool_choice %s %s", b["tools"], b["tool_choice"], b["toolConfig"])
			}
		})
	}
}

// A choice allowing a tool the request does not have is refused before
// any upstream is called, in OpenAI's error shape.
func TestChatAllowedToolsRefused(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage(allowedToolsPrompt)},
		Tools:    []openai.ChatCompletionToolUnionParam{chatFunction("get_weather")},
		ToolChoice: openai.ToolChoiceOptionAllowedTools(openai.ChatCompletionAllowedToolsParam{Mode: "auto",
			Tools: []map[string]any{{"type": "function", "function": map[string]any{"name": "get_time"}}}}),
	})
	var ae *openai.Error
	if !errors.As(err, &ae) || ae.StatusCode != 400 || ae.Param != "tool_choice.allowed_tools.tools[0]" || !strings.Contains(ae.Message, "get_time") {
		t.Fatalf("error %v", err)
	}
}

// A later turn of a tool loop allows a tool other than the one called
// before: the earlier call and its result, of a tool now left out for
// Claude and an OpenAI-compatible host, still go with the conversation.
func TestChatAllowedToolsLaterTurn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, azureHostedEdit)
	for _, u := range allowedUpstreams {
		t.Run(u.dep, func(t *testing.T) {
			call := openai.ChatCompletionMessageToolCallUnionParam{OfFunction: &openai.ChatCompletionMessageFunctionToolCallParam{ID: "call_1",
				Function: openai.ChatCompletionMessageFunctionToolCallFunctionParam{Name: "get_weather", Arguments: `{}`}}}
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: u.dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Weather in Paris?"),
					{OfAssistant: &openai.ChatCompletionAssistantMessageParam{ToolCalls: []openai.ChatCompletionMessageToolCallUnionParam{call}}},
					openai.ToolMessage("sunny", "call_1"), openai.UserMessage("And the time there?")},
				Tools: []openai.ChatCompletionToolUnionParam{chatFunction("get_weather"), chatFunction("get_time")},
				ToolChoice: openai.ToolChoiceOptionAllowedTools(openai.ChatCompletionAllowedToolsParam{Mode: "required",
					Tools: []map[string]any{{"type": "function", "function": map[string]any{"name": "get_time"}}}}),
			})
			if err != nil {
				t.Fatal(err)
			}
			// (Claude's and Gemini's simulators answer a turn holding a
			// result with text: the result and the question share it.)
			onlyGetTime(t, resp)
		})
	}
}

// onlyGetTime fails t if resp calls a tool other than get_time, the one
// the allowed_tools choice allows.
func onlyGetTime(t *testing.T, resp *openai.ChatCompletion) {
	t.Helper()
	for _, c := range resp.Choices[0].Message.ToolCalls {
		if c.Function.Name != "get_time" {
			t.Errorf("called %s", c.Function.Name)
		}
	}
}
