package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// toolTurn is an assistant turn of calls with ids, then a tool message for
// each.
func toolTurn(ids ...string) []llm.Message {
	call := llm.Message{Role: llm.RoleAssistant}
	var calls []llm.ToolCall
	for _, id := range ids {
		calls = append(calls, llm.ToolCall{ID: id, Name: "f", Arguments: "{}"})
	}
	call.SetToolCalls(calls)
	out := []llm.Message{call}
	for _, id := range ids {
		res := llm.TextMessage(llm.RoleTool, "result of "+id)
		res.SetToolCallID(id)
		out = append(out, res)
	}
	return out
}

// A Chat Completions conversation may number each turn's tool calls from
// the start (call_0 in every turn: OpenAI pairs calls and results within
// a turn only); Claude refuses an id used twice ("`tool_use` ids must be
// unique"). Each repeated id reaches Claude unique, its result still
// paired with it.
func TestRepeatedToolCallIDsMadeUnique(t *testing.T) {
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "q")}
	msgs = append(msgs, toolTurn("call_0", "call_1")...)
	msgs = append(msgs, llm.TextMessage(llm.RoleAssistant, "and next"), llm.TextMessage(llm.RoleUser, "again"))
	msgs = append(msgs, toolTurn("call_0")...)
	msgs = append(msgs, toolTurn("call_0_2", "call_1")...) // ids that may clash with a renamed one
	req := llm.Request{Model: "claude-sonnet-4-6", Tools: []llm.Tool{{Type: "function", Name: "f"}}, Messages: msgs}
	out, err := FromLLM(&req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := json.Marshal(out)
	if e := Validate(out); e != nil {
		t.Fatalf("the body sent fails Claude's checks: %v\n%s", e, body)
	}
	var uses, results []string
	for _, m := range out.Messages {
		for _, b := range m.Content {
			switch b.Type {
			case BlockToolUse:
				uses = append(uses, b.ID)
			case BlockToolResult:
				results = append(results, b.ToolUseID)
				if !strings.Contains(b.Content[0].Text, "result of") {
					t.Errorf("result content %q", b.Content[0].Text)
				}
			}
		}
	}
	want := []string{"call_0", "call_1", "call_0_3", "call_0_2", "call_1_2"}
	if strings.Join(uses, " ") != strings.Join(want, " ") || strings.Join(results, " ") != strings.Join(want, " ") {
		t.Errorf("tool_use ids %v, tool_result ids %v; want %v both", uses, results, want)
	}
	single := llm.Request{Model: "claude-sonnet-4-6", Messages: append([]llm.Message{llm.TextMessage(llm.RoleUser, "q")}, toolTurn("a", "b")...)}
	first, _ := FromLLM(&single)
	if n := testing.AllocsPerRun(50, func() { uniqueToolUseIDs(first.Messages) }); n != 0 {
		t.Errorf("a conversation without a repeated id allocates %v times", n)
	}
}

// An Anthropic client's own conversation with a repeated tool_use id is
// the API's 400.
func TestValidateRefusesRepeatedToolUseID(t *testing.T) {
	body := `{"model":"m","max_tokens":10,"messages":[` +
		`{"role":"user","content":"q"},` +
		`{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"1"}]},` +
		`{"role":"assistant","content":[{"type":"text","text":"again"},{"type":"tool_use","id":"t1","name":"f","input":{}}]},` +
		`{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"2"}]}]}`
	req, err := DecodeMessagesRequest([]byte(body), false)
	if err != nil {
		t.Fatal(err)
	}
	e := Validate(req)
	if e == nil || llm.AsError(e).Message != "messages.3.content.1: `tool_use` ids must be unique" {
		t.Errorf("got %v", e)
	}
}
