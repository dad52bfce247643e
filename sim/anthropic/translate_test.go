package anthropic

import (
	"encoding/json"
	"io"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/anthropic"
)

// TestTranslationAccepted sends what wire/anthropic makes of awkward but
// valid OpenAI conversations to the strict simulator, which must accept
// it as the real API would. A conversation opening with the assistant's
// turn used to be forwarded as is and rejected ("first message must use
// the user role").
func TestTranslationAccepted(t *testing.T) {
	srv, _ := newServer(t)
	text := func(r llm.Role, s string) llm.Message { return llm.TextMessage(r, s) }
	call := llm.Message{Role: llm.RoleAssistant, Extra: &llm.MessageExtra{ToolCalls: []llm.ToolCall{{ID: "call_1", Type: "function", Name: "f", Arguments: `{}`}}}}
	result := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "42"}}, Extra: &llm.MessageExtra{ToolCallID: "call_1"}}
	tools := []llm.Tool{{Type: "function", Name: "f"}}
	tests := []struct {
		name  string
		msgs  []llm.Message
		tools []llm.Tool
	}{
		{"assistant first", []llm.Message{text(llm.RoleAssistant, "Hello! How can I help?"), text(llm.RoleUser, "Hi")}, nil},
		{"system then assistant", []llm.Message{text(llm.RoleSystem, "Be brief."), text(llm.RoleAssistant, "Welcome."), text(llm.RoleUser, "Hi")}, nil},
		{"assistant only", []llm.Message{text(llm.RoleAssistant, "Once upon a time")}, nil},
		{"assistant tool call first", []llm.Message{call, result, text(llm.RoleUser, "and?")}, tools},
		{"consecutive users and a tool round trip", []llm.Message{text(llm.RoleUser, "a"), text(llm.RoleUser, "b"), call, result}, tools},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := wire.FromLLM(&llm.Request{Model: model, Messages: tt.msgs, Tools: tt.tools})
			if err != nil {
				t.Fatal(err)
			}
			body, err := json.Marshal(req)
			if err != nil {
				t.Fatal(err)
			}
			resp := post(t, srv, "/v1/messages", string(body))
			if b, _ := io.ReadAll(resp.Body); resp.StatusCode != 200 {
				t.Errorf("status %d: %s\nrequest %s", resp.StatusCode, b, body)
			}
		})
	}
}
