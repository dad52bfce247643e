package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestCompactedRequest: after the router's compaction the answer reads
// the system messages, the summary, and the turn it answers — the last
// user turn, with the assistant turn whose tool calls its results
// answer — and context_management without the compact edit.
func TestCompactedRequest(t *testing.T) {
	sys := llm.TextMessage(llm.RoleSystem, "Be brief.")
	u1, a1, u2 := llm.TextMessage(llm.RoleUser, "long"), llm.TextMessage(llm.RoleAssistant, "noted"), llm.TextMessage(llm.RoleUser, "book it")
	call := llm.TextMessage(llm.RoleAssistant, "")
	call.SetToolCalls([]llm.ToolCall{{ID: "toolu_1", Name: "book", Arguments: "{}"}})
	result := llm.Message{Role: llm.RoleTool, Content: []llm.Part{{Type: llm.PartText, Text: "booked"}}}
	result.SetToolCallID("toolu_1")
	for _, c := range []struct {
		name string
		in   []llm.Message
		want []string // roles after the summary
	}{
		{"user turn", []llm.Message{sys, u1, a1, u2}, []string{"user"}},
		{"tool results", []llm.Message{sys, u1, call, result}, []string{"assistant", "tool"}},
		{"prefill", []llm.Message{sys, u1, a1, u2, a1}, []string{"user", "assistant"}},
	} {
		req := &llm.Request{Model: "auto", Messages: c.in,
			ContextManagement: json.RawMessage(`{"edits":[{"type":"clear_thinking_20251015"},{"type":"compact_20260112"}]}`)}
		out := compactedRequest(req, "Summary: a trip.")
		var roles []string
		for _, m := range out.Messages[2:] {
			roles = append(roles, string(m.Role))
		}
		if len(out.Messages) < 2 || out.Messages[0].Text() != "Be brief." || out.Messages[1].Role != llm.RoleUser || out.Messages[1].Text() != "Summary: a trip." ||
			strings.Join(roles, ",") != strings.Join(c.want, ",") {
			t.Errorf("%s: %+v", c.name, out.Messages)
		}
		if string(out.ContextManagement) != `{"edits":[{"type":"clear_thinking_20251015"}]}` || len(req.Messages) != len(c.in) || !strings.Contains(string(req.ContextManagement), "compact") {
			t.Errorf("%s: context_management %s; the request was written to", c.name, out.ContextManagement)
		}
	}
}
