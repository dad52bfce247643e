package llm

import (
	"encoding/json"
	"testing"
)

// TestOpenAIHostedKinds checks the hosted tools a request asks for: its
// declarations' kinds, its items' kinds, HostedOpenAIOnly for a stored
// prompt, a compaction item or a type the router does not know.
func TestOpenAIHostedKinds(t *testing.T) {
	turn := func(items ...string) Message {
		m := Message{Role: RoleAssistant}
		var blocks []Block
		for _, it := range items {
			blocks = append(blocks, Block{Raw: json.RawMessage(it)})
		}
		m.SetHosted(blocks)
		return m
	}
	tools := func(ts ...string) *OpenAIHosted {
		h := &OpenAIHosted{}
		for _, raw := range ts {
			h.Tools = append(h.Tools, json.RawMessage(raw))
		}
		return h
	}
	for _, tt := range []struct {
		name string
		req  Request
		want HostedKinds
	}{
		{"none", Request{}, 0},
		{"web search", Request{OpenAIHosted: tools(`{"type":"web_search_preview","search_context_size":"low"}`)}, HostedWebSearch},
		{"several", Request{OpenAIHosted: tools(`{"type":"file_search","vector_store_ids":["vs_1"]}`, ` {"type" : "mcp","server_label":"x"}`)}, HostedFileSearch | HostedMCP},
		{"computer tools", Request{OpenAIHosted: tools(`{"type":"computer_use_preview"}`, `{"type":"computer"}`)}, HostedComputerPreview | HostedComputer},
		{"prompt", Request{OpenAIHosted: &OpenAIHosted{Params: []RawParam{{Name: "prompt", Value: json.RawMessage(`{"id":"pmpt_1"}`)}}}}, HostedOpenAIOnly},
		{"items", Request{Messages: []Message{turn(`{"type":"code_interpreter_call","id":"ci_1"}`, `{"id":"ig_1","type":"image_generation_call"}`)}}, HostedCodeInterpreter | HostedImageGeneration},
		{"compaction item", Request{Messages: []Message{turn(`{"type":"compaction","encrypted_content":"x"}`)}}, HostedOpenAIOnly},
		{"unknown", Request{OpenAIHosted: tools(`{"type":"deep_think"}`)}, HostedOpenAIOnly},
	} {
		if got := tt.req.OpenAIHostedKinds(); got != tt.want {
			t.Errorf("%s: %q, want %q", tt.name, got, tt.want)
		}
		if got := tt.req.OpenAIHostedKinds() != 0; got != tt.req.OpenAIHostedTools() {
			t.Errorf("%s: kinds %v but OpenAIHostedTools %v", tt.name, got, !got)
		}
	}
	if s := (HostedWebSearch | HostedToolSearch | HostedOpenAIOnly).String(); s != "web_search, tool_search, prompt/context_management" {
		t.Errorf("String %q", s)
	}
}

// FuzzOpenAIHostedKinds reads the kinds of any declaration and item a
// client sends: never a panic, never no kind for a request that has
// hosted tools, HostedOpenAIOnly for whatever has no known type.
func FuzzOpenAIHostedKinds(f *testing.F) {
	for _, s := range []string{`{"type":"web_search"}`, `{"type":"mcp_call","id":"x"}`, `{"type":"computer"}`, `{"type":1}`, `[]`, `null`, `{"type":"web_search"`, `{"action":{"type":"search"}}`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		turn := Message{Role: RoleAssistant}
		turn.SetHosted([]Block{{Raw: json.RawMessage(raw)}})
		for _, r := range []Request{{OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(raw)}}}, {Messages: []Message{turn}}} {
			k := r.OpenAIHostedKinds()
			if k == 0 || k&^AllHosted != 0 || bits(k) != 1 {
				t.Fatalf("%q: kinds %b", raw, k)
			}
		}
	})
}

// bits counts the kinds in k.
func bits(k HostedKinds) int {
	n := 0
	for ; k != 0; k &= k - 1 {
		n++
	}
	return n
}
