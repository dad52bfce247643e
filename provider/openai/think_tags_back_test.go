package openai

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
	"switchyard/provider/thinking"
)

// miniMaxToolStream is MiniMax-M2 on a host without a reasoning parser
// calling a tool: its reasoning in the content between <think> tags.
const miniMaxToolStream = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"MiniMaxAI/MiniMax-M2","choices":[{"index":0,"delta":{"role":"assistant","content":"<think>\nNeed the "},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"MiniMaxAI/MiniMax-M2","choices":[{"index":0,"delta":{"content":"weather.\n</think>\n\n"},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"MiniMaxAI/MiniMax-M2","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_m2","type":"function","function":{"name":"get_weather","arguments":"{}"}}]},"finish_reason":null}]}

data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"MiniMaxAI/MiniMax-M2","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}

data: [DONE]

`

// A MiniMax-M2 answer that calls tools leaves its reasoning (split out of
// its tags) in the thinking memory, though its client did not see it; the
// loop's next turn, restored from the memory, sends it back in the
// assistant message's content between the tags, with no
// reasoning_content member.
func TestThinkTagsKeptForMiniMax(t *testing.T) {
	bodies := make(chan []byte, 4)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies <- b
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, miniMaxToolStream)
	}))
	t.Cleanup(srv.Close)
	mem := thinking.New(0, 0)
	c, err := New(provider.Config{Name: "vllm", Kind: KindOpenAI, BaseURL: srv.URL, APIKey: "k", Thinking: mem})
	if err != nil {
		t.Fatal(err)
	}
	ctx := thinking.WithScope(context.Background(), "tenant-a")
	req := userRequest("MiniMaxAI/MiniMax-M2", "Weather in Oslo?")
	req.Tools = []llm.Tool{weatherTool}
	if got := streamThinking(t, c, ctx, req); got != "" {
		t.Errorf("the hidden reasoning reached the client: %q", got)
	}
	<-bodies
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetToolCalls([]llm.ToolCall{{ID: "call_m2", Type: "function", Name: "get_weather", Arguments: "{}"}})
	msgs, ok := mem.Restore(ctx, "tenant-a", []llm.Message{llm.TextMessage(llm.RoleUser, "Weather in Oslo?"), asst, toolResult("call_m2", "4C")})
	if !ok {
		t.Fatal("nothing kept")
	}
	req.Messages = msgs
	streamThinking(t, c, ctx, req)
	var sent struct {
		Messages []map[string]json.RawMessage `json:"messages"`
	}
	if err := json.Unmarshal(<-bodies, &sent); err != nil {
		t.Fatal(err)
	}
	m := sent.Messages[1]
	var content string
	_ = json.Unmarshal(m["content"], &content)
	if _, has := m["reasoning_content"]; has || content != "<think>\nNeed the weather.\n</think>" {
		t.Errorf("assistant message sent %s", mapJSON(m))
	}
}

func mapJSON(m map[string]json.RawMessage) string {
	b, _ := json.Marshal(m)
	return string(b)
}
