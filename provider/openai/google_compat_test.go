package openai

import (
	"bytes"
	"net/url"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

func TestGoogleCompatURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://generativelanguage.googleapis.com/v1beta/openai":                                             true,
		"https://generativelanguage.googleapis.com/v1beta/openai/":                                            true,
		"https://aiplatform.googleapis.com/v1/projects/p/locations/global/endpoints/openapi":                  true,
		"https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/openapi": true,
		"http://127.0.0.1:8080/v1beta/openai":                                                                 true,
		"https://api.openai.com/v1":                                                                           false,
		"https://openrouter.ai/api/v1":                                                                        false,
		"https://generativelanguage.googleapis.com.evil.example/v1":                                           false,
	} {
		u, _ := url.Parse(raw)
		if got := GoogleCompatURL(u); got != want {
			t.Errorf("GoogleCompatURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

// A tool loop's thought signatures go to Google's endpoint, and to a host
// whose deployment says send; never to another host (OpenAI refuses the
// member), nor to Google's when the deployment says omit.
func TestEncodeChatThoughtSignatures(t *testing.T) {
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}", Signature: "sig-1"}})
	result := llm.TextMessage(llm.RoleTool, "ok")
	result.SetToolCallID("c1")
	for _, tt := range []struct {
		base string
		set  llm.PassBack
		want bool
	}{
		{"https://generativelanguage.googleapis.com/v1beta/openai", llm.PassBackAuto, true},
		{"https://generativelanguage.googleapis.com/v1beta/openai", llm.PassBackOmit, false},
		{"https://api.openai.com/v1", llm.PassBackAuto, false},
		{"https://proxy.example/v1", llm.PassBackSend, true},
	} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: tt.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		req := &llm.Request{Model: "gemini-3-flash-preview", ThoughtSignatures: tt.set,
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), call, result}}
		body, err := c.encodeChat(req, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(body, []byte(`"extra_content":{"google":{"thought_signature":"sig-1"}}`)); got != tt.want {
			t.Errorf("%s %q: body %s", tt.base, tt.set, body)
		}
	}
}

func TestOpenRouterURL(t *testing.T) {
	for raw, want := range map[string]bool{
		"https://openrouter.ai/api/v1": true, "https://OpenRouter.ai/api/v1/": true,
		"https://api.openai.com/v1": false, "https://openrouter.ai.example/api/v1": false, "http://127.0.0.1/api/v1": false,
	} {
		u, _ := url.Parse(raw)
		if got := OpenRouterURL(u); got != want {
			t.Errorf("OpenRouterURL(%s) = %v, want %v", raw, got, want)
		}
	}
}

// An assistant turn's reasoning_details go to OpenRouter, and to a host
// whose deployment says send; never to another host, nor to OpenRouter
// when the deployment says omit.
func TestEncodeChatReasoningDetails(t *testing.T) {
	asst := llm.Message{Role: llm.RoleAssistant}
	asst.SetThinking([]llm.Thinking{{Text: "hmm"}, llm.OpenRouterReasoning(`[{"type":"reasoning.encrypted","data":"e","index":0}]`)})
	asst.SetToolCalls([]llm.ToolCall{{ID: "c1", Name: "f", Arguments: "{}"}})
	result := llm.TextMessage(llm.RoleTool, "ok")
	result.SetToolCallID("c1")
	for _, tt := range []struct {
		base string
		set  llm.PassBack
		want bool
	}{
		{"https://openrouter.ai/api/v1", llm.PassBackAuto, true},
		{"https://openrouter.ai/api/v1", llm.PassBackOmit, false},
		{"https://api.openai.com/v1", llm.PassBackAuto, false},
		{"https://proxy.example/v1", llm.PassBackSend, true},
	} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: tt.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		req := &llm.Request{Model: "google/gemini-3-pro-preview", ReasoningDetails: tt.set,
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi"), asst, result}}
		body, err := c.encodeChat(req, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(body, []byte(`"reasoning_details":[{"type":"reasoning.encrypted","data":"e","index":0}]`)); got != tt.want {
			t.Errorf("%s %q: body %s", tt.base, tt.set, body)
		}
	}
}
