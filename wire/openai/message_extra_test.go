package openai

import (
	"testing"
)

// TestDecodeMessageExtraOnlyWhenSet checks that a decoded message carries
// its rarely set fields (name, tool calls, tool call ID, refusal) behind
// Extra only when one of them is non-empty: a long conversation of plain
// turns must not allocate an Extra per message, nor lose a field that is
// set.
func TestDecodeMessageExtraOnlyWhenSet(t *testing.T) {
	for _, tt := range []struct {
		name, msg                string
		wantExtra                bool
		wantName, wantID, wantRe string
		wantCalls                int
	}{
		{"plain", `{"role":"user","content":"hi"}`, false, "", "", "", 0},
		{"empty and null extras", `{"role":"user","content":"hi","name":"","tool_call_id":null,"refusal":null,"tool_calls":null}`, false, "", "", "", 0},
		{"empty tool calls", `{"role":"assistant","content":"hi","tool_calls":[]}`, false, "", "", "", 0},
		{"name", `{"role":"user","content":"hi","name":"ann"}`, true, "ann", "", "", 0},
		{"tool", `{"role":"tool","content":"18C","tool_call_id":"call_1"}`, true, "", "call_1", "", 0},
		{"refusal", `{"role":"assistant","content":null,"refusal":"no"}`, true, "", "", "no", 0},
		{"calls", `{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}`, true, "", "", "", 1},
	} {
		req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[` + tt.msg + `]}`))
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		m := &req.Messages[0]
		if (m.Extra != nil) != tt.wantExtra || m.Name() != tt.wantName || m.ToolCallID() != tt.wantID ||
			m.Refusal() != tt.wantRe || len(m.ToolCalls()) != tt.wantCalls {
			t.Errorf("%s: extra %+v name %q id %q refusal %q calls %d", tt.name, m.Extra, m.Name(), m.ToolCallID(), m.Refusal(), len(m.ToolCalls()))
		}
	}
}
