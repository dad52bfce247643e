package openai

import (
	"context"
	"encoding/json"
	"io"
	"net/http/httptest"
	"strings"
	"switchyard/llm/llmtest"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// kinds are the three ways of reaching a simulated upstream.
var kinds = []struct {
	name, kind, suffix string
}{
	{"openai", KindOpenAI, "/v1"},
	{"azure", KindAzure, ""},
	{"azure-v1", KindAzure, "/openai/v1"},
}

func simClient(t *testing.T, kind, suffix string) *Client {
	t.Helper()
	e := newEnv(t, kind, testKey)
	if suffix == "/openai/v1" {
		return newClient(t, provider.Config{Name: "up", Kind: kind, BaseURL: e.srv.URL + suffix, APIKey: testKey})
	}
	return e.c
}

func TestChat(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := simClient(t, k.kind, k.suffix)
			resp, err := llmtest.Complete(context.Background(), c, userRequest("gpt-sim", "Say hello"))
			if err != nil {
				t.Fatal(err)
			}
			if len(resp.Choices) != 1 || resp.Choices[0].FinishReason != llm.FinishStop {
				t.Fatalf("choices = %+v", resp.Choices)
			}
			if got := resp.Choices[0].Message.Text(); !strings.Contains(got, "gpt-sim") {
				t.Errorf("content = %q", got)
			}
			u := resp.Usage
			if u == nil || u.PromptTokens == 0 || u.CompletionTokens == 0 || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
				t.Errorf("usage = %+v", u)
			}
			if !strings.HasPrefix(resp.ID, "chatcmpl-") || resp.Model != "gpt-sim" {
				t.Errorf("id %q model %q", resp.ID, resp.Model)
			}
		})
	}
}

func TestChatUsageDetails(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	resp, err := llmtest.Complete(context.Background(), c, userRequest("gpt-sim-reasoning", "Think"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Usage.ReasoningTokens == 0 || resp.Usage.CompletionTokens <= resp.Usage.ReasoningTokens {
		t.Errorf("usage = %+v, want reasoning tokens within completion tokens", resp.Usage)
	}
	// A long shared prefix is read from the prompt cache the second time.
	long := strings.Repeat("The quick brown fox jumps over the lazy dog. ", 500)
	req := &llm.Request{Model: "gpt-sim", Messages: []llm.Message{
		llm.TextMessage(llm.RoleSystem, long),
		llm.TextMessage(llm.RoleUser, "first"),
	}}
	for i, want := range []bool{false, true} {
		req.Messages[1] = llm.TextMessage(llm.RoleUser, strings.Repeat("x", i+1))
		resp, err := llmtest.Complete(context.Background(), c, req)
		if err != nil {
			t.Fatal(err)
		}
		if got := resp.Usage.CachedPromptTokens > 0; got != want {
			t.Errorf("call %d: cached = %d, want cached %v", i, resp.Usage.CachedPromptTokens, want)
		}
	}
}

var weatherTool = llm.Tool{
	Type: "function", Name: "get_weather", Description: "Get the weather",
	Parameters: json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"},"unit":{"type":"string","enum":["celsius","fahrenheit"]}},"required":["city","unit"]}`),
}

func TestChatToolsRoundTrip(t *testing.T) {
	for _, k := range kinds {
		t.Run(k.name, func(t *testing.T) {
			c := simClient(t, k.kind, k.suffix)
			req := userRequest("gpt-sim", "What is the weather in Paris? Use get_weather.")
			req.Tools = []llm.Tool{weatherTool}
			resp, err := llmtest.Complete(context.Background(), c, req)
			if err != nil {
				t.Fatal(err)
			}
			ch := resp.Choices[0]
			if ch.FinishReason != llm.FinishToolCalls || len(ch.Message.ToolCalls()) != 1 {
				t.Fatalf("choice = %+v", ch)
			}
			call := ch.Message.ToolCalls()[0]
			var args map[string]any
			if call.Name != "get_weather" || call.ID == "" || json.Unmarshal([]byte(call.Arguments), &args) != nil || args["unit"] != "celsius" {
				t.Fatalf("tool call = %+v", call)
			}
			req.Messages = append(req.Messages, ch.Message, llm.Message{
				Role:          llm.RoleTool,
				StringContent: true,
				Content:       []llm.Part{{Type: llm.PartText, Text: "18C and sunny"}},
				Extra:         &llm.MessageExtra{ToolCallID: call.ID},
			})
			resp, err = llmtest.Complete(context.Background(), c, req)
			if err != nil {
				t.Fatal(err)
			}
			if got := resp.Choices[0].Message.Text(); !strings.Contains(got, "18C and sunny") || resp.Choices[0].FinishReason != llm.FinishStop {
				t.Errorf("answer after tool result = %q (%s)", got, resp.Choices[0].FinishReason)
			}
		})
	}
}

func TestChatJSONSchema(t *testing.T) {
	c := newEnv(t, KindOpenAI, testKey).c
	req := userRequest("gpt-sim", "Describe a person")
	req.ResponseFormat = &llm.ResponseFormat{Type: llm.FormatJSONSchema, Name: "person",
		Schema: json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"},"age":{"type":"integer","minimum":18}},"required":["name","age"],"additionalProperties":false}`)}
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Name *string
		Age  *int
	}
	text := resp.Choices[0].Message.Text()
	if err := json.Unmarshal([]byte(text), &got); err != nil || got.Name == nil || got.Age == nil || *got.Age < 18 {
		t.Fatalf("content %q does not follow the schema (%v)", text, err)
	}
}

func TestRequestShape(t *testing.T) {
	extra := map[string]json.RawMessage{"safety_identifier": json.RawMessage(`"s1"`)}
	// What the upstream must see: the passed-through field and the typed
	// logprobs ones.
	sent := map[string]json.RawMessage{"logprobs": json.RawMessage(`true`), "top_logprobs": json.RawMessage(`2`), "safety_identifier": json.RawMessage(`"s1"`)}
	tests := []struct {
		name, kind, suffix, key, model string
		stream                         bool
		wantURL, wantAuth, wantAPIKey  string
	}{
		{"openai", KindOpenAI, "/v1", testKey, "gpt-4o", false, "/v1/chat/completions", "Bearer " + testKey, ""},
		{"openai no key", KindOpenAI, "/v1", "", "gpt-4o", false, "/v1/chat/completions", "", ""},
		{"openai stream", KindOpenAI, "/v1/", testKey, "gpt-4o", true, "/v1/chat/completions", "Bearer " + testKey, ""},
		{"azure", KindAzure, "", testKey, "my dep/1", false, "/openai/deployments/my%20dep%2F1/chat/completions?api-version=2024-10-21", "", testKey},
		{"azure base with /openai", KindAzure, "/openai", testKey, "dep", true, "/openai/deployments/dep/chat/completions?api-version=2024-10-21", "", testKey},
		{"azure v1", KindAzure, "/openai/v1", testKey, "dep", false, "/openai/v1/chat/completions", "", testKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: stoppedStream}
			c := serve(t, rec, tt.kind, tt.suffix, tt.key)
			c.headers = map[string]string{"X-Team": "search", "Authorization": "Bearer client-key"}
			req := userRequest(tt.model, "hi")
			req.Extra, req.Logprobs, req.TopLogprobs = extra, true, 2
			if tt.stream {
				s, err := c.Stream(context.Background(), req)
				if err != nil {
					t.Fatal(err)
				}
				if _, err := drain(s); err != io.EOF {
					t.Fatal(err)
				}
			} else if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
				t.Fatal(err)
			}
			checkSent(t, rec, tt.wantURL, wantAuth(tt.key, tt.kind, tt.wantAuth), tt.wantAPIKey, true, sent)
		})
	}
}

// wantAuth is the Authorization an upstream should see: the key's, or
// else only a configured header.
func wantAuth(key, kind, keyAuth string) string {
	if key == "" || kind == KindAzure {
		return "Bearer client-key"
	}
	return keyAuth
}

// checkSent checks the last request rec got.
func checkSent(t *testing.T, rec *recorder, wantURL, wantAuth, wantAPIKey string, stream bool, extra map[string]json.RawMessage) {
	t.Helper()
	hr, body := rec.last(t)
	if got := hr.URL.RequestURI(); got != wantURL {
		t.Errorf("URL = %s, want %s", got, wantURL)
	}
	if got := hr.Header.Get("Authorization"); got != wantAuth {
		t.Errorf("Authorization = %q, want %q", got, wantAuth)
	}
	if got := hr.Header.Get("Api-Key"); got != wantAPIKey {
		t.Errorf("api-key = %q, want %q", got, wantAPIKey)
	}
	if hr.Header.Get("X-Team") != "search" || hr.Header.Get("Content-Type") != "application/json" {
		t.Errorf("headers = %v", hr.Header)
	}
	var sent map[string]json.RawMessage
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatalf("body %s: %v", body, err)
	}
	for k, v := range extra {
		if string(sent[k]) != string(v) {
			t.Errorf("extra %s = %s, want %s", k, sent[k], v)
		}
	}
	if stream != (string(sent["stream"]) == "true") {
		t.Errorf("stream = %s", sent["stream"])
	}
	if stream && string(sent["stream_options"]) != `{"include_usage":true}` {
		t.Errorf("stream_options = %s, want include_usage true", sent["stream_options"])
	}
}

// TestTokenLimitName checks max_tokens goes to OpenAI itself and to Azure as
// max_completion_tokens (reasoning models reject max_tokens), and to other
// compatible vendors as max_tokens.
func TestTokenLimitName(t *testing.T) {
	tests := []struct {
		kind, suffix, version string
		want                  string
	}{
		{KindOpenAI, "/v1", "", "max_tokens"},
		{KindAzure, "", "", "max_completion_tokens"},
		{KindAzure, "", "2024-02-01", "max_tokens"},
		{KindAzure, "/openai/v1", "", "max_completion_tokens"},
	}
	for _, tt := range tests {
		rec := &recorder{header: map[string]string{"Content-Type": "text/event-stream"}, body: stoppedStream}
		srv := httptest.NewServer(rec)
		c := newClient(t, provider.Config{Kind: tt.kind, BaseURL: srv.URL + tt.suffix, APIKey: testKey, APIVersion: tt.version})
		req := userRequest("m", "hi")
		n := 50
		req.MaxTokens = &n
		if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
			t.Fatal(err)
		}
		_, body := rec.last(t)
		if !strings.Contains(body, `"`+tt.want+`":50`) || strings.Count(body, "_tokens") != 1 {
			t.Errorf("%s%s %s: body %s, want %s", tt.kind, tt.suffix, tt.version, body, tt.want)
		}
		srv.Close()
	}
	c, _ := New(provider.Config{Kind: KindOpenAI})
	if !c.completionTokens {
		t.Error("api.openai.com does not get max_completion_tokens")
	}
}

func TestNewConfig(t *testing.T) {
	tests := []struct {
		cfg     provider.Config
		wantErr bool
		want    string
	}{
		{provider.Config{Kind: KindOpenAI}, false, DefaultBaseURL + "/chat/completions"},
		{provider.Config{Kind: KindOpenAI, BaseURL: "http://localhost:11434/v1/"}, false, "http://localhost:11434/v1/chat/completions"},
		{provider.Config{Kind: KindAzure, BaseURL: "https://r.openai.azure.com", APIVersion: "2025-04-01-preview"}, false, "https://r.openai.azure.com/openai/deployments/m/chat/completions?api-version=2025-04-01-preview"},
		{provider.Config{Kind: KindAzure, BaseURL: "https://r.openai.azure.com/openai/v1", APIVersion: "preview"}, false, "https://r.openai.azure.com/openai/v1/chat/completions?api-version=preview"},
		{provider.Config{Kind: KindAzure}, true, ""},
		{provider.Config{Kind: KindOpenAI, BaseURL: "api.openai.com/v1"}, true, ""},
		{provider.Config{Kind: KindOpenAI, BaseURL: "ftp://x/v1"}, true, ""},
	}
	for _, tt := range tests {
		c, err := New(tt.cfg)
		if (err != nil) != tt.wantErr {
			t.Errorf("New(%+v) error = %v", tt.cfg, err)
			continue
		}
		if err == nil && c.endpoint("chat/completions", "m") != tt.want {
			t.Errorf("New(%+v) endpoint = %s, want %s", tt.cfg, c.endpoint("chat/completions", "m"), tt.want)
		}
	}
	for _, kind := range []string{KindOpenAI, KindAzure} {
		p, err := provider.New(provider.Config{Name: "x", Kind: kind, BaseURL: "https://example.com"})
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := p.(provider.Embedder); !ok {
			t.Errorf("kind %s is not an Embedder", kind)
		}
	}
}

// TestContentFilterOutput checks Azure's filtered completion passes through
// as finish_reason content_filter.
func TestContentFilterOutput(t *testing.T) {
	c := newEnv(t, KindAzure, testKey).c
	resp, err := llmtest.Complete(context.Background(), c, userRequest("gpt-sim", "Tell me more [[sim:content_filter_output]]"))
	if err != nil {
		t.Fatal(err)
	}
	if resp.Choices[0].FinishReason != llm.FinishContentFilter {
		t.Errorf("finish = %q", resp.Choices[0].FinishReason)
	}
	s, err := c.Stream(context.Background(), userRequest("gpt-sim", "Tell me more [[sim:content_filter_output]]"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF || chunks[len(chunks)-2].Choices[0].FinishReason != llm.FinishContentFilter {
		t.Errorf("stream: %v, finish chunk %+v", err, chunks[len(chunks)-2])
	}
}
