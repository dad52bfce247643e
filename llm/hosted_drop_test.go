package llm

import (
	"encoding/json"
	"testing"
)

// TestWithoutHostedAllowed checks an allowed_tools choice without a
// dropped hosted tool: the dropped tool leaves the choice as written when
// another hosted tool stays in it, and the choice goes (its client tools
// staying in ToolChoice.Allowed) when none does; a client tool named by
// its type (shell) is no hosted tool that keeps the choice.
func TestWithoutHostedAllowed(t *testing.T) {
	ws := json.RawMessage(`{"type":"web_search"}`)
	fs := json.RawMessage(`{"type":"file_search","vector_store_ids":["vs"]}`)
	tools := []Tool{{Name: "get_time"}, {Name: "shell", Type: "shell"}}
	both := &Request{Tools: tools, ToolChoice: &ToolChoice{Mode: ToolChoiceAuto, Allowed: []string{"get_time"}}, OpenAIHosted: &OpenAIHosted{
		Tools:      []json.RawMessage{ws, fs},
		ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"},{"type":"file_search"},{"type":"function","name":"get_time"}]}`),
	}}
	got := both.WithoutHosted(HostedWebSearch)
	if h := got.OpenAIHosted; h == nil || string(h.ToolChoice) != `{"type":"allowed_tools","mode":"auto","tools":[{"type":"file_search"},{"type":"function","name":"get_time"}]}` {
		t.Errorf("web search dropped, file search kept: choice %s", got.OpenAIHosted.ToolChoice)
	}
	if h := both.OpenAIHosted; len(h.Tools) != 2 || !json.Valid(h.ToolChoice) || len(h.ToolChoice) != 131 {
		t.Errorf("the request itself changed: %s", h.ToolChoice)
	}
	shell := &Request{Tools: tools, ToolChoice: &ToolChoice{Mode: ToolChoiceAuto, Allowed: []string{"shell"}}, OpenAIHosted: &OpenAIHosted{
		Tools:      []json.RawMessage{ws},
		ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"},{"type":"shell"}]}`),
	}}
	got = shell.WithoutHosted(HostedWebSearch)
	if got.OpenAIHosted != nil || got.ToolChoice == nil || got.ToolChoice.Mode != ToolChoiceAuto || len(got.ToolChoice.Allowed) != 1 || got.ToolChoice.Allowed[0] != "shell" {
		t.Errorf("web search dropped beside the shell tool: hosted %+v choice %+v", got.OpenAIHosted, got.ToolChoice)
	}
	required := &Request{Tools: tools, ToolChoice: &ToolChoice{Mode: ToolChoiceRequired, Allowed: []string{"get_time"}}, OpenAIHosted: &OpenAIHosted{
		Tools:      []json.RawMessage{ws},
		ToolChoice: json.RawMessage(`{"type":"allowed_tools","mode":"required","tools":[{"type":"function","name":"get_time"},{"type":"web_search"}]}`),
	}}
	if got := required.WithoutHosted(HostedWebSearch); got.OpenAIHosted != nil || got.ToolChoice.Mode != ToolChoiceRequired || len(got.ToolChoice.Allowed) != 1 {
		t.Errorf("required, web search dropped beside a function: hosted %+v choice %+v", got.OpenAIHosted, got.ToolChoice)
	}
}

// TestWithoutHostedItems checks a conversation without a dropped hosted
// tool's past calls: a turn of those calls alone goes, a turn with text
// keeps its text and its other items, the request itself is unchanged;
// without such items the messages are not copied.
func TestWithoutHostedItems(t *testing.T) {
	search := Block{Raw: json.RawMessage(`{"type":"web_search_call","id":"ws_1","status":"completed","action":{"type":"search","query":"paris weather"}}`)}
	code := Block{Raw: json.RawMessage(`{"type":"code_interpreter_call","id":"ci_1","status":"completed","code":"1+1"}`), At: 5}
	calls := Message{Role: RoleAssistant}
	calls.SetHosted([]Block{search})
	answer := Message{Role: RoleAssistant, Content: []Part{{Type: PartText, Text: "Sunny. 2"}}}
	answer.SetHosted([]Block{{Raw: search.Raw, At: 0}, code})
	msgs := []Message{
		{Role: RoleUser, Content: []Part{{Type: PartText, Text: "weather?"}}},
		calls, answer,
		{Role: RoleUser, Content: []Part{{Type: PartText, Text: "and tomorrow?"}}},
	}
	req := &Request{Messages: msgs, OpenAIHosted: &OpenAIHosted{Tools: []json.RawMessage{json.RawMessage(`{"type":"web_search"}`)}}}
	got := req.WithoutHosted(HostedWebSearch)
	if len(got.Messages) != 3 || got.Messages[1].Text() != "Sunny. 2" || got.Messages[2].Text() != "and tomorrow?" {
		t.Fatalf("messages %+v, want the user turns and the answer's text", got.Messages)
	}
	if h := got.Messages[1].Hosted(); len(h) != 1 || h[0].At != 5 || string(h[0].Raw) != string(code.Raw) {
		t.Errorf("the answer's items %+v, want the code interpreter's call alone, in place", h)
	}
	if len(req.Messages) != 4 || len(req.Messages[2].Hosted()) != 2 {
		t.Errorf("the request itself changed: %+v", req.Messages)
	}
	if got.OpenAIHostedTools() != true || got.OpenAIHostedKinds() != HostedCodeInterpreter {
		t.Errorf("left: kinds %q", got.OpenAIHostedKinds())
	}
	if all := req.WithoutHosted(HostedWebSearch | HostedCodeInterpreter); all.OpenAIHostedTools() {
		t.Errorf("without both: still hosted %+v", all.Messages)
	}
	plain := &Request{Messages: msgs[:1], OpenAIHosted: req.OpenAIHosted}
	if got := plain.WithoutHosted(HostedWebSearch); &got.Messages[0] != &plain.Messages[0] {
		t.Errorf("messages copied without a hosted item to drop")
	}
}

// FuzzAllowedWithout drops the web search from any allowed_tools choice:
// valid JSON stays valid, names no web search, and keeps every other
// tool it named.
func FuzzAllowedWithout(f *testing.F) {
	f.Add(`{"type":"allowed_tools","mode":"auto","tools":[{"type":"web_search"},{"type":"file_search"},{"type":"function","name":"get_time"}]}`)
	f.Add(`{"type":"allowed_tools","mode":"required","tools":[{"type":"shell"},{"type":"web_search_preview"}]}`)
	f.Add(`{"type":"allowed_tools","tools":[{"type":"web_search"}]}`)
	f.Add(`{"type":"allowed_tools","mode":"auto","tools":{}}`)
	f.Fuzz(func(t *testing.T, raw string) {
		got := allowedWithout(json.RawMessage(raw), HostedWebSearch)
		if !json.Valid([]byte(raw)) {
			return
		}
		if !json.Valid(got) {
			t.Fatalf("%s: %s is not JSON", raw, got)
		}
		var before, after struct {
			Tools []json.RawMessage `json:"tools"`
		}
		if json.Unmarshal([]byte(raw), &before) != nil {
			return // not a choice: returned as it came
		}
		if err := json.Unmarshal(got, &after); err != nil {
			t.Fatalf("%s: %s: %v", raw, got, err)
		}
		kept := 0
		for _, tool := range before.Tools {
			if knownHostedKind(typeOf(tool)) != HostedWebSearch {
				kept++
			}
		}
		if allowedHostedKinds(got)&HostedWebSearch != 0 || len(after.Tools) != kept {
			t.Fatalf("%s: %s", raw, got)
		}
	})
}
