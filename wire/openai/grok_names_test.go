package openai

import (
	"testing"

	"switchyard/llm"
)

// GrokNames leaves out the names of messages not a user's, copying on
// write (the caller's messages keep theirs), and returns msgs itself when
// none has one.
func TestGrokNames(t *testing.T) {
	named := func(role llm.Role, name string) llm.Message {
		m := llm.TextMessage(role, "text")
		m.SetName(name)
		return m
	}
	msgs := []llm.Message{named(llm.RoleSystem, "rules"), named(llm.RoleUser, "ann"), named(llm.RoleAssistant, "bot"), named(llm.RoleTool, "")}
	got := GrokNames(msgs)
	for i, want := range []string{"", "ann", "", ""} {
		if got[i].Name() != want {
			t.Errorf("messages[%d] name %q, want %q", i, got[i].Name(), want)
		}
	}
	if msgs[0].Name() != "rules" || msgs[2].Name() != "bot" {
		t.Errorf("the caller's messages changed: %q %q", msgs[0].Name(), msgs[2].Name())
	}
	plain := []llm.Message{named(llm.RoleUser, "ann"), llm.TextMessage(llm.RoleAssistant, "hi")}
	if out := GrokNames(plain); &out[0] != &plain[0] {
		t.Error("a copy made with no name to leave out")
	}
}
