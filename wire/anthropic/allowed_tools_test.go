package anthropic

import (
	"testing"

	"switchyard/llm"
)

// An allowed_tools choice reaches Claude, which has none, as the allowed
// tools alone and the choice's mode: required is any, auto auto.
func TestFromLLMAllowedTools(t *testing.T) {
	tools := []llm.Tool{{Type: "function", Name: "f"}, {Type: "function", Name: "g"}, {Type: "function", Name: "h"}}
	for mode, want := range map[llm.ToolChoiceMode]string{llm.ToolChoiceRequired: ToolChoiceAny, llm.ToolChoiceAuto: ToolChoiceAuto} {
		req := &llm.Request{Model: "claude-haiku-4-5", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "q")}, Tools: tools,
			ToolChoice: &llm.ToolChoice{Mode: mode, Allowed: []string{"h", "f"}}}
		out, err := FromLLM(req)
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Tools) != 2 || out.Tools[0].Name != "f" || out.Tools[1].Name != "h" || out.ToolChoice == nil || out.ToolChoice.Type != want {
			t.Errorf("%s: tools %+v, tool_choice %+v", mode, out.Tools, out.ToolChoice)
		}
		if len(req.Tools) != 3 {
			t.Errorf("%s: the request's tools changed", mode)
		}
	}
}
