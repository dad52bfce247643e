package anthropic

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"switchyard/llm/llmtest"
	"sync"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

func TestRegistered(t *testing.T) {
	p, err := provider.New(provider.Config{Name: "a", Kind: "anthropic", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	c := p.(*Client)
	if c.url != "https://api.anthropic.com/v1/messages" || c.version != "2023-06-01" {
		t.Errorf("defaults: url %s version %s", c.url, c.version)
	}
	for base, want := range map[string]string{
		"https://proxy.example/anthropic/":   "https://proxy.example/anthropic/v1/messages",
		"https://proxy.example/anthropic/v1": "https://proxy.example/anthropic/v1/messages",
	} {
		c, err := New(provider.Config{BaseURL: base})
		if err != nil || c.url != want {
			t.Errorf("base %s: %v %v, want %s", base, c, err, want)
		}
	}
	if _, err := New(provider.Config{Name: "x", BaseURL: "api.anthropic.com"}); err == nil {
		t.Error("a base URL without scheme was accepted")
	}
}

func TestChat(t *testing.T) {
	var mu sync.Mutex
	var seen http.Header
	record := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			seen = r.Header.Clone()
			mu.Unlock()
			h.ServeHTTP(w, r)
		})
	}
	f := newFixture(t, testKey, record)
	req := chatReq("What is a quaternion?")
	req.Messages = append([]llm.Message{llm.TextMessage(llm.RoleSystem, "Be brief.")}, req.Messages...)
	resp, err := llmtest.Complete(context.Background(), f.c, req)
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if !strings.HasPrefix(resp.ID, "msg_") || resp.Model != testModel || resp.Created == 0 ||
		ch.FinishReason != llm.FinishStop || !strings.Contains(ch.Message.Text(), "quaternion") {
		t.Errorf("response %+v", resp)
	}
	if u := resp.Usage; u == nil || u.PromptTokens == 0 || u.CompletionTokens == 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Errorf("usage %+v", resp.Usage)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen.Get("x-api-key") != testKey || seen.Get("anthropic-version") != "2023-06-01" || seen.Get("anthropic-beta") != "test-beta" ||
		seen.Get("content-type") != "application/json" || seen.Get("Authorization") != "" {
		t.Errorf("upstream headers %v", seen)
	}
}

func TestToolsRoundTrip(t *testing.T) {
	f := newFixture(t, testKey)
	tool := llm.Tool{Type: "function", Name: "get_weather", Description: "Current weather",
		Parameters: json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"},"unit":{"enum":["celsius","fahrenheit"]}},"required":["location"]}`)}
	req := chatReq("What's the weather in Paris? Use get_weather.")
	req.Tools = []llm.Tool{tool}
	resp, err := llmtest.Complete(context.Background(), f.c, req)
	if err != nil {
		t.Fatal(err)
	}
	msg := resp.Choices[0].Message
	if resp.Choices[0].FinishReason != llm.FinishToolCalls || len(msg.ToolCalls()) != 1 || msg.Content != nil {
		t.Fatalf("answer %+v", resp.Choices[0])
	}
	call := msg.ToolCalls()[0]
	if !strings.HasPrefix(call.ID, "toolu_") || call.Name != "get_weather" || call.Type != "function" || call.Arguments != `{"location":"example","unit":"celsius"}` {
		t.Errorf("call %+v", call)
	}
	// The result goes back as OpenAI clients send it: the assistant's
	// calls, then a tool message.
	req.Messages = append(req.Messages, msg, llm.Message{
		Role:    llm.RoleTool,
		Content: []llm.Part{{Type: llm.PartText, Text: "18C, sunny"}},
		Extra:   &llm.MessageExtra{ToolCallID: call.ID},
	})
	resp, err = llmtest.Complete(context.Background(), f.c, req)
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Choices[0].Message.Text(); got != "Based on the tool result: 18C, sunny" || resp.Choices[0].FinishReason != llm.FinishStop {
		t.Errorf("final answer %q (%s)", got, resp.Choices[0].FinishReason)
	}
}

// TestJSONMode: json_schema is answered natively (output_config.format)
// by a model that takes it, the JSON alone; json_object, which has no
// native form, by the prompt instruction, which the simulated Claude
// answers in a Markdown fence, as Claude models often do (the gateway
// strips it from complete answers).
func TestJSONMode(t *testing.T) {
	f := newFixture(t, testKey)
	schema := json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"},"population":{"type":"integer"}},"required":["city","population"]}`)
	for _, tc := range []struct {
		rf   llm.ResponseFormat
		want string
	}{
		{llm.ResponseFormat{Type: llm.FormatJSONObject}, "```json\n{\"answer\":\"Largest city in France?\"}\n```"},
		{llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "city", Schema: schema}, `{"city":"example","population":7}`},
	} {
		req := chatReq("Largest city in France?")
		req.ResponseFormat = &tc.rf
		resp, err := llmtest.Complete(context.Background(), f.c, req)
		if err != nil {
			t.Fatal(err)
		}
		if text := resp.Choices[0].Message.Text(); text != tc.want {
			t.Errorf("%s: content %q, want %q", tc.rf.Type, text, tc.want)
		}
	}
}

func TestInvalidRequestNeverSent(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) { t.Error("request reached the upstream") })
	c := clientFor(t, srv.URL, testKey)
	req := chatReq("x")
	req.Temperature = new(float64)
	*req.Temperature = 1.7
	_, err := llmtest.Complete(context.Background(), c, req)
	le := asError(t, err)
	if le.Kind != llm.KindInvalidRequest || le.Param != "temperature" || le.Provider != "claude-test" {
		t.Errorf("err %+v", le)
	}
	if _, err := c.Stream(context.Background(), req); asError(t, err).Param != "temperature" {
		t.Errorf("stream err %v", err)
	}
}
