package anthropic

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// A conversation whose tool calls carry ids Claude refuses (another
// provider's: Kimi's, Codex's composite ones) reaches Claude with ids it
// takes, the tool_use and its tool_result still paired, and two ids that
// differ only in refused bytes still distinct; valid ids are untouched.
func TestUpstreamToolIDs(t *testing.T) {
	for _, id := range []string{"toolu_01A09q90qw90lq917835lq9", "call_abc-123"} {
		if got := UpstreamToolID(id); got != id {
			t.Errorf("valid id %q changed to %q", id, got)
		}
	}
	a, b := UpstreamToolID("functions.get_weather:0"), UpstreamToolID("functions.get_weather:1")
	c := UpstreamToolID("functions_get_weather_0")
	for _, id := range []string{a, b, UpstreamToolID("call_1|fc_2"), UpstreamToolID("a b"), UpstreamToolID("ü")} {
		if !validToolID(id) {
			t.Errorf("mapped id %q is not one Claude takes", id)
		}
	}
	if a == b || a == c || !strings.HasPrefix(a, "functions_get_weather_0_") {
		t.Errorf("mapped ids %q %q %q: want distinct, readable", a, b, c)
	}
	if n := testing.AllocsPerRun(100, func() { _ = UpstreamToolID("toolu_01A09q90qw90lq917835lq9") }); n != 0 {
		t.Errorf("a valid id allocates %v times", n)
	}

	call := llm.Message{Role: llm.RoleAssistant}
	call.SetToolCalls([]llm.ToolCall{{ID: "functions.f:0", Name: "f", Arguments: "{}"}})
	res := llm.TextMessage(llm.RoleTool, "42")
	res.SetToolCallID("functions.f:0")
	req := llm.Request{Model: "claude-sonnet-4-6", Tools: []llm.Tool{{Type: "function", Name: "f"}},
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "q"), call, res}}
	out, err := FromLLM(&req)
	if err != nil {
		t.Fatal(err)
	}
	use, result := out.Messages[1].Content[0], out.Messages[2].Content[0]
	if use.ID != UpstreamToolID("functions.f:0") || result.ToolUseID != use.ID {
		body, _ := json.Marshal(out)
		t.Errorf("tool_use id %q, tool_result tool_use_id %q: %s", use.ID, result.ToolUseID, body)
	}
	if e := Validate(out); e != nil {
		t.Errorf("the body sent fails Claude's own checks: %v", e)
	}
}
