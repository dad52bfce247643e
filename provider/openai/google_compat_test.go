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
