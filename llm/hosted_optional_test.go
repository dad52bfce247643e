package llm

import (
	"encoding/json"
	"testing"
)

// TestOptionalHostedKinds checks which declared hosted tools a request
// leaves to the model: not one a tool_choice names, nor those an
// allowed_tools choice of mode required allows alone, nor any when
// tool_choice required has no function tool to call, nor one whose items
// the conversation holds pending (an MCP approval), nor a stored prompt;
// one whose past calls the conversation holds is (WithoutHosted leaves
// the calls out).
func TestOptionalHostedKinds(t *testing.T) {
	ws := json.RawMessage(`{"type":"web_search"}`)
	fs := json.RawMessage(`{"type":"file_search","vector_store_ids":["vs"]}`)
	fn := []Tool{{Name: "shell"}}
	var turn Message
	turn.Role = RoleAssistant
	turn.SetHosted([]Block{{Raw: json.RawMessage(`{"type":"web_search_call"}`)}})
	mcp := json.RawMessage(`{"type":"mcp","server_label":"docs","server_url":"https://mcp.example"}`)
	approval := Message{Role: RoleAssistant}
	approval.SetHosted([]Block{{Raw: json.RawMessage(`{"type":"mcp_approval_response","approve":true,"approval_request_id":"mcpr_1"}`)}})
	for _, tt := range []struct {
		name string
		req  Request
		want HostedKinds
	}{
		{"none", Request{}, 0},
		{"auto", Request{Tools: fn, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws, fs}}}, HostedWebSearch | HostedFileSearch},
		{"function named", Request{Tools: fn, ToolChoice: &ToolChoice{Mode: ToolChoiceFunction, Name: "shell"}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}}}, HostedWebSearch},
		{"required with functions", Request{Tools: fn, ToolChoice: &ToolChoice{Mode: ToolChoiceRequired}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}}}, HostedWebSearch},
		{"required alone", Request{ToolChoice: &ToolChoice{Mode: ToolChoiceRequired}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}}}, 0},
		{"forced", Request{Tools: fn, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws, fs}, ToolChoice: ws}}, HostedFileSearch},
		{"allowed required alone", Request{Tools: fn, ToolChoice: &ToolChoice{Mode: ToolChoiceRequired, Allowed: []string{}}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"required","tools":[{"type":"web_search"}]}`)}}, 0},
		{"allowed required with a function", Request{Tools: fn, ToolChoice: &ToolChoice{Mode: ToolChoiceRequired, Allowed: []string{"shell"}}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"required","tools":[{"type":"web_search"},{"type":"function","name":"shell"}]}`)}}, HostedWebSearch},
		{"allowed auto", Request{Tools: fn, ToolChoice: &ToolChoice{Mode: ToolChoiceAuto, Allowed: []string{}}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"}]}`)}}, HostedWebSearch},
		{"past items", Request{Tools: fn, Messages: []Message{turn}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}}}, HostedWebSearch},
		{"past items, not declared", Request{Tools: fn, Messages: []Message{turn}}, HostedWebSearch},
		{"past items, forced", Request{Tools: fn, Messages: []Message{turn}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws}, ToolChoice: ws}}, 0},
		{"pending approval", Request{Tools: fn, Messages: []Message{approval}, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{ws, mcp}}}, HostedWebSearch},
		{"unknown type", Request{OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"future_tool"}`)}}}, 0},
	} {
		if got := tt.req.OptionalHostedKinds(); got != tt.want {
			t.Errorf("%s: optional %q, want %q", tt.name, got, tt.want)
		}
	}
}

// TestWithoutHosted checks what is left of a request without its web
// search: the other hosted tools and their include values, nothing of
// OpenAIHosted when the search was all of it, a tool_choice none where an
// allowed_tools choice allowed it alone; the request itself unchanged.
func TestWithoutHosted(t *testing.T) {
	ws := json.RawMessage(`{"type":"web_search_preview"}`)
	fs := json.RawMessage(`{"type":"file_search","vector_store_ids":["vs"]}`)
	req := &Request{Tools: []Tool{{Name: "shell"}}, OpenAIHosted: &OpenAIHosted{
		Tools: []json.RawMessage{ws, fs}, Include: []string{"web_search_call.action.sources", "file_search_call.results"},
	}}
	if got := req.WithoutHosted(0); got != req {
		t.Errorf("WithoutHosted(0) copied the request")
	}
	got := req.WithoutHosted(HostedWebSearch)
	if h := got.OpenAIHosted; h == nil || len(h.Tools) != 1 || string(h.Tools[0]) != string(fs) || len(h.Include) != 1 || h.Include[0] != "file_search_call.results" {
		t.Errorf("without web search: %+v", got.OpenAIHosted)
	}
	if len(req.OpenAIHosted.Tools) != 2 || len(req.OpenAIHosted.Include) != 2 {
		t.Errorf("the request itself changed: %+v", req.OpenAIHosted)
	}
	if got := req.WithoutHosted(HostedWebSearch | HostedFileSearch); got.OpenAIHosted != nil || got.OpenAIHostedTools() {
		t.Errorf("without both: hosted %+v", got.OpenAIHosted)
	}
	allowed := &Request{Tools: req.Tools, ToolChoice: &ToolChoice{Mode: ToolChoiceAuto, Allowed: []string{}}, OpenAIHosted: &OpenAIHosted{
		Tools: []json.RawMessage{ws}, ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search_preview"}]}`),
	}}
	if got := allowed.WithoutHosted(HostedWebSearch); got.OpenAIHosted != nil || got.ToolChoice == nil || got.ToolChoice.Mode != ToolChoiceNone {
		t.Errorf("allowed web search alone, dropped: hosted %+v choice %+v", got.OpenAIHosted, got.ToolChoice)
	}
}
