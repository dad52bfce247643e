package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestResponsesClientToolsNative: a shell tool (a Responses client's)
// goes to the Responses API as itself, and the model's native shell_call
// comes back as the call of the function "shell", its arguments the
// action.
func TestResponsesClientToolsNative(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	tools := []llm.Tool{{Type: "function", Name: "shell", Parameters: json.RawMessage(`{"type":"object"}`),
		OpenAIClient: &llm.OpenAIClientTool{Type: "shell", Environment: json.RawMessage(`{"type":"local"}`)}}}
	req := &llm.Request{Model: "gpt-5.5-pro", Tools: tools, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Use the shell to list the files.")}}
	resp, err := answer(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	calls := resp.Choices[0].Message.ToolCalls()
	if resp.Choices[0].FinishReason != llm.FinishToolCalls || len(calls) != 1 || calls[0].Name != "shell" || !strings.HasPrefix(calls[0].Arguments, `{"commands":[`) {
		t.Fatalf("answer %+v calls %+v", resp.Choices[0], calls)
	}
	if _, body := tap.last(); !strings.Contains(body, `"tools":[{"type":"shell","environment":{"type":"local"}}]`) {
		t.Errorf("body %s", body)
	}
}

// TestResponsesReasoningSummary: a summary asked for comes back as an
// unsigned thinking block before the encrypted reasoning; the effort low,
// which gpt-5.5-pro does not take, is sent as its weakest, medium.
func TestResponsesReasoningSummary(t *testing.T) {
	tap, _, c := newResponsesEnv(t)
	req := &llm.Request{Model: "gpt-5.5-pro", Reasoning: &llm.Reasoning{Effort: llm.EffortLow, Show: true, Summary: "auto"},
		Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Why is the sky blue?")}}
	resp, err := answer(t, c, req)
	if err != nil {
		t.Fatal(err)
	}
	th := resp.Choices[0].Message.Thinking()
	if len(th) != 2 || !strings.HasPrefix(th[0].Text, "Reasoning about: Why is the sky blue?") || th[0].Signature != "" || !th[1].IsOpenAIReasoning() {
		t.Fatalf("thinking %+v", th)
	}
	if _, body := tap.last(); !strings.Contains(body, `"reasoning":{"effort":"medium","summary":"auto"}`) {
		t.Errorf("body %s", body)
	}
}
