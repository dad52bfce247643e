package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"
	"github.com/openai/openai-go/v3/shared"

	simgemini "switchyard/sim/gemini"
)

// toolLoopParams is a chat request with reasoning_effort and one tool, for
// a tool loop whose first turn asks for the weather.
func toolLoopParams(model string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:           openai.ChatModel(model),
		ReasoningEffort: shared.ReasoningEffortLow,
		Messages:        []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Call get_weather for Paris, please.")},
		Tools: []openai.ChatCompletionToolUnionParam{openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
			Name: "get_weather", Parameters: shared.FunctionParameters{"type": "object", "properties": map[string]any{"city": map[string]any{"type": "string"}}},
		})},
	}
}

// An OpenAI client's tool loop with reasoning_effort on a Claude
// deployment: the client cannot send Claude's thinking back (Chat
// Completions has no place for it), and Claude refuses a thinking request
// whose last assistant turn made tool calls without the thinking that led
// to them. The router keeps that thinking by the calls' ids and puts it
// back, signed as Claude wrote it, so the second turn is answered, still
// thinking, complete and streamed. A first turn that did not think (a
// forced tool call leaves Claude no thinking) has nothing to put back:
// the second turn is sent without thinking, as Claude's error advises,
// rather than failing.
func TestOpenAIClientToolLoopKeepsClaudeThinking(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, c := range []struct {
		stream, forced bool
	}{{false, false}, {true, false}, {false, true}, {true, true}} {
		stream := c.stream
		params := toolLoopParams("claude-sonnet-4-5")
		if c.forced { // another prompt: the sim's tool call ids follow the prompt
			params.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{OfAuto: openai.String("required")}
			params.Messages = []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Call get_weather for Rome, please.")}
		}
		first := chatOnce(t, e, params, stream)
		calls := first.Choices[0].Message.ToolCalls
		if len(calls) == 0 {
			t.Fatalf("stream %v: no tool call in %s", stream, first.RawJSON())
		}
		params.Messages = append(params.Messages, first.Choices[0].Message.ToParam(), openai.ToolMessage(`{"temp_c": 18}`, calls[0].ID))
		params.ToolChoice = openai.ChatCompletionToolChoiceOptionUnionParam{}
		var resp *http.Response
		second := chatOnce(t, e, params, stream, option.WithResponseInto(&resp))
		if dropped := strings.Contains(resp.Header.Get("x-switchyard-route"), "dropped=reasoning"); dropped != c.forced {
			t.Errorf("stream %v, forced %v: x-switchyard-route %q", stream, c.forced, resp.Header.Get("x-switchyard-route"))
		}
		if second.Choices[0].Message.Content == "" {
			t.Fatalf("stream %v: second turn %s", stream, second.RawJSON())
		}
		body := tp.lastBody(t, "/v1/messages")
		if c.forced {
			if body["thinking"] != nil {
				t.Errorf("stream %v: the second turn after a forced call thinks: %s", stream, body["thinking"])
			}
			continue
		}
		if body["thinking"] == nil {
			t.Errorf("stream %v: the second turn does not think", stream)
		}
		var msgs []struct {
			Role    string            `json:"role"`
			Content []json.RawMessage `json:"content"`
		}
		if err := json.Unmarshal(body["messages"], &msgs); err != nil {
			t.Fatal(err)
		}
		if blocks := thinkingBlocksOf(t, msgs[1].Content); len(blocks) == 0 {
			t.Errorf("stream %v: the assistant turn went back without its thinking: %s", stream, body["messages"])
		}
	}
}

// toolLoopTwoTurns runs a tool loop's two turns on e: params, whose
// answer must call a tool, then the call's result; the second turn must
// answer with text. It returns the first turn's tool calls.
func toolLoopTwoTurns(t *testing.T, e *env, params openai.ChatCompletionNewParams, stream bool) []openai.ChatCompletionMessageToolCallUnion {
	t.Helper()
	first := chatOnce(t, e, params, stream)
	calls := first.Choices[0].Message.ToolCalls
	if len(calls) == 0 {
		t.Fatalf("stream %v: no tool call in %s", stream, first.RawJSON())
	}
	params.Messages = append(params.Messages, first.Choices[0].Message.ToParam(), openai.ToolMessage(`{"temp_c": 18}`, calls[0].ID))
	if second := chatOnce(t, e, params, stream); second.Choices[0].Message.Content == "" {
		t.Fatalf("stream %v: second turn %s", stream, second.RawJSON())
	}
	return calls
}

// chatOnce sends params, complete or streamed (accumulated), and returns
// the completion.
func chatOnce(t *testing.T, e *env, params openai.ChatCompletionNewParams, stream bool, opts ...option.RequestOption) *openai.ChatCompletion {
	t.Helper()
	if !stream {
		got, err := e.Client.Chat.Completions.New(ctxT(t), params, opts...)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	s := e.Client.Chat.Completions.NewStreaming(ctxT(t), params, opts...)
	var acc openai.ChatCompletionAccumulator
	for s.Next() {
		acc.AddChunk(s.Current())
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	return &acc.ChatCompletion
}

// thinkingBlocksOf returns the thinking blocks among blocks.
func thinkingBlocksOf(t *testing.T, blocks []json.RawMessage) []string {
	t.Helper()
	var out []string
	for _, b := range blocks {
		var blk struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(b, &blk); err != nil {
			t.Fatal(err)
		}
		if blk.Type == "thinking" || blk.Type == "redacted_thinking" {
			out = append(out, string(b))
		}
	}
	return out
}

// The same loop through the Responses API, the conversation sent whole
// (as the Agents SDK does): the function_call item has no place for
// Claude's thinking, and the router puts it back.
func TestResponsesToolLoopKeepsClaudeThinking(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	input := []responses.ResponseInputItemUnionParam{responses.ResponseInputItemParamOfMessage("Call get_weather for Lisbon, please.", responses.EasyInputMessageRoleUser)}
	params := responses.ResponseNewParams{Model: "claude-sonnet-4-5", Tools: []responses.ToolUnionParam{responsesWeather},
		Reasoning: shared.ReasoningParam{Effort: shared.ReasoningEffortLow},
		Input:     responses.ResponseNewParamsInputUnion{OfInputItemList: input}}
	calls := streamedFunctionCalls(t, e, params)
	if len(calls) == 0 {
		t.Fatal("no function call")
	}
	p := calls[0].ToParam()
	input = append(input, responses.ResponseInputItemUnionParam{OfFunctionCall: &p},
		responses.ResponseInputItemUnionParam{OfFunctionCallOutput: &responses.ResponseInputItemFunctionCallOutputParam{CallID: openai.String(calls[0].CallID),
			Output: responses.ResponseInputItemFunctionCallOutputOutputUnionParam{OfString: openai.String(`{"temp_c": 21}`)}}})
	params.Input.OfInputItemList = input
	second, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if second.Status != "completed" || second.OutputText() == "" {
		t.Fatalf("second turn %s", second.RawJSON())
	}
	body := tp.lastBody(t, "/v1/messages")
	var msgs []struct {
		Content []json.RawMessage `json:"content"`
	}
	if err := json.Unmarshal(body["messages"], &msgs); err != nil {
		t.Fatal(err)
	}
	if body["thinking"] == nil || len(msgs) < 2 || len(thinkingBlocksOf(t, msgs[1].Content)) == 0 {
		t.Errorf("second turn: thinking %s, messages %s", body["thinking"], body["messages"])
	}
}

// A Gemini model's tool calls carry a thoughtSignature (its reasoning,
// encrypted), which it wants back on the call next turn: Gemini 3 refuses
// a turn without it (the router then sends Google's skip sentinel) and
// every thinking model reasons better with it. An OpenAI client has no
// place for it; the router keeps it by the call's id and puts the
// model's own signature back, complete and streamed.
func TestOpenAIClientToolLoopKeepsGeminiSignature(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, stream := range []bool{false, true} {
		params := toolLoopParams("gemini-2.5-pro")
		params.ReasoningEffort = ""
		calls := toolLoopTwoTurns(t, e, params, stream)
		var contents []struct {
			Parts []struct {
				FunctionCall *struct {
					Name string          `json:"name"`
					Args json.RawMessage `json:"args"`
				} `json:"functionCall"`
				ThoughtSignature string `json:"thoughtSignature"`
			} `json:"parts"`
		}
		if err := json.Unmarshal(tp.lastBody(t, ":")["contents"], &contents); err != nil {
			t.Fatal(err)
		}
		var got, want string
		for _, c := range contents {
			for _, p := range c.Parts {
				if p.FunctionCall != nil {
					got, want = p.ThoughtSignature, simgemini.CallSignature(p.FunctionCall.Name, calls[0].Function.Arguments)
				}
			}
		}
		if got == "" || got != want {
			t.Errorf("stream %v: the call went back with signature %q, want the model's %q", stream, got, want)
		}
	}
}
