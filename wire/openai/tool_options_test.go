package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// Without tools the upstream request holds neither tool_choice nor
// parallel_tool_calls, which OpenAI refuses then; with tools both go.
func TestToolOptionsOnlyWithTools(t *testing.T) {
	no := false
	req := &llm.Request{Model: "m", Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
		ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceAuto}, ParallelToolCalls: &no}
	body, err := EncodeChatRequest(req)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(body), "tool_choice") || strings.Contains(string(body), "parallel_tool_calls") {
		t.Errorf("without tools: %s", body)
	}
	req.Tools = []llm.Tool{{Name: "f", Parameters: []byte(`{"type":"object"}`)}}
	if body, err = EncodeChatRequest(req); err != nil || !strings.Contains(string(body), `"tool_choice":"auto","parallel_tool_calls":false`) {
		t.Errorf("with tools: %s (%v)", body, err)
	}
}
