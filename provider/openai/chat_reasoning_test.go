package openai

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
)

// deepSeekStream is a DeepSeek thinking-mode stream that reasons, then
// calls a tool.
const deepSeekStream = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":""},"logprobs":null,"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"Need the "},"logprobs":null,"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":null,"reasoning_content":"weather."},"logprobs":null,"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_00_x","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},"logprobs":null,"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"deepseek-reasoner","choices":[{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"tool_calls"}]}

data: [DONE]

`

// deepSeekServer answers every chat request with deepSeekStream and
// hands each request body to bodies.
func deepSeekServer(t *testing.T, mem *thinking.Memory) (*Client, <-chan []byte) {
	t.Helper()
	bodies := make(chan []byte, 8)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, deepSeekStream)
	}))
	t.Cleanup(srv.Close)
	c, err := New(provider.Config{Name: "deepseek", Kind: KindOpenAI, BaseURL: srv.URL, APIKey: "sk-test", Thinking: mem})
	if err != nil {
		t.Fatal(err)
	}
	return c, bodies
}

// streamThinking drains a stream of req and returns the thinking text its
// chunks carried.
func streamThinking(t *testing.T, c *Client, ctx context.Context, req *llm.Request) string {
	t.Helper()
	s, err := c.Stream(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF {
		t.Fatal(err)
	}
	var b strings.Builder
	roles := 0
	for _, ch := range chunks {
		for _, cc := range ch.Choices {
			if cc.Delta.Thinking != nil {
				b.WriteString(cc.Delta.Thinking.Text)
			}
			if cc.Delta.Role != "" {
				roles++
			}
		}
	}
	if roles != 1 {
		t.Errorf("%d chunks carried the role, want 1", roles)
	}
	return b.String()
}

// A host's reasoning_content reaches a client that shows it (a Chat
// Completions client, or one whose Reasoning asks to see thinking) as
// thinking deltas, and no other; a DeepSeek answer that calls tools
// leaves it in the thinking memory under the calls' ids, in the caller's
// scope, whether or not the client saw it.
func TestChatReasoningShownAndKept(t *testing.T) {
	for _, tc := range []struct {
		name string
		set  func(*llm.Request)
		show bool
	}{
		{"chat client", func(r *llm.Request) { r.ShowsReasoningText = true }, true},
		{"shows thinking", func(r *llm.Request) { r.Reasoning = &llm.Reasoning{BudgetTokens: 2048, Show: true} }, true},
		{"hidden", func(*llm.Request) {}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			mem := thinking.New(0, 0)
			c, _ := deepSeekServer(t, mem)
			req := userRequest("deepseek-reasoner", "Weather in Oslo?")
			req.Tools = []llm.Tool{weatherTool}
			tc.set(req)
			got := streamThinking(t, c, thinking.WithScope(context.Background(), "tenant-a"), req)
			if want := map[bool]string{true: "Need the weather.", false: ""}[tc.show]; got != want {
				t.Errorf("streamed thinking %q, want %q", got, want)
			}
			asst := llm.Message{Role: llm.RoleAssistant}
			asst.SetToolCalls([]llm.ToolCall{{ID: "call_00_x", Type: "function", Name: "get_weather", Arguments: "{}"}})
			msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "Weather in Oslo?"), asst, toolResult("call_00_x", "4C")}
			restored, ok := mem.Restore(context.Background(), "tenant-a", msgs)
			if th := restored[1].Thinking(); !ok || len(th) != 1 || th[0].Text != "Need the weather." {
				t.Errorf("restored %+v (%v)", th, ok)
			}
			if _, ok := mem.Restore(context.Background(), "tenant-b", msgs); ok {
				t.Error("another scope restored the thinking")
			}
		})
	}
}

// A DeepSeek model in thinking mode is sent reasoning_content on every
// assistant message (the kept thinking, "" when none); another model on
// the same host, or DeepSeek with thinking disabled, none.
func TestChatReasoningContentSent(t *testing.T) {
	c, bodies := deepSeekServer(t, nil)
	earlier := llm.Message{Role: llm.RoleAssistant}
	earlier.SetToolCalls([]llm.ToolCall{{ID: "call_0", Type: "function", Name: "get_weather", Arguments: "{}"}})
	last := llm.Message{Role: llm.RoleAssistant}
	last.SetToolCalls([]llm.ToolCall{{ID: "call_1", Type: "function", Name: "get_weather", Arguments: "{}"}})
	last.SetThinking([]llm.Thinking{{Text: "Again."}})
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "Weather?"), earlier, toolResult("call_0", "4C"), last, toolResult("call_1", "5C")}
	for _, tc := range []struct {
		model, thinking string
		want            []string
	}{
		{"deepseek-reasoner", "", []string{"", `""`, "", `"Again."`, ""}},
		{"deepseek-chat", `{"type":"enabled"}`, []string{"", `""`, "", `"Again."`, ""}},
		{"deepseek-v4-pro", `{"type":"disabled"}`, []string{"", "", "", "", ""}},
		{"gpt-4.1", "", []string{"", "", "", "", ""}},
	} {
		req := &llm.Request{Model: tc.model, Messages: msgs, Tools: []llm.Tool{weatherTool}}
		if tc.thinking != "" {
			req.Extra = map[string]json.RawMessage{"thinking": json.RawMessage(tc.thinking)}
		}
		streamThinking(t, c, context.Background(), req)
		var sent struct {
			Messages []map[string]json.RawMessage `json:"messages"`
		}
		if err := json.Unmarshal(<-bodies, &sent); err != nil {
			t.Fatal(err)
		}
		for i, m := range sent.Messages {
			if got := string(m["reasoning_content"]); got != tc.want[i] {
				t.Errorf("%s: message %d reasoning_content %s, want %s", tc.model, i, got, tc.want[i])
			}
		}
	}
}

func toolResult(id, text string) llm.Message {
	m := llm.TextMessage(llm.RoleTool, text)
	m.SetToolCallID(id)
	return m
}
