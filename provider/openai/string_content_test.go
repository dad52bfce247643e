package openai

import (
	"bytes"
	"testing"

	"switchyard/llm"
	"switchyard/provider"
)

// A system prompt of two text parts goes to DeepSeek's and Groq's APIs
// as one string (they refuse the array), and to any host whose
// deployment says text_content: string; every other host, or one whose
// deployment says parts, gets the parts as the client sent them.
func TestEncodeChatStringContent(t *testing.T) {
	system := llm.Message{Role: llm.RoleSystem, Content: []llm.Part{{Type: llm.PartText, Text: "Be terse."}, {Type: llm.PartText, Text: "Answer in French."}}}
	for _, tt := range []struct {
		base string
		set  llm.TextContent
		want bool
	}{
		{"https://api.deepseek.com", llm.TextContentAuto, true},
		{"https://API.DeepSeek.com/v1/", llm.TextContentAuto, true},
		{"https://api.groq.com/openai/v1", llm.TextContentAuto, true},
		{"https://api.groq.com/openai/v1", llm.TextContentParts, false},
		{"https://api.openai.com/v1", llm.TextContentAuto, false},
		{"https://api.deepseek.com.example/v1", llm.TextContentAuto, false},
		{"https://proxy.example/v1", llm.TextContentString, true},
	} {
		c, err := New(provider.Config{Kind: KindOpenAI, BaseURL: tt.base, APIKey: "k"})
		if err != nil {
			t.Fatal(err)
		}
		req := &llm.Request{Model: "deepseek-chat", TextContent: tt.set, Messages: []llm.Message{system, llm.TextMessage(llm.RoleUser, "hi")}}
		body, err := c.encodeChat(req, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := bytes.Contains(body, []byte(`{"role":"system","content":"Be terse.\n\nAnswer in French."}`)); got != tt.want {
			t.Errorf("%s %q: body %s", tt.base, tt.set, body)
		}
	}
}
