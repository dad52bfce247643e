package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A system message holding tool changes alone (an Anthropic client's
// tool_addition blocks, a Responses client's additional_tools item) is
// not sent: the deployment is offered the tools in effect instead.
func TestEncodeSkipsToolChangesAlone(t *testing.T) {
	changes := llm.Message{Role: llm.RoleSystem}
	changes.SetToolChanges([]llm.Block{{Raw: json.RawMessage(`{"type":"tool_addition"}`)}})
	body, err := EncodeChatRequest(&llm.Request{Model: "m", Messages: []llm.Message{changes, llm.TextMessage(llm.RoleUser, "a"), changes, llm.TextMessage(llm.RoleUser, "b")}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Messages []map[string]any }
	if err := json.Unmarshal(body, &got); err != nil || len(got.Messages) != 2 || got.Messages[0]["content"] != "a" || got.Messages[1]["content"] != "b" {
		t.Fatalf("sent %s (%v)", body, err)
	}
}

// A system message holding an Anthropic client's per-turn effort alone
// is not sent either: the request's effort carries it.
func TestEncodeSkipsTurnEffortAlone(t *testing.T) {
	effort := llm.Message{Role: llm.RoleSystem}
	effort.SetTurnEffort(llm.EffortLow)
	body, err := EncodeChatRequest(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "a"), effort}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Messages []map[string]any }
	if err := json.Unmarshal(body, &got); err != nil || len(got.Messages) != 1 || got.Messages[0]["content"] != "a" {
		t.Fatalf("sent %s (%v)", body, err)
	}
}
