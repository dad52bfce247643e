package anthropic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"testing"

	"switchyard/llm"
)

// toolConversation is a conversation of n tool uses (tool "search",
// except the first, "memory"), each answered.
func toolConversation(n int) []llm.Message {
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "Find hotels.")}
	for i := range n {
		call := llm.TextMessage(llm.RoleAssistant, "")
		name := "search"
		if i == 0 {
			name = "memory"
		}
		call.SetToolCalls([]llm.ToolCall{{ID: fmt.Sprint("toolu_", i), Name: name, Arguments: `{"q":"hotels"}`}})
		result := llm.TextMessage(llm.RoleTool, fmt.Sprint("result ", i))
		result.SetToolCallID(fmt.Sprint("toolu_", i))
		msgs = append(msgs, call, result)
	}
	return msgs
}

// TestClearToolUses: past its trigger, the edit clears the results of
// the tool uses before the last keep (their inputs too when asked), not
// those of excluded tools; it reports what it cleared, and leaves
// context_management the other edits; below the trigger, or clearing
// less than clear_at_least, it clears nothing.
func TestClearToolUses(t *testing.T) {
	count := func(*llm.Message) int { return 10 }
	for _, c := range []struct {
		name, edit string
		tokens     int
		cleared    []string // the results cleared, by call id
		inputs     []string // the inputs cleared, by call id
		applied    string
	}{
		{"below the default trigger", `{"type":"clear_tool_uses_20250919"}`, 90000, nil, nil, ``},
		{"past the default trigger", `{"type":"clear_tool_uses_20250919"}`, 110000, []string{"toolu_0", "toolu_1"}, nil,
			`{"cleared_input_tokens":20,"cleared_tool_uses":2,"type":"clear_tool_uses_20250919"}`},
		{"tool_uses trigger, keep 1, excluded", `{"type":"clear_tool_uses_20250919","trigger":{"type":"tool_uses","value":4},"keep":{"type":"tool_uses","value":1},"exclude_tools":["memory"],"clear_tool_inputs":true}`,
			10, []string{"toolu_1", "toolu_2", "toolu_3"}, []string{"toolu_1", "toolu_2", "toolu_3"},
			`{"cleared_input_tokens":30,"cleared_tool_uses":3,"type":"clear_tool_uses_20250919"}`},
		{"tool_uses trigger not reached", `{"type":"clear_tool_uses_20250919","trigger":{"type":"tool_uses","value":5}}`, 10, nil, nil, ``},
		{"clear_at_least not reached", `{"type":"clear_tool_uses_20250919","trigger":{"type":"input_tokens","value":50000},"clear_at_least":{"type":"input_tokens","value":5000}}`, 60000, nil, nil, ``},
		{"inputs of the tools named", `{"type":"clear_tool_uses_20250919","trigger":{"type":"input_tokens","value":50000},"keep":{"type":"tool_uses","value":3},"clear_tool_inputs":["memory"]}`,
			60000, []string{"toolu_0", "toolu_1"}, []string{"toolu_0"}, `{"cleared_input_tokens":20,"cleared_tool_uses":2,"type":"clear_tool_uses_20250919"}`},
	} {
		req := &llm.Request{Messages: toolConversation(5), ContextManagement: json.RawMessage(`{"edits":[` + c.edit + `,{"type":"clear_thinking_20251015"}]}`)}
		before := fmt.Sprint(req.Messages)
		msgs, rest, applied := ClearToolUses(req, c.tokens, count)
		var cleared, inputs []string
		for _, m := range msgs {
			if m.Role == llm.RoleTool && m.Text() == ClearedToolResult {
				cleared = append(cleared, m.ToolCallID())
			}
			for _, tc := range m.ToolCalls() {
				if tc.Arguments == "{}" {
					inputs = append(inputs, tc.ID)
				}
			}
		}
		got := ""
		if applied != nil {
			b, _ := json.Marshal(applied)
			got = string(b)
		}
		if !reflect.DeepEqual(cleared, c.cleared) || !reflect.DeepEqual(inputs, c.inputs) || got != c.applied {
			t.Errorf("%s: cleared %v, inputs %v, applied %s", c.name, cleared, inputs, got)
		}
		if string(rest) != `{"edits":[{"type":"clear_thinking_20251015"}]}` || fmt.Sprint(req.Messages) != before {
			t.Errorf("%s: context_management left %s; the request written to: %v", c.name, rest, fmt.Sprint(req.Messages) != before)
		}
	}
	req := &llm.Request{Messages: toolConversation(2), ContextManagement: json.RawMessage(`{"edits":[{"type":"clear_thinking_20251015"}]}`)}
	if _, rest, applied := ClearToolUses(req, 1<<20, count); string(rest) != string(req.ContextManagement) || applied != nil {
		t.Errorf("no edit: %s, %v", rest, applied)
	}
}

// FuzzClearToolUses applies any clear_tool_uses edit to a conversation
// of tool uses: it never writes to the request, keeps the conversation's
// shape, and takes the edit out of context_management.
func FuzzClearToolUses(f *testing.F) {
	for _, seed := range []string{
		`{"type":"clear_tool_uses_20250919"}`,
		`{"type":"clear_tool_uses_20250919","trigger":{"type":"tool_uses","value":-3},"keep":{"type":"tool_uses","value":-1},"clear_tool_inputs":["search"]}`,
		`{"type":"clear_tool_uses_20250919","trigger":{"type":"input_tokens","value":0},"keep":{"value":99},"exclude_tools":["memory"],"clear_at_least":{"value":1}}`,
		`{"type":"clear_tool_uses_20250919","keep":"x","clear_tool_inputs":7}`,
	} {
		f.Add(seed, 3, 200000)
	}
	f.Fuzz(func(t *testing.T, edit string, n, tokens int) {
		if !json.Valid([]byte(edit)) || n < 0 || n > 20 {
			return
		}
		req := &llm.Request{Messages: toolConversation(n), ContextManagement: json.RawMessage(`{"edits":[` + edit + `]}`)}
		before := fmt.Sprint(req.Messages)
		msgs, rest, applied := ClearToolUses(req, tokens, func(*llm.Message) int { return 1 })
		if fmt.Sprint(req.Messages) != before || len(msgs) != len(req.Messages) {
			t.Fatalf("%s: the request was written to, or its shape changed", edit)
		}
		if applied != nil && bytes.Contains(rest, []byte(EditClearToolUses)) {
			t.Fatalf("%s: the edit was left in %s", edit, rest)
		}
	})
}
