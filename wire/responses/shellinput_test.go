package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

func TestDecodeClientItems(t *testing.T) {
	r := decodeOK(t, `{"model":"m","tools":`+clientTools+`,"input":[
		{"role":"user","content":"fix it"},
		{"type":"shell_call","id":"sh_1","call_id":"c1","action":{"commands":["ls","false"],"timeout_ms":null},"status":"completed","environment":{"type":"local"},"caller":{"type":"direct"}},
		{"type":"apply_patch_call","call_id":"c2","status":"completed","operation":{"type":"create_file","path":"a.txt","diff":"+hi"}},
		{"type":"local_shell_call","id":"lsh_1","call_id":"c3","status":"completed","action":{"type":"exec","command":["ls"],"env":{}}},
		{"type":"shell_call_output","call_id":"c1","max_output_length":null,"output":[
			{"stdout":"a.txt\n","stderr":"","outcome":{"type":"exit","exit_code":0}},
			{"stdout":"","stderr":"boom","outcome":{"type":"timeout"}}]},
		{"type":"apply_patch_call_output","call_id":"c2","status":"failed","output":"no such dir"},
		{"type":"local_shell_call_output","id":"c3","output":"{\"stdout\":\"x\"}"}]}`)
	m := r.Chat.Messages
	if len(m) != 5 {
		t.Fatalf("messages %+v", m)
	}
	calls := m[1].ToolCalls()
	if len(calls) != 3 || calls[0].Name != "shell" || calls[0].ID != "c1" || calls[0].Arguments != `{"commands":["ls","false"],"timeout_ms":null,"max_output_length":null}` ||
		calls[1].Arguments != `{"type":"create_file","path":"a.txt","diff":"+hi"}` ||
		calls[2].Arguments != `{"type":"exec","command":["ls"],"timeout_ms":null,"working_directory":null,"env":{},"user":null}` {
		t.Fatalf("calls %+v", calls)
	}
	for i, want := range []struct{ id, text string }{
		{"c1", "exit code: 0\nstdout:\na.txt\n\nstderr:\n\n\ntimed out\nstdout:\n\nstderr:\nboom"},
		{"c2", "apply_patch failed: no such dir"},
		{"c3", `{"stdout":"x"}`},
	} {
		if tm := m[2+i]; tm.Role != llm.RoleTool || tm.ToolCallID() != want.id || tm.Text() != want.text {
			t.Errorf("output %d: %q %q, want %q", i, tm.ToolCallID(), tm.Text(), want.text)
		}
	}
}

func TestDecodeClientItemErrors(t *testing.T) {
	for _, c := range []struct{ item, param string }{
		{`{"type":"shell_call","call_id":"c"}`, "input[0].action"},
		{`{"type":"shell_call","call_id":"c","action":{}}`, "input[0].action.commands"},
		{`{"type":"shell_call","call_id":"c","action":{"commands":["ls"],"bogus":1}}`, "input[0].action.bogus"},
		{`{"type":"shell_call","call_id":"c","action":{"commands":"ls"}}`, "input[0].action.commands"},
		{`{"type":"shell_call","call_id":"c","action":{"commands":[]},"status":"done"}`, "input[0].status"},
		{`{"type":"shell_call","call_id":"c","action":{"commands":[]},"environment":{"type":"container_reference"}}`, "input[0].environment.container_id"},
		{`{"type":"shell_call","call_id":"c","action":{"commands":[]},"caller":{"type":"program"}}`, "input[0].caller.caller_id"},
		{`{"type":"shell_call","action":{"commands":[]}}`, "input[0].call_id"},
		{`{"type":"shell_call_output","call_id":"c","output":[]}`, "input[0].call_id"},
		{`{"type":"apply_patch_call","call_id":"c","operation":{"type":"delete_file","path":"a"}}`, "input[0].status"},
		{`{"type":"apply_patch_call","call_id":"c","status":"incomplete","operation":{"type":"delete_file","path":"a"}}`, "input[0].status"},
		{`{"type":"apply_patch_call","call_id":"c","status":"completed","operation":{"type":"delete_file","path":"a","diff":""}}`, "input[0].operation.diff"},
		{`{"type":"apply_patch_call","call_id":"c","status":"completed","operation":{"type":"update_file","path":"a"}}`, "input[0].operation.diff"},
		{`{"type":"apply_patch_call","call_id":"c","status":"completed","operation":{"type":"create_file","path":"","diff":""}}`, "input[0].operation.path"},
		{`{"type":"apply_patch_call","call_id":"c","status":"completed","operation":{"type":"rename_file","path":"a"}}`, "input[0].operation.type"},
		{`{"type":"apply_patch_call","call_id":"c","status":"completed"}`, "input[0].operation"},
		{`{"type":"local_shell_call","call_id":"c","status":"completed","action":{"type":"exec","command":["ls"],"env":{}}}`, "input[0].id"},
		{`{"type":"local_shell_call","id":"x","call_id":"c","status":"completed","action":{"command":["ls"],"env":{}}}`, "input[0].action.type"},
		{`{"type":"local_shell_call","id":"x","call_id":"c","status":"completed","action":{"type":"exec","command":["ls"]}}`, "input[0].action.env"},
		{`{"type":"local_shell_call_output","output":"x"}`, "input[0].id"},
	} {
		_, err := DecodeRequest([]byte(`{"model":"m","input":[` + c.item + `]}`))
		e, ok := err.(*llm.Error)
		if !ok || e.Kind != llm.KindInvalidRequest || e.Param != c.param {
			t.Errorf("%s: %v (%+v), want %s", c.item, err, e, c.param)
		}
	}
	for _, c := range []struct{ output, param string }{
		{`[{"stdout":"","stderr":""}]`, "input[1].output[0].outcome"},
		{`[{"stdout":"","outcome":{"type":"exit","exit_code":1}}]`, "input[1].output[0].stderr"},
		{`[{"stdout":"","stderr":"","outcome":{"type":"exit"}}]`, "input[1].output[0].outcome.exit_code"},
		{`[{"stdout":"","stderr":"","outcome":{"type":"crash"}}]`, "input[1].output[0].outcome.type"},
		{`"ok"`, "input[1].output"},
	} {
		_, err := DecodeRequest([]byte(`{"model":"m","input":[{"type":"shell_call","call_id":"c","action":{"commands":["ls"]}},{"type":"shell_call_output","call_id":"c","output":` + c.output + `}]}`))
		if e, ok := err.(*llm.Error); !ok || e.Param != c.param {
			t.Errorf("%s: %v, want %s", c.output, err, c.param)
		}
	}
}

// A stored request's local_shell_call_output keeps the call it answers:
// its id names it, and the stored item gets an id of its own.
func TestStoredLocalShellOutput(t *testing.T) {
	r := decodeOK(t, `{"model":"m","input":[{"type":"local_shell_call","id":"lsh_1","call_id":"c3","status":"completed","action":{"type":"exec","command":["ls"],"env":{}}},{"type":"local_shell_call_output","id":"c3","output":"ok"}]}`)
	in, err := StoredInput(r, IDs{Base: "b"})
	if err != nil || !strings.Contains(string(in), `"id":"lsho_b_i1"`) || !strings.Contains(string(in), `"call_id":"c3"`) || !strings.Contains(string(in), `"id":"lsh_b_i0"`) {
		t.Fatalf("stored %s %v", in, err)
	}
	msgs, err := decodeInput(in, nil, nil, nil)
	if err != nil || len(msgs) != 2 || msgs[1].ToolCallID() != "c3" {
		t.Fatalf("decoded back %+v %v", msgs, err)
	}
}

// Items added to a conversation get their type's id prefix.
func TestClientItemIDs(t *testing.T) {
	for typ, prefix := range map[string]string{"shell_call": "sh_", "shell_call_output": "sho_", "apply_patch_call": "apc_",
		"apply_patch_call_output": "apco_", "local_shell_call": "lsh_", "local_shell_call_output": "lsho_"} {
		if id := NewItemID(typ); !strings.HasPrefix(id, prefix) {
			t.Errorf("%s: %s", typ, id)
		}
		if id := (IDs{Base: "b"}).InputID(typ, 2); id != prefix+"b_i2" {
			t.Errorf("%s: %s", typ, id)
		}
	}
}
