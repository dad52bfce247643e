package responses

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// A system message holding only an Anthropic client's controls (a
// per-turn effort, tool changes) is no input item.
func TestEncodeUpstreamSkipsControlsAlone(t *testing.T) {
	effort := llm.Message{Role: llm.RoleSystem}
	effort.SetTurnEffort(llm.EffortLow)
	changes := llm.Message{Role: llm.RoleSystem}
	changes.SetToolChanges([]llm.Block{{Raw: json.RawMessage(`{"type":"tool_addition"}`)}})
	body, err := EncodeUpstream(&llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "a"), effort, changes}}, UpstreamOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Input []json.RawMessage }
	if err := json.Unmarshal(body, &got); err != nil || len(got.Input) != 1 {
		t.Fatalf("sent %s (%v)", body, err)
	}
}
