package openai

import "testing"

func TestReasoningModel(t *testing.T) {
	for model, want := range map[string]bool{
		"o1": true, "o1-2024-12-17": true, "o3": true, "o3-mini": true, "o3-pro": true, "o4-mini": true,
		"o1-mini": false, "o1-preview-2024-09-12": false,
		"gpt-5": true, "gpt-5-mini": true, "gpt-5-nano-2025-08-07": true, "gpt-5.1": true, "gpt-5.2-codex": true,
		"gpt-5-chat-latest": false, "gpt-5.1-chat-latest": false,
		"openai/gpt-oss-120b": true, "gpt-oss-20b": true, "codex-mini-latest": true,
		"gpt-4o": false, "gpt-4o-mini": false, "gpt-4.1": false, "gpt-3.5-turbo": false, "gpt-40": false,
		"omni-moderation-latest": false, "o": false, "llama3": false, "": false,
	} {
		if got := ReasoningModel(model); got != want {
			t.Errorf("ReasoningModel(%q) = %v, want %v", model, got, want)
		}
	}
}
