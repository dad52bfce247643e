package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
)

func TestChatEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			var hdr httpHeader
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model: dep,
				Messages: []openai.ChatCompletionMessageParamUnion{
					openai.SystemMessage("You are terse."),
					openai.UserMessage("What is the capital of France?"),
				},
				MaxTokens: openai.Int(200),
			}, option.WithResponseInto(&hdr.resp))
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Choices) != 1 || resp.Choices[0].Message.Content == "" {
				t.Fatalf("no content: %+v", resp)
			}
			if resp.Choices[0].FinishReason != "stop" {
				t.Errorf("finish_reason = %q", resp.Choices[0].FinishReason)
			}
			if resp.Usage.PromptTokens == 0 || resp.Usage.CompletionTokens == 0 || resp.Usage.TotalTokens != resp.Usage.PromptTokens+resp.Usage.CompletionTokens {
				t.Errorf("usage = %+v", resp.Usage)
			}
			h := hdr.resp.Header
			if h.Get("x-switchyard-request-id") == "" || h.Get("x-switchyard-deployment") != dep {
				t.Errorf("headers: request-id %q deployment %q", h.Get("x-switchyard-request-id"), h.Get("x-switchyard-deployment"))
			}
		})
	}
}

func TestStreamEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
				Model:         dep,
				Messages:      []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about trains.")},
				StreamOptions: openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)},
			})
			acc := openai.ChatCompletionAccumulator{}
			contentChunks := 0
			for stream.Next() {
				c := stream.Current()
				acc.AddChunk(c)
				if len(c.Choices) > 0 && c.Choices[0].Delta.Content != "" {
					contentChunks++
				}
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			stream.Close()
			if contentChunks < 2 {
				t.Errorf("content arrived in %d chunks, want several", contentChunks)
			}
			if len(acc.Choices) != 1 || acc.Choices[0].Message.Content == "" || acc.Choices[0].FinishReason != "stop" {
				t.Fatalf("accumulated: %+v", acc.ChatCompletion)
			}
			if acc.Usage.PromptTokens == 0 || acc.Usage.CompletionTokens == 0 {
				t.Errorf("usage missing at the end of the stream: %+v", acc.Usage)
			}
		})
	}
}

func TestStreamWithoutIncludeUsageSendsNoUsageChunk(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
		Model:    "claude-haiku-4-5",
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("hello")},
	})
	for stream.Next() {
		if c := stream.Current(); len(c.Choices) == 0 {
			t.Errorf("unexpected chunk without choices: %s", c.RawJSON())
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
}

var weatherTool = openai.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
	Name:        "get_weather",
	Description: openai.String("Current weather for a city"),
	Parameters: shared.FunctionParameters{
		"type":       "object",
		"properties": map[string]any{"city": map[string]any{"type": "string"}, "unit": map[string]any{"type": "string", "enum": []string{"celsius", "fahrenheit"}}},
		"required":   []string{"city", "unit"},
	},
})

func TestToolRoundTripEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			params := openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Use get_weather: what's the weather in Paris?")},
				Tools:    []openai.ChatCompletionToolUnionParam{weatherTool},
			}
			resp, err := e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			msg := resp.Choices[0].Message
			if resp.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 {
				t.Fatalf("want one tool call, got finish %q and %+v", resp.Choices[0].FinishReason, msg)
			}
			call := msg.ToolCalls[0]
			var args map[string]any
			if call.Function.Name != "get_weather" || json.Unmarshal([]byte(call.Function.Arguments), &args) != nil || args["unit"] != "celsius" {
				t.Fatalf("bad call %+v", call)
			}
			params.Messages = append(params.Messages, msg.ToParam(), openai.ToolMessage(`{"temperature_c": 21}`, call.ID))
			resp, err = e.Client.Chat.Completions.New(ctxT(t), params)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Choices[0].FinishReason != "stop" || !strings.Contains(resp.Choices[0].Message.Content, "21") {
				t.Fatalf("answer after tool result: %+v", resp.Choices[0])
			}
		})
	}
}

func TestStreamedToolCall(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("call get_weather for Oslo")},
				Tools:    []openai.ChatCompletionToolUnionParam{weatherTool},
			})
			acc := openai.ChatCompletionAccumulator{}
			for stream.Next() {
				acc.AddChunk(stream.Current())
			}
			if err := stream.Err(); err != nil {
				t.Fatal(err)
			}
			stream.Close()
			if len(acc.Choices) != 1 || len(acc.Choices[0].Message.ToolCalls) != 1 {
				t.Fatalf("accumulated: %+v", acc.ChatCompletion)
			}
			tc := acc.Choices[0].Message.ToolCalls[0]
			if tc.ID == "" || tc.Function.Name != "get_weather" || !json.Valid([]byte(tc.Function.Arguments)) {
				t.Fatalf("tool call: %+v", tc)
			}
		})
	}
}

func TestJSONSchemaEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	schema := map[string]any{
		"type": "object",
		"properties": map[string]any{
			"name": map[string]any{"type": "string"},
			"age":  map[string]any{"type": "integer"},
		},
		"required":             []string{"name", "age"},
		"additionalProperties": false,
	}
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Extract: Ada Lovelace, 36 years old.")},
				ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
					JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{Name: "person", Schema: schema, Strict: openai.Bool(true)},
				}},
			})
			if err != nil {
				t.Fatal(err)
			}
			var got struct {
				Name *string `json:"name"`
				Age  *int    `json:"age"`
			}
			content := resp.Choices[0].Message.Content
			if err := json.Unmarshal([]byte(content), &got); err != nil || got.Name == nil || got.Age == nil {
				t.Fatalf("content %q does not follow the schema (%v)", content, err)
			}
		})
	}
}

func TestJSONModeEveryWireFormat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		t.Run(dep, func(t *testing.T) {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model:          dep,
				Messages:       []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Reply in JSON: list two colors.")},
				ResponseFormat: openai.ChatCompletionNewParamsResponseFormatUnion{OfJSONObject: &shared.ResponseFormatJSONObjectParam{}},
			})
			if err != nil {
				t.Fatal(err)
			}
			var v map[string]any
			if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), &v); err != nil {
				t.Fatalf("content %q is not a JSON object: %v", resp.Choices[0].Message.Content, err)
			}
		})
	}
}

// TestChatSeveralChoices asks for n=2 complete (non-streamed) answers from
// every upstream that supports n. Dispatch streams from the upstream and
// assembles the answer with llm.Accumulator, which used to panic (500) on
// the second choice.
func TestChatSeveralChoices(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range []string{"gpt-4o-mini", "azure-gpt-4o-mini", "gemini-2.5-flash"} {
		t.Run(dep, func(t *testing.T) {
			resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
				Model:    dep,
				Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Write a few sentences about trains.")},
				N:        openai.Int(2),
			})
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Choices) != 2 {
				t.Fatalf("%d choices, want 2: %+v", len(resp.Choices), resp)
			}
			for i, c := range resp.Choices {
				if c.Index != int64(i) || c.Message.Content == "" || c.FinishReason != "stop" {
					t.Errorf("choice %d: %+v", i, c)
				}
			}
		})
	}
}
