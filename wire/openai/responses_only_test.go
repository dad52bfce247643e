package openai

import "testing"

func TestResponsesOnly(t *testing.T) {
	for model, want := range map[string]bool{
		"gpt-5.5-pro": true, "gpt-5.4-pro-2026-03-05": true, "gpt-5-pro": true, "o1-pro": true, "o3-pro-2025-06-10": true,
		"gpt-5.3-codex": true, "gpt-5-codex": true, "gpt-5.1-codex-mini": true, "codex-mini-latest": true,
		"computer-use-preview": true, "computer-use-preview-2025-03-11": true,
		"o3-deep-research": true, "o4-mini-deep-research-2025-06-26": true, "openai/o3-pro": true, "GPT-5.5-PRO": true,
		// the Daybreak cyber models, the Rosalind life-sciences models and
		// GPT-6.2 Astra Law (the spec's ResponsesOnlyModel, openai-go v3.105)
		"gpt-5.6-cyber": true, "gpt-6-cyber": true, "gpt-daybreak-blue-latest": true, "gpt-daybreak-red-latest": true,
		"gpt-rosalind-research": true, "gpt-6-rosalind": true, "gpt-6.2-astra-law": true,
		"gpt-6.2-astra": false, "gpt-6.2-sol": false, "gpt-6-sol": false, "gpt-6.1-terra": false,
		"gpt-5.5": false, "gpt-5.4-mini": false, "o3": false, "o4-mini": false, "gpt-4o": false, "gpt-4.1-nano": false,
		"gpt-5.3-chat-latest": false, "gpt-oss-120b": false, "deepseek-reasoner": false, "mistral-large-pro": false,
		"claude-opus-4-7": false, "": false,
	} {
		if got := ResponsesOnly(model); got != want {
			t.Errorf("ResponsesOnly(%q) = %v, want %v", model, got, want)
		}
	}
}
