package openai

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"
	"go.uber.org/goleak"

	"switchyard/sim"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func testCatalog() sim.Catalog {
	return sim.NewCatalog(
		sim.Profile{Model: "gpt-sim"},
		sim.Profile{Model: "o-sim", Reasoning: true},
		sim.Profile{Model: "gpt-sim-slow", TokensPerSecond: 200},
		sim.Profile{Model: "gpt-sim-small", ContextWindow: 1000, MaxOutputTokens: 100},
		sim.Profile{Model: "embed-sim", Embedding: true, Dimensions: 32, ContextWindow: 8192},
		sim.Profile{Model: "omni-moderation-latest", Moderation: true},
		sim.Profile{Model: "text-moderation-latest", Moderation: true},
		sim.Profile{Model: "instruct-sim", Completion: true},
		sim.Profile{Model: "o3-pro", Reasoning: true},
	)
}

// start serves h and returns its URL; the server and idle client
// connections are closed at cleanup.
func start(t *testing.T, h http.Handler) (string, *http.Client) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return srv.URL, &http.Client{Transport: tr}
}

// sdkClient is the official OpenAI Go SDK pointed at a fresh sim/openai.
func sdkClient(t *testing.T) sdk.Client {
	t.Helper()
	url, hc := start(t, New(testCatalog(), nil))
	return sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"),
		option.WithHTTPClient(hc), option.WithMaxRetries(0))
}

func TestSDKChat(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{
		Model:    "o-sim",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.SystemMessage("Be brief."), sdk.UserMessage("Hello there")},
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Object != "chat.completion" || !strings.HasPrefix(resp.ID, "chatcmpl-") || resp.Model != "o-sim" {
		t.Errorf("response header fields: %+v", resp)
	}
	if len(resp.Choices) != 1 || resp.Choices[0].FinishReason != "stop" || !strings.Contains(resp.Choices[0].Message.Content, "Hello there") {
		t.Fatalf("choices = %+v", resp.Choices)
	}
	u := resp.Usage
	if u.PromptTokens == 0 || u.CompletionTokensDetails.ReasoningTokens == 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage = %+v", u)
	}
}

func TestSDKStreamAccumulator(t *testing.T) {
	c := sdkClient(t)
	params := sdk.ChatCompletionNewParams{
		Model:         "gpt-sim",
		Messages:      []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("Stream me a reply")},
		StreamOptions: sdk.ChatCompletionStreamOptionsParam{IncludeUsage: sdk.Bool(true)},
	}
	want, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{Model: params.Model, Messages: params.Messages})
	if err != nil {
		t.Fatal(err)
	}
	s := c.Chat.Completions.NewStreaming(context.Background(), params)
	defer s.Close()
	var acc sdk.ChatCompletionAccumulator
	chunks, usageChunks := 0, 0
	for s.Next() {
		ch := s.Current()
		if !acc.AddChunk(ch) {
			t.Fatalf("accumulator refused chunk %d: %s", chunks, ch.RawJSON())
		}
		chunks++
		if ch.JSON.Usage.Valid() && len(ch.Choices) == 0 {
			usageChunks++
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	if got := acc.Choices[0].Message.Content; got != want.Choices[0].Message.Content {
		t.Errorf("accumulated %q, want %q", got, want.Choices[0].Message.Content)
	}
	if acc.Choices[0].FinishReason != "stop" || usageChunks != 1 || acc.Usage.TotalTokens == 0 || chunks < 4 {
		t.Errorf("finish %q, %d usage chunks, usage %+v, %d chunks", acc.Choices[0].FinishReason, usageChunks, acc.Usage, chunks)
	}
}

func TestSDKTools(t *testing.T) {
	c := sdkClient(t)
	tool := sdk.ChatCompletionFunctionTool(shared.FunctionDefinitionParam{
		Name:        "get_weather",
		Description: sdk.String("Get the weather for a city"),
		Parameters: shared.FunctionParameters{
			"type":       "object",
			"properties": map[string]any{"city": map[string]any{"type": "string"}},
			"required":   []string{"city"},
		},
	})
	params := sdk.ChatCompletionNewParams{
		Model:    "gpt-sim",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("What's the weather in Rome?")},
		Tools:    []sdk.ChatCompletionToolUnionParam{tool},
		ToolChoice: sdk.ChatCompletionToolChoiceOptionUnionParam{
			OfAuto: sdk.String("required"),
		},
	}
	// Streamed: the accumulator reports the finished tool call.
	s := c.Chat.Completions.NewStreaming(context.Background(), params)
	var acc sdk.ChatCompletionAccumulator
	var finished []sdk.FinishedChatCompletionToolCall
	for s.Next() {
		acc.AddChunk(s.Current())
		if tc, ok := acc.JustFinishedToolCall(); ok {
			finished = append(finished, tc)
		}
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if len(finished) != 1 || finished[0].Name != "get_weather" || !json.Valid([]byte(finished[0].Arguments)) {
		t.Fatalf("finished tool calls = %+v", finished)
	}
	// Plain, then the tool result round trip.
	resp, err := c.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	msg := resp.Choices[0].Message
	if resp.Choices[0].FinishReason != "tool_calls" || len(msg.ToolCalls) != 1 {
		t.Fatalf("choice = %+v", resp.Choices[0])
	}
	params.Messages = append(params.Messages, msg.ToParam(), sdk.ToolMessage("22C, clear", msg.ToolCalls[0].ID))
	params.ToolChoice = sdk.ChatCompletionToolChoiceOptionUnionParam{}
	resp, err = c.Chat.Completions.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(resp.Choices[0].Message.Content, "22C, clear") {
		t.Errorf("answer after the tool = %q", resp.Choices[0].Message.Content)
	}
}

func TestSDKStructuredOutput(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{
		Model:    "gpt-sim",
		Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("Name a color")},
		ResponseFormat: sdk.ChatCompletionNewParamsResponseFormatUnion{OfJSONSchema: &shared.ResponseFormatJSONSchemaParam{
			JSONSchema: shared.ResponseFormatJSONSchemaJSONSchemaParam{
				Name:   "color",
				Strict: sdk.Bool(true),
				Schema: map[string]any{"type": "object", "properties": map[string]any{"color": map[string]any{"type": "string", "enum": []string{"red", "blue"}}}, "required": []string{"color"}, "additionalProperties": false},
			},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0].Message.Content; got != `{"color":"red"}` {
		t.Errorf("content = %s", got)
	}
}

func TestSDKEmbeddings(t *testing.T) {
	c := sdkClient(t)
	params := sdk.EmbeddingNewParams{
		Model:      "embed-sim",
		Input:      sdk.EmbeddingNewParamsInputUnion{OfArrayOfStrings: []string{"hello", "world"}},
		Dimensions: sdk.Int(8),
	}
	resp, err := c.Embeddings.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Data) != 2 || len(resp.Data[1].Embedding) != 8 || resp.Data[1].Index != 1 || resp.Usage.PromptTokens == 0 {
		t.Fatalf("response = %+v", resp)
	}
	params.EncodingFormat = sdk.EmbeddingNewParamsEncodingFormatBase64
	b64, err := c.Embeddings.New(context.Background(), params)
	if err != nil {
		t.Fatal(err)
	}
	for i := range resp.Data {
		var s string
		if err := json.Unmarshal([]byte(b64.Data[i].JSON.Embedding.Raw()), &s); err != nil {
			t.Fatalf("base64 embedding %d: %v", i, err)
		}
		raw, err := base64.StdEncoding.DecodeString(s)
		if err != nil || len(raw) != 4*8 {
			t.Fatalf("base64 embedding %d: %d bytes, %v", i, len(raw), err)
		}
		for j, want := range resp.Data[i].Embedding {
			got := math.Float32frombits(binary.LittleEndian.Uint32(raw[4*j:]))
			if float64(got) != float64(float32(want)) {
				t.Errorf("embedding %d[%d]: base64 %v, float %v", i, j, got, want)
			}
		}
	}
}

func TestSDKErrors(t *testing.T) {
	c := sdkClient(t)
	tests := []struct {
		name, model, prompt string
		status              int
		typ, code           string
	}{
		{"unknown model", "gpt-nope", "hi", 404, "invalid_request_error", "model_not_found"},
		{"rate limit", "gpt-sim", "hi [[sim:rate_limit]]", 429, "requests", "rate_limit_exceeded"},
		{"server error", "gpt-sim", "hi [[sim:server_error]]", 500, "server_error", ""},
		{"embedding model", "embed-sim", "hi", 404, "invalid_request_error", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := c.Chat.Completions.New(context.Background(), sdk.ChatCompletionNewParams{
				Model: tt.model, Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage(tt.prompt)},
			})
			var apiErr *sdk.Error
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %T %v", err, err)
			}
			if apiErr.StatusCode != tt.status || apiErr.Type != tt.typ || apiErr.Code != tt.code {
				t.Errorf("status %d type %q code %q, want %d %q %q", apiErr.StatusCode, apiErr.Type, apiErr.Code, tt.status, tt.typ, tt.code)
			}
		})
	}
	// The stream surfaces a cut as an error, never a clean end.
	s := c.Chat.Completions.NewStreaming(context.Background(), sdk.ChatCompletionNewParams{
		Model: "gpt-sim", Messages: []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("Tell me a long story [[sim:cut]]")},
	})
	for s.Next() {
	}
	if s.Err() == nil {
		t.Error("a cut stream ended without error")
	}
	s.Close()
}
