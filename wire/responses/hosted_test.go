package responses

import (
	"strings"
	"testing"
)

// TestDecodeHostedTools checks that OpenAI's hosted tools are kept as
// the client wrote them, apart from the function tools, with a
// tool_choice naming one and the include values asking for their
// outputs.
func TestDecodeHostedTools(t *testing.T) {
	body := `{"model":"m","input":"hi","tools":[{"type":"function","name":"f"},{"type":"web_search","search_context_size":"low"},` +
		`{"type":"code_interpreter","container":{"type":"auto"}}],"tool_choice":{"type":"web_search"},` +
		`"include":["web_search_call.action.sources","reasoning.encrypted_content"]}`
	r, err := DecodeRequest([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	req := r.Chat
	if len(req.Tools) != 1 || req.Tools[0].Name != "f" {
		t.Errorf("function tools %+v", req.Tools)
	}
	h := req.OpenAIHosted
	if h == nil || len(h.Tools) != 2 || string(h.Tools[0]) != `{"type":"web_search","search_context_size":"low"}` ||
		string(h.Tools[1]) != `{"type":"code_interpreter","container":{"type":"auto"}}` {
		t.Fatalf("hosted %+v", h)
	}
	if string(h.ToolChoice) != `{"type":"web_search"}` || req.ToolChoice != nil {
		t.Errorf("tool_choice %s / %+v", h.ToolChoice, req.ToolChoice)
	}
	if strings.Join(h.Include, ",") != "web_search_call.action.sources" {
		t.Errorf("include %v", h.Include)
	}
	if !req.OpenAIHostedTools() {
		t.Error("request does not say it holds hosted tools")
	}
	plain, err := DecodeRequest([]byte(`{"model":"m","input":"hi","include":["web_search_call.action.sources"]}`))
	if err != nil || plain.Chat.OpenAIHosted != nil {
		t.Errorf("no hosted tool: %+v, %v", plain.Chat.OpenAIHosted, err)
	}
	only, err := DecodeRequest([]byte(`{"model":"m","input":"hi","tools":[{"type":"web_search"}],"tool_choice":"required"}`))
	if err != nil || only.Chat.ToolChoice == nil || len(only.Chat.OpenAIHosted.Tools) != 1 {
		t.Errorf("hosted tool alone, required: %+v, %v", only.Chat, err)
	}
}
