package openai

import (
	"fmt"
	"strings"
	"testing"

	"switchyard/llm"
)

func TestCallTurns(t *testing.T) {
	calling := func(id string) llm.Message {
		m := llm.Message{Role: llm.RoleAssistant}
		m.SetToolCalls([]llm.ToolCall{{ID: id, Type: "function", Name: "f", Arguments: "{}"}})
		return m
	}
	result := func(id string) llm.Message {
		m := llm.TextMessage(llm.RoleTool, "ok")
		m.SetToolCallID(id)
		return m
	}
	user, text := llm.TextMessage(llm.RoleUser, "hi"), llm.TextMessage(llm.RoleAssistant, "checking")
	show := func(msgs []llm.Message) string {
		var b strings.Builder
		for _, m := range msgs {
			fmt.Fprintf(&b, "%s:%s", m.Role, m.Text())
			for _, c := range m.ToolCalls() {
				b.WriteString("+" + c.ID)
			}
			b.WriteString(" ")
		}
		return strings.TrimSpace(b.String())
	}
	tests := []struct {
		name string
		in   []llm.Message
		want string
	}{
		{"text between a call and its result", []llm.Message{user, calling("a"), text, result("a")}, "user:hi assistant:checking+a tool:ok"},
		{"a second call after the text", []llm.Message{user, calling("a"), text, calling("b"), result("a"), result("b")}, "user:hi assistant:checking+a+b tool:ok tool:ok"},
		{"calls answered at once", []llm.Message{user, calling("a"), result("a"), text}, "user:hi assistant:+a tool:ok assistant:checking"},
		{"calls never answered", []llm.Message{user, calling("a"), text}, "user:hi assistant:+a assistant:checking"},
		{"text before the call", []llm.Message{user, text, calling("a"), result("a")}, "user:hi assistant:checking assistant:+a tool:ok"},
		{"a user message while the tool ran", []llm.Message{user, calling("a"), llm.TextMessage(llm.RoleUser, "hurry"), result("a")}, "user:hi assistant:+a tool:ok user:hurry"},
		{"a second result after a user message", []llm.Message{user, calling("a"), result("a"), llm.TextMessage(llm.RoleUser, "hurry"), result("b"), text},
			"user:hi assistant:+a tool:ok tool:ok user:hurry assistant:checking"},
		{"a user message after the results", []llm.Message{user, calling("a"), result("a"), llm.TextMessage(llm.RoleUser, "thanks")}, "user:hi assistant:+a tool:ok user:thanks"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := show(tt.in)
			if got := show(callTurns(tt.in)); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
			if show(tt.in) != before {
				t.Errorf("the caller's messages changed: %s", show(tt.in))
			}
		})
	}
	in := []llm.Message{user, calling("a"), result("a")}
	if allocs := testing.AllocsPerRun(10, func() { callTurns(in) }); allocs != 0 {
		t.Errorf("a conversation with nothing to fold took %v allocations", allocs)
	}
}
