package llm

import (
	"encoding/json"
	"testing"
)

// TestWebSearchChoice checks which hosted tool choices force or allow
// the web search.
func TestWebSearchChoice(t *testing.T) {
	for _, tt := range []struct {
		choice          string
		forced, allowed bool
	}{
		{``, false, false},
		{`{"type":"web_search"}`, true, false},
		{`{"type":"web_search_preview"}`, true, false},
		{`{"type":"web_search_preview_2025_03_11"}`, true, false},
		{`{"type":"web_search_call"}`, false, false},
		{`{"type":"file_search"}`, false, false},
		{`{"type":"allowed_tools","mode":"auto","tools":[{"type":"function","name":"f"},{"type":"web_search_preview"}]}`, false, true},
		{`{"type":"allowed_tools","mode":"auto","tools":[{"type":"mcp","server_label":"x"}]}`, false, false},
		{`"required"`, false, false},
	} {
		h := &OpenAIHosted{ToolChoice: json.RawMessage(tt.choice)}
		if f, a := h.WebSearchChoice(); f != tt.forced || a != tt.allowed {
			t.Errorf("%s: forced %v allowed %v, want %v %v", tt.choice, f, a, tt.forced, tt.allowed)
		}
	}
	var none *OpenAIHosted
	if f, a := none.WebSearchChoice(); f || a {
		t.Error("nil: a web search choice")
	}
}

// FuzzWebSearchChoice feeds WebSearchChoice a client's tool_choice bytes:
// it never panics, and never reports both forced and allowed.
func FuzzWebSearchChoice(f *testing.F) {
	for _, s := range []string{`{"type":"web_search"}`, `{"type":"allowed_tools","tools":[{"type":"web_search"}]}`, `{"type":"allowed_tools","tools":null}`, `{"type":1}`, `[]`, `nul`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		h := &OpenAIHosted{ToolChoice: b}
		if forced, allowed := h.WebSearchChoice(); forced && allowed {
			t.Errorf("%q: both forced and allowed", b)
		}
	})
}
