package responses

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

const schemaUpdate = `{"type":"configuration_update","text":{"format":{"type":"json_schema","name":"answer","schema":{"type":"object"},"strict":true}}}`

// A configuration_update in the input sets the response's effort and
// text format over the request's own (which clients keep as the
// conversation started, for its cached prefix), is no message, and the
// latest update of each setting wins.
func TestConfigurationUpdateOverridesRequest(t *testing.T) {
	r := decodeOK(t, `{"model":"m","reasoning":{"effort":"low","summary":"auto"},"text":{"format":{"type":"text"},"verbosity":"low"},"input":[
		{"role":"user","content":"Hi"},
		{"type":"configuration_update","id":"cu_1","reasoning":{"effort":"minimal"},"text":{"format":{"type":"text"}}},
		{"role":"assistant","content":"Hello."},
		{"type":"configuration_update","reasoning":{"effort":"high"}},
		{"role":"user","content":"Now think."},
		`+schemaUpdate+`]}`)
	if len(r.Chat.Messages) != 3 {
		t.Fatalf("%d messages, want the 3 messages alone: %+v", len(r.Chat.Messages), r.Chat.Messages)
	}
	if r.ReasoningEffort != "high" || r.Chat.Reasoning == nil || r.Chat.Reasoning.Effort != llm.EffortHigh || r.ReasoningSummary != "auto" {
		t.Errorf("effort %q, reasoning %+v, summary %q: want the latest update's high, the request's summary", r.ReasoningEffort, r.Chat.Reasoning, r.ReasoningSummary)
	}
	rf := r.Chat.ResponseFormat
	if rf == nil || rf.Type != llm.FormatJSONSchema || rf.Name != "answer" || string(rf.Schema) != `{"type":"object"}` || rf.Strict == nil || !*rf.Strict {
		t.Errorf("format %+v: want the last update's json_schema", rf)
	}
	if r.Verbosity != "low" {
		t.Errorf("verbosity %q: the request's stands", r.Verbosity)
	}
	var echo struct {
		Reasoning struct{ Effort string }
		Text      struct{ Format struct{ Type, Name string } }
	}
	out := FromResponse(&llm.Response{Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "{}")}}}, IDs{Base: "b"})
	if err := json.Unmarshal(AppendResponse(nil, r, &Meta{IDs: IDs{Base: "b"}, Model: "m"}, &out), &echo); err != nil {
		t.Fatal(err)
	}
	if echo.Reasoning.Effort != "high" || echo.Text.Format.Type != "json_schema" || echo.Text.Format.Name != "answer" {
		t.Errorf("the response echoes %+v: want the settings in effect", echo)
	}
	plain := decodeOK(t, `{"model":"m","reasoning":{"effort":"low"},"input":"Hi"}`)
	if plain.ReasoningEffort != "low" || plain.Chat.ResponseFormat != nil {
		t.Errorf("without an update: effort %q format %+v", plain.ReasoningEffort, plain.Chat.ResponseFormat)
	}
}

// A stored response's update holds for its continuation (and the
// continuation's own update replaces it); a conversation's does too. A
// stored update keeps its place and gets an id, and no status (the item
// has none).
func TestConfigurationUpdateCarriedByChainAndConversation(t *testing.T) {
	first := turn(t, `{"model":"m","reasoning":{"effort":"low"},"input":[{"role":"user","content":"Hi"},{"type":"configuration_update","reasoning":{"effort":"xhigh"}}]}`, nil)
	if first.ReasoningEffort != "xhigh" {
		t.Fatalf("first turn effort %q", first.ReasoningEffort)
	}
	in, err := StoredInput(first, IDs{Base: "1"})
	if err != nil {
		t.Fatal(err)
	}
	var items []map[string]json.RawMessage
	if err := json.Unmarshal(in, &items); err != nil || len(items) != 2 || string(items[1]["id"]) != `"cu_1_i1"` || items[1]["status"] != nil ||
		string(items[1]["reasoning"]) != `{"effort":"xhigh"}` {
		t.Fatalf("stored input %s (%v)", in, err)
	}
	out := Output{Status: StatusCompleted, Items: []Item{{Type: ItemMessage, ID: "msg_1", Text: "Hello."}}}
	prior := &Prior{Input: in, Output: StoredOutput(&out)}
	next := turn(t, `{"model":"m","reasoning":{"effort":"low"},"previous_response_id":"resp_1","input":"Again?"}`, prior)
	if next.ReasoningEffort != "xhigh" || len(next.Chat.Messages) != 3 {
		t.Errorf("continuation: effort %q, %d messages: want the stored update's xhigh", next.ReasoningEffort, len(next.Chat.Messages))
	}
	replaced := turn(t, `{"model":"m","reasoning":{"effort":"low"},"previous_response_id":"resp_1","input":[{"type":"configuration_update","reasoning":{"effort":"none"}},{"role":"user","content":"Quick?"}]}`, prior)
	if replaced.ReasoningEffort != "none" {
		t.Errorf("a later update: effort %q, want none", replaced.ReasoningEffort)
	}
	added, err := NewItems(json.RawMessage(`[` + schemaUpdate + `]`))
	if err != nil || len(added) != 1 || !strings.HasPrefix(added[0].ID, "cu_") || strings.Contains(string(added[0].JSON), "status") {
		t.Fatalf("conversation item %+v (%v)", added, err)
	}
	conv := Stored{Conversation: func(string) (*Prior, error) {
		return &Prior{Input: JoinItems(json.RawMessage(`[{"type":"message","id":"msg_a","role":"user","content":"Hi"}]`), json.RawMessage(`[`+string(added[0].JSON)+`]`))}, nil
	}}
	r, err := DecodeRequestStored([]byte(`{"model":"m","conversation":"conv_1","input":"Answer as JSON."}`), conv)
	if err != nil {
		t.Fatal(err)
	}
	if rf := r.Chat.ResponseFormat; rf == nil || rf.Name != "answer" {
		t.Errorf("in a conversation: format %+v, want its update's", rf)
	}
}

// Malformed updates are 400s at the path of the field at fault.
func TestConfigurationUpdateErrors(t *testing.T) {
	at := func(item string) string { return `{"model":"m","input":[{"role":"user","content":"Hi"},` + item + `]}` }
	for _, c := range []struct{ body, param, says string }{
		{at(`{"type":"configuration_update"}`), "input[1]", "must set 'reasoning', 'text', or both"},
		{at(`{"type":"configuration_update","reasoning":{"effort":"low"},"bogus":1}`), "input[1].bogus", "Unknown parameter"},
		{at(`{"type":"configuration_update","reasoning":{"effort":"low","summary":"auto"}}`), "input[1].reasoning.summary", "Unknown parameter"},
		{at(`{"type":"configuration_update","reasoning":{"effort":"huge"}}`), "input[1].reasoning.effort", "Invalid value: 'huge'"},
		{at(`{"type":"configuration_update","reasoning":[]}`), "input[1].reasoning", "Invalid type"},
		{at(`{"type":"configuration_update","text":{"verbosity":"low"}}`), "input[1].text.verbosity", "Unknown parameter"},
		{at(`{"type":"configuration_update","text":{}}`), "input[1].text.format", "Missing required parameter: 'input[1].text.format'"},
		{at(`{"type":"configuration_update","text":{"format":"text"}}`), "input[1].text.format", "expected an object"},
		{at(`{"type":"configuration_update","text":{"format":{"type":"json_object"}}}`), "input[1].text.format.type", "'text' and 'json_schema'"},
		{at(`{"type":"configuration_update","text":{"format":{"type":"json_schema","schema":{}}}}`), "input[1].text.format.name", "Missing required parameter: 'input[1].text.format.name'"},
		{at(`{"type":"configuration_update","reasoning":{"effort":"low"}},{"type":"configuration_update","text":{"format":{"type":"text"}}}`), "input[2]", "cannot follow another one"},
	} {
		wantDecodeError(t, c.body, c.param, c.says)
	}
}
