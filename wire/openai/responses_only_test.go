package openai

import "testing"

func TestResponsesOnly(t *testing.T) {
	for model, want := range map[string]bool{
		"gpt-5.5-pro": true, "gpt-5.4-pro-2026-03-05": true, "gpt-5-pro": true, "o1-pro": true, "o3-pro-2025-06-10": true,
		"gpt-5.3-codex": true, "gpt-5-codex": true, "gpt-5.1-codex-mini": true, "codex-mini-latest": true,
		"computer-use-preview": true, "computer-use-preview-2025-03-11": true,
		"o3-deep-research": true, "o4-mini-deep-research-2025-06-26": true, "openai/o3-pro": true, "GPT-5.5-PRO": true,
		"gpt-5.5": false, "gpt-5.4-mini": false, "o3": false, "o4-mini": false, "gpt-4o": false, "gpt-4.1-nano": false,
		"gpt-5.3-chat-latest": false, "gpt-oss-120b": false, "deepseek-reasoner": false, "mistral-large-pro": false,
		"claude-opus-4-7": false, "": false,
	} {
		if got := ResponsesOnly(model); got != want {
			t.Errorf("ResponsesOnly(%q) = %v, want %v", model, got, want)
		}
	}
}
