package openai

import (
	"testing"

	"switchyard/llm"
)

// TestToolsNeedResponses checks, model by model, when OpenAI refuses
// function tools on Chat Completions: GPT-5.2 to 5.5 at an explicit effort
// other than none; GPT-5.6 and GPT-6 at any effort but none, no effort
// asked included (their default is medium); GPT-6 Astra, GPT-6.1 Sol and
// GPT-6.2 at every effort (they refuse none); never without tools, and
// never for the older models.
func TestToolsNeedResponses(t *testing.T) {
	const none, unset = llm.EffortNone, llm.Effort("")
	for _, tt := range []struct {
		model string
		// unset, none, low, high: the answer at no effort asked, none,
		// low and high.
		want [4]bool
	}{
		// fine at every effort
		{"gpt-4.1", [4]bool{}}, {"gpt-4o-mini", [4]bool{}}, {"gpt-5", [4]bool{}}, {"gpt-5-mini", [4]bool{}},
		{"gpt-5.1", [4]bool{}}, {"gpt-5.1-2025-11-13", [4]bool{}}, {"o3", [4]bool{}}, {"o4-mini", [4]bool{}},
		{"o3-mini", [4]bool{}}, {"gpt-5.3-chat-latest", [4]bool{}}, {"gpt-oss-120b", [4]bool{}}, {"claude-opus-4-7", [4]bool{}},
		// Responses-only models: ResponsesOnly says so, whatever the tools
		{"gpt-5.5-pro", [4]bool{}}, {"gpt-5.3-codex", [4]bool{}},
		// an explicit effort other than none
		{"gpt-5.2", [4]bool{false, false, true, true}}, {"gpt-5.4", [4]bool{false, false, true, true}},
		{"gpt-5.4-mini", [4]bool{false, false, true, true}}, {"gpt-5.5", [4]bool{false, false, true, true}},
		{"gpt-5.5-2026-04-23", [4]bool{false, false, true, true}},
		// default medium: refused unless none
		{"gpt-5.6-sol", [4]bool{true, false, true, true}}, {"gpt-5.6-terra", [4]bool{true, false, true, true}},
		{"gpt-5.6-luna", [4]bool{true, false, true, true}}, {"gpt-5.6", [4]bool{true, false, true, true}},
		{"gpt-6-sol", [4]bool{true, false, true, true}}, {"gpt-6-luna", [4]bool{true, false, true, true}},
		{"gpt-6.1-terra", [4]bool{true, false, true, true}}, {"openai/gpt-6-sol", [4]bool{true, false, true, true}},
		{"GPT-5.6-Terra", [4]bool{true, false, true, true}},
		// none refused: never on Chat Completions with tools
		{"gpt-6-astra", [4]bool{true, true, true, true}}, {"gpt-6.1-sol", [4]bool{true, true, true, true}},
		{"gpt-6.2-sol", [4]bool{true, true, true, true}}, {"gpt-6.2-astra", [4]bool{true, true, true, true}},
		{"gpt-7", [4]bool{true, true, true, true}},
	} {
		for i, e := range []llm.Effort{unset, none, llm.EffortLow, llm.EffortHigh} {
			if got := ToolsNeedResponses(tt.model, nil, e, true); got != tt.want[i] {
				t.Errorf("ToolsNeedResponses(%q, %q, tools) = %v, want %v", tt.model, e, got, tt.want[i])
			}
			if ToolsNeedResponses(tt.model, nil, e, false) {
				t.Errorf("ToolsNeedResponses(%q, %q, no tools) = true", tt.model, e)
			}
		}
	}
}

// TestCallsResponses checks the one rule an api auto deployment's
// adapter follows: a Responses-only model, a request only the Responses
// API serves, or function tools the model refuses on Chat Completions at
// the request's effort (the client's, mapped from Anthropic's thinking).
func TestCallsResponses(t *testing.T) {
	tools := []llm.Tool{{Name: "get_weather"}}
	custom := []llm.Tool{{Type: llm.ToolCustom, Name: "apply_patch"}}
	for _, tt := range []struct {
		name string
		req  llm.Request
		want bool
	}{
		{"plain", llm.Request{Model: "gpt-5.6-terra"}, false},
		{"tools, default effort", llm.Request{Model: "gpt-5.6-terra", Tools: tools}, true},
		{"custom tools", llm.Request{Model: "gpt-6-sol", Tools: custom}, true},
		{"tools, none", llm.Request{Model: "gpt-5.6-terra", Tools: tools, Reasoning: &llm.Reasoning{Effort: llm.EffortNone}}, false},
		{"tools, thinking budget", llm.Request{Model: "gpt-5.4", Tools: tools, Reasoning: &llm.Reasoning{BudgetTokens: 16000}}, true},
		{"tools, no effort, gpt-5.4", llm.Request{Model: "gpt-5.4", Tools: tools}, false},
		{"responses only", llm.Request{Model: "gpt-5.5-pro"}, true},
		{"ultrafast", llm.Request{Model: "gpt-4.1", ServiceTier: llm.TierUltrafast}, true},
		{"old model, tools, high", llm.Request{Model: "o3", Tools: tools, Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}}, false},
	} {
		if got := CallsResponses(&tt.req); got != tt.want {
			t.Errorf("%s: CallsResponses = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// TestToolsEffortMessage checks OpenAI's words for the refusal.
func TestToolsEffortMessage(t *testing.T) {
	const want = "Function tools with reasoning_effort are not supported for gpt-5.6-terra in /v1/chat/completions. To use function tools, use /v1/responses or set reasoning_effort to 'none'."
	if got := ToolsEffortMessage("gpt-5.6-terra"); got != want {
		t.Errorf("got %q", got)
	}
}

// TestToolsNeedResponsesAllocs: the rule runs for every OpenAI candidate
// of a request with tools, and allocates nothing.
func TestToolsNeedResponsesAllocs(t *testing.T) {
	for _, m := range []string{"gpt-5.6-terra", "gpt-5.5-pro-2026-04-23", "openai/gpt-6.1-sol", "gpt-4.1-mini"} {
		if n := testing.AllocsPerRun(100, func() { ToolsNeedResponses(m, nil, llm.EffortHigh, true) }); n != 0 {
			t.Errorf("%s: %v allocs", m, n)
		}
	}
}
