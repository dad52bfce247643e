package openai

import (
	"testing"

	"switchyard/llm"
)

// TestToolsEffortAPIChoice: with api auto, a request whose function
// tools the model refuses on Chat Completions at the request's effort
// (gpt-5.6-terra: any but none, its default medium included) is sent to
// the Responses API and gets its tool call; at effort none, or without
// tools, it stays on Chat Completions. With api chat_completions it is
// sent there, and the upstream's 400 comes back as it is.
func TestToolsEffortAPIChoice(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	none := &llm.Reasoning{Effort: llm.EffortNone}
	for _, tc := range []struct {
		name      string
		tools     bool
		reasoning *llm.Reasoning
		path      string
	}{
		{"tools, default effort", true, nil, "/v1/responses"},
		{"tools, high", true, &llm.Reasoning{Effort: llm.EffortHigh}, "/v1/responses"},
		{"tools, thinking budget", true, &llm.Reasoning{BudgetTokens: 4096}, "/v1/responses"},
		{"tools, none", true, none, "/v1/chat/completions"},
		{"no tools", false, nil, "/v1/chat/completions"},
	} {
		req := userRequest("gpt-5.6-terra", "Use get_weather for Oslo.")
		req.Reasoning = tc.reasoning
		if tc.tools {
			req.Tools = []llm.Tool{weatherTool}
		}
		resp, err := answer(t, c, req)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if path, _ := tap.last(); path != tc.path {
			t.Errorf("%s went to %s, want %s", tc.name, path, tc.path)
		}
		if tc.tools && (resp.Choices[0].FinishReason != llm.FinishToolCalls || len(resp.Choices[0].Message.ToolCalls()) != 1) {
			t.Errorf("%s: answer %+v, want a tool call", tc.name, resp.Choices[0])
		}
	}
	req := userRequest("gpt-5.6-terra", "Use get_weather for Oslo.")
	req.Tools, req.API = []llm.Tool{weatherTool}, llm.APIChatCompletions
	_, err := answer(t, c, req)
	if e := asLLM(t, err); e.Kind != llm.KindInvalidRequest || e.Param != "reasoning_effort" || e.Retryable {
		t.Errorf("api chat_completions: %+v", e)
	}
}
