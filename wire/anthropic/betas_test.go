package anthropic

import (
	"slices"
	"strings"
	"testing"
)

// Only the betas a Claude deployment may be sent are kept, once each, in
// the order named, from every header value.
func TestKeptBetas(t *testing.T) {
	got := KeptBetas([]string{" claude-code-20250219, interleaved-thinking-2025-05-14,files-api-2025-04-14", "context-1m-2025-08-07,interleaved-thinking-2025-05-14", ""})
	if want := []string{InterleavedThinkingBeta, "context-1m-2025-08-07"}; !slices.Equal(got, want) {
		t.Errorf("KeptBetas = %q, want %q", got, want)
	}
	if got := KeptBetas([]string{"advanced-tool-use-2025-11-20,mcp-client-2025-04-04,code-execution-2025-08-25"}); !slices.Equal(got, []string{"advanced-tool-use-2025-11-20", "code-execution-2025-08-25"}) {
		t.Errorf("server tools' betas: %q", got)
	}
	if got := KeptBetas(nil); got != nil {
		t.Errorf("no header: %q", got)
	}
	long := strings.Repeat("x,", maxBetas) + InterleavedThinkingBeta
	if got := KeptBetas([]string{long}); got != nil {
		t.Errorf("a beta past the bound was read: %q", got)
	}
}

// With interleaved thinking, a budget at or over max_tokens is valid and
// goes to Claude as it is, with the beta; without, the API's 400.
func TestInterleavedThinkingBudget(t *testing.T) {
	body := []byte(`{"model":"m","max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":4096},"messages":[{"role":"user","content":"hi"}]}`)
	mr, err := DecodeMessagesRequest(body, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(mr); err == nil || !strings.Contains(err.Error(), "must be greater than `thinking.budget_tokens`") {
		t.Fatalf("without the beta: %v", err)
	}
	mr.Betas = []string{InterleavedThinkingBeta}
	if err := Validate(mr); err != nil {
		t.Fatalf("with the beta: %v", err)
	}
	req, err := RequestToLLM(mr)
	if err != nil {
		t.Fatal(err)
	}
	req.Model = "claude-sonnet-4-5"
	out, err := FromLLM(req)
	if err != nil {
		t.Fatal(err)
	}
	if out.Thinking == nil || out.Thinking.BudgetTokens != 4096 || *out.MaxTokens != 2048 || !slices.Equal(out.Betas, mr.Betas) {
		t.Errorf("to Claude: thinking %+v, max_tokens %d, betas %q", out.Thinking, *out.MaxTokens, out.Betas)
	}
	if d := ReasoningDrops(req); slices.Contains(d, "reasoning") {
		t.Errorf("dropped %q", d)
	}
	req.AnthropicBetas = nil
	if out, _ := FromLLM(req); out.Thinking != nil {
		t.Errorf("without the beta, Claude would refuse: thinking %+v", out.Thinking)
	}
}
