package openai

import (
	"testing"

	"switchyard/llm"
)

func TestMistralModel(t *testing.T) {
	for model, want := range map[string]bool{
		"mistral-large-latest": true, "mistralai/Mistral-Small-3.2-24B-Instruct-2506": true, "devstral-medium-2507": true,
		"codestral-latest": true, "magistral-medium-2509": true, "open-mixtral-8x22b": true, "pixtral-large-latest": true,
		"gpt-4o": false, "claude-sonnet-4-6": false, "llama-3.3-70b": false, "": false,
	} {
		if got := MistralModel(model); got != want {
			t.Errorf("MistralModel(%q) = %v, want %v", model, got, want)
		}
	}
}

// A conversation's tool call ids from other providers reach a Mistral
// model as nine letters and digits, each call still paired with its
// result; valid ids and the caller's messages are untouched.
func TestMistralToolIDs(t *testing.T) {
	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "call_PTLP8xhu3uwZk4l3nlnrrJha", Name: "f"}, {ID: "toolu_01A09q90qw90lq917835lq9", Name: "g"}})
	r1, r2 := llm.TextMessage(llm.RoleTool, "1"), llm.TextMessage(llm.RoleTool, "2")
	r1.SetToolCallID("call_PTLP8xhu3uwZk4l3nlnrrJha")
	r2.SetToolCallID("toolu_01A09q90qw90lq917835lq9")
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "q"), call, r1, r2}
	out := MistralToolIDs(msgs)
	calls := out[1].ToolCalls()
	for j, c := range calls {
		if !mistralID(c.ID) {
			t.Errorf("call %d id %q", j, c.ID)
		}
	}
	if calls[0].ID == calls[1].ID || out[2].ToolCallID() != calls[0].ID || out[3].ToolCallID() != calls[1].ID {
		t.Errorf("pairs broken: calls %q %q, results %q %q", calls[0].ID, calls[1].ID, out[2].ToolCallID(), out[3].ToolCallID())
	}
	if msgs[1].ToolCalls()[0].ID != "call_PTLP8xhu3uwZk4l3nlnrrJha" || msgs[2].ToolCallID() != "call_PTLP8xhu3uwZk4l3nlnrrJha" {
		t.Error("the caller's messages were changed")
	}
	valid := llm.Message{Role: llm.RoleAssistant}
	valid.SetToolCalls([]llm.ToolCall{{ID: "aB3xK9mP2", Name: "f"}})
	same := []llm.Message{valid}
	if got := MistralToolIDs(same); &got[0] != &same[0] {
		t.Error("valid ids: a copy was made")
	}
	if n := testing.AllocsPerRun(100, func() { _ = MistralToolIDs(same) }); n != 0 {
		t.Errorf("valid ids allocate %v times", n)
	}
}
