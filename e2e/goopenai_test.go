package e2e

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	goai "github.com/sashabaranov/go-openai"
)

// github.com/sashabaranov/go-openai, the most used OpenAI client in Go
// after openai-go, decodes strictly in places: a typed finish_reason,
// tool call deltas with an index pointer, "data: [DONE]" as its io.EOF,
// an error body {"error":{…}} into *APIError with code as string or int,
// the usage chunk of stream_options. These tests drive the router with it
// against every upstream wire format (docs/sdk-helpers.md, "go-openai").

// goKind is one upstream kind as go-openai meets it: its chat deployment,
// its reasoning deployment ("" when the demo has none), whether it
// serves n > 1 and logprobs (else the router's 400 on that param), and
// whether its usage counts reasoning tokens apart (Anthropic's
// output_tokens hold the thinking without saying how much).
type goKind struct {
	chat, reasoning          string
	n, logprobs, reasonCount bool
}

var goKinds = []goKind{
	{chat: "gpt-4o-mini", reasoning: "o3-mini", n: true, logprobs: true, reasonCount: true},
	{chat: "azure-gpt-4o-mini", n: true, logprobs: true},
	{chat: "claude-haiku-4-5", reasoning: "claude-sonnet-4-5"},
	{chat: "gemini-2.5-flash", reasoning: "gemini-2.5-pro", n: true, logprobs: true, reasonCount: true},
}

// goClient is a go-openai client of the router at url, with key.
func goClient(url, key string) *goai.Client {
	cfg := goai.DefaultConfig(key)
	cfg.BaseURL = url + "/v1"
	return goai.NewClientWithConfig(cfg)
}

func goUser(text string) []goai.ChatCompletionMessage {
	return []goai.ChatCompletionMessage{{Role: goai.ChatMessageRoleUser, Content: text}}
}

func goTool(name, desc string, required ...string) goai.Tool {
	props := map[string]any{}
	for _, p := range required {
		props[p] = map[string]any{"type": "string"}
	}
	params := map[string]any{"type": "object", "properties": props, "required": required}
	return goai.Tool{Type: goai.ToolTypeFunction, Function: &goai.FunctionDefinition{Name: name, Description: desc, Parameters: params}}
}

var (
	goWeather = goTool("get_weather", "Current weather for a city", "city")
	goTime    = goTool("get_time", "Current local time in a city", "city")
)

// goStreamed is a streamed chat as go-openai's users put it together: the
// content, the tool calls accumulated by their Index, each choice's
// finish reason, and the usage of the last chunk.
type goStreamed struct {
	content  map[int]string
	calls    []goai.ToolCall
	finishes map[int]goai.FinishReason
	usage    *goai.Usage
	chunks   int
	// usageLast reports the chunk with the usage was the last, with no
	// choices.
	usageLast bool
}

// goStream sends req streamed and reads it until io.EOF.
func goStream(t *testing.T, c *goai.Client, req goai.ChatCompletionRequest) goStreamed {
	t.Helper()
	stream, err := c.CreateChatCompletionStream(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	s := goStreamed{content: map[int]string{}, finishes: map[int]goai.FinishReason{}}
	for {
		chunk, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return s
		}
		if err != nil {
			t.Fatalf("Recv after %d chunks: %v", s.chunks, err)
		}
		s.chunks++
		s.usageLast = false
		if chunk.Usage != nil {
			s.usage, s.usageLast = chunk.Usage, len(chunk.Choices) == 0
		}
		for _, ch := range chunk.Choices {
			s.content[ch.Index] += ch.Delta.Content
			if ch.FinishReason != "" {
				s.finishes[ch.Index] = ch.FinishReason
			}
			if ch.Index == 0 {
				s.calls = goAddCalls(t, s.calls, ch.Delta.ToolCalls)
			}
		}
	}
}

// goAddCalls adds tool call deltas to calls by their Index, as
// go-openai's users do (the ID, type and name come once, the arguments
// in pieces).
func goAddCalls(t *testing.T, calls []goai.ToolCall, deltas []goai.ToolCall) []goai.ToolCall {
	t.Helper()
	for _, d := range deltas {
		if d.Index == nil {
			t.Fatalf("tool call delta without an index: %+v", d)
		}
		for len(calls) <= *d.Index {
			calls = append(calls, goai.ToolCall{})
		}
		tc := &calls[*d.Index]
		if d.ID != "" {
			tc.ID = d.ID
		}
		if d.Type != "" {
			tc.Type = d.Type
		}
		tc.Function.Name += d.Function.Name
		tc.Function.Arguments += d.Function.Arguments
	}
	return calls
}

// goWantCalls fails unless calls are, in order, complete calls of names,
// each with an ID of its own and a city in its JSON arguments.
func goWantCalls(t *testing.T, calls []goai.ToolCall, names ...string) {
	t.Helper()
	if len(calls) != len(names) {
		t.Fatalf("%d tool calls, want %v: %+v", len(calls), names, calls)
	}
	ids := map[string]bool{}
	for i, c := range calls {
		var args map[string]any
		if c.Function.Name != names[i] || c.ID == "" || ids[c.ID] || c.Type != goai.ToolTypeFunction ||
			json.Unmarshal([]byte(c.Function.Arguments), &args) != nil || args["city"] == nil {
			t.Fatalf("call %d: %+v, want %s with a city", i, c, names[i])
		}
		ids[c.ID] = true
	}
}

func TestGoOpenAIChat(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := goClient(e.URL, "demo-key")
	for _, k := range goKinds {
		t.Run(k.chat, func(t *testing.T) {
			t.Run("plain", func(t *testing.T) { goPlainChat(t, c, k.chat) })
			t.Run("json", func(t *testing.T) { goJSONChat(t, c, k.chat) })
			t.Run("tools", func(t *testing.T) { goToolLoop(t, c, k.chat) })
			t.Run("image", func(t *testing.T) { goImageChat(t, c, k.chat) })
			t.Run("n", func(t *testing.T) { goSeveralChoices(t, c, k) })
			t.Run("logprobs", func(t *testing.T) { goLogprobs(t, c, k) })
			if k.reasoning != "" {
				t.Run("reasoning", func(t *testing.T) { goReasoning(t, c, k) })
			}
		})
	}
}

// goPlainChat asks complete and streamed, the stream with its usage.
func goPlainChat(t *testing.T, c *goai.Client, dep string) {
	resp, err := c.CreateChatCompletion(ctxT(t), goai.ChatCompletionRequest{Model: dep, Messages: goUser("Write a sentence about trains.")})
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices
	if len(ch) != 1 || ch[0].FinishReason != goai.FinishReasonStop || ch[0].Message.Role != goai.ChatMessageRoleAssistant || ch[0].Message.Content == "" {
		t.Fatalf("complete: %+v", resp)
	}
	u := resp.Usage
	if resp.ID == "" || resp.Object != "chat.completion" || u.PromptTokens == 0 || u.CompletionTokens == 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("complete: id %q object %q usage %+v", resp.ID, resp.Object, u)
	}

	s := goStream(t, c, goai.ChatCompletionRequest{Model: dep, Messages: goUser("Write a sentence about trains."), Stream: true})
	if s.content[0] == "" || s.finishes[0] != goai.FinishReasonStop || s.usage != nil {
		t.Fatalf("streamed %q, finish %q, usage %+v (none asked)", s.content[0], s.finishes[0], s.usage)
	}
	s = goStream(t, c, goai.ChatCompletionRequest{Model: dep, Messages: goUser("Write a sentence about trains."), Stream: true,
		StreamOptions: &goai.StreamOptions{IncludeUsage: true}})
	if s.usage == nil || !s.usageLast || s.usage.CompletionTokens == 0 || s.usage.TotalTokens != s.usage.PromptTokens+s.usage.CompletionTokens {
		t.Fatalf("stream_options.include_usage: usage %+v, on the last chunk without choices %v", s.usage, s.usageLast)
	}
}

// goJSONChat asks for a JSON object, then for JSON following a schema.
func goJSONChat(t *testing.T, c *goai.Client, dep string) {
	resp, err := c.CreateChatCompletion(ctxT(t), goai.ChatCompletionRequest{Model: dep, Messages: goUser("Reply in JSON: list two colors."),
		ResponseFormat: &goai.ChatCompletionResponseFormat{Type: goai.ChatCompletionResponseFormatTypeJSONObject}})
	if err != nil {
		t.Fatal(err)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), &obj); err != nil {
		t.Fatalf("json_object: %q: %v", resp.Choices[0].Message.Content, err)
	}
	schema := json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer"}},"required":["name","age"],"additionalProperties":false}`)
	resp, err = c.CreateChatCompletion(ctxT(t), goai.ChatCompletionRequest{Model: dep, Messages: goUser("Extract: Ada Lovelace, 36 years old."),
		ResponseFormat: &goai.ChatCompletionResponseFormat{Type: goai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &goai.ChatCompletionResponseFormatJSONSchema{Name: "person", Schema: schema, Strict: true}}})
	if err != nil {
		t.Fatal(err)
	}
	var person struct {
		Name *string `json:"name"`
		Age  *int    `json:"age"`
	}
	if err := json.Unmarshal([]byte(resp.Choices[0].Message.Content), &person); err != nil || person.Name == nil || person.Age == nil {
		t.Fatalf("json_schema: %q (%v)", resp.Choices[0].Message.Content, err)
	}
}

// goToolLoop: a tool call complete and streamed, two in parallel, and
// the loop back with each result under its ToolCallID.
func goToolLoop(t *testing.T, c *goai.Client, dep string) {
	req := goai.ChatCompletionRequest{Model: dep, Messages: goUser("Use get_weather: what's the weather in Paris?"), Tools: []goai.Tool{goWeather}}
	resp, err := c.CreateChatCompletion(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].FinishReason != goai.FinishReasonToolCalls {
		t.Fatalf("finish %q, want tool_calls", resp.Choices[0].FinishReason)
	}
	goWantCalls(t, resp.Choices[0].Message.ToolCalls, "get_weather")
	req.Stream = true
	s := goStream(t, c, req)
	if s.finishes[0] != goai.FinishReasonToolCalls {
		t.Fatalf("streamed finish %q, want tool_calls", s.finishes[0])
	}
	goWantCalls(t, s.calls, "get_weather")

	for _, streamed := range []bool{false, true} {
		req := goai.ChatCompletionRequest{Model: dep, Messages: goUser(parallelPrompt), Tools: []goai.Tool{goWeather, goTime}, Stream: streamed}
		msg := goAsk(t, c, req)
		goWantCalls(t, msg.ToolCalls, "get_weather", "get_time")
		req.Messages = append(req.Messages, msg,
			goai.ChatCompletionMessage{Role: goai.ChatMessageRoleTool, ToolCallID: msg.ToolCalls[0].ID, Content: `{"temperature_c": 21}`},
			goai.ChatCompletionMessage{Role: goai.ChatMessageRoleTool, ToolCallID: msg.ToolCalls[1].ID, Content: `{"time": "09:30"}`})
		if msg = goAsk(t, c, req); len(msg.ToolCalls) != 0 || !strings.Contains(msg.Content, "09:30") {
			t.Fatalf("streamed %v: answer after both results: %+v", streamed, msg)
		}
	}
}

// goAsk returns the assistant's message, complete or put together from
// the stream as go-openai's users do.
func goAsk(t *testing.T, c *goai.Client, req goai.ChatCompletionRequest) goai.ChatCompletionMessage {
	t.Helper()
	if !req.Stream {
		resp, err := c.CreateChatCompletion(ctxT(t), req)
		if err != nil {
			t.Fatal(err)
		}
		return resp.Choices[0].Message
	}
	s := goStream(t, c, req)
	return goai.ChatCompletionMessage{Role: goai.ChatMessageRoleAssistant, Content: s.content[0], ToolCalls: s.calls}
}

// goImageChat sends an image part with a data: URL.
func goImageChat(t *testing.T, c *goai.Client, dep string) {
	url := "data:image/png;base64," + base64.StdEncoding.EncodeToString(tinyPNG(t))
	resp, err := c.CreateChatCompletion(ctxT(t), goai.ChatCompletionRequest{Model: dep, Messages: []goai.ChatCompletionMessage{{
		Role: goai.ChatMessageRoleUser, MultiContent: []goai.ChatMessagePart{
			{Type: goai.ChatMessagePartTypeText, Text: "What is in this image?"},
			{Type: goai.ChatMessagePartTypeImageURL, ImageURL: &goai.ChatMessageImageURL{URL: url, Detail: goai.ImageURLDetailLow}},
		}}}})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].Message.Content == "" || resp.Usage.PromptTokens == 0 {
		t.Fatalf("%+v", resp)
	}
}
