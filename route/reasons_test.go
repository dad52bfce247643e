package route

import (
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// A request that asks for reasoning leans toward a deployment that can
// think (by its model id here, undeclared); one that does not ask keeps
// the plain order. The two are priced and rated alike, and the thinking
// one is a hair worse, so only the preference can put it first.
func TestReasoningRequestPrefersAThinkingModel(t *testing.T) {
	cfg, err := config.Parse([]byte(`
providers:
  openai: {kind: openai, api_key: k}
deployments:
  plain:    {provider: openai, model: gpt-4.1, price: {input: 1, output: 4}, quality: 0.80}
  thinking: {provider: openai, model: o4-mini, price: {input: 1, output: 4}, quality: 0.79}
routes:
  r: {deployments: [plain, thinking], strategy: best}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	p := New(cfg, Options{})
	for _, tt := range []struct {
		effort llm.Effort
		want   string
	}{
		{"", "plain,thinking"},
		{llm.EffortMinimal, "plain,thinking"},
		{llm.EffortHigh, "thinking,plain"},
	} {
		plan := mustPlan(t, p, req("r", llm.CategoryFactual, func(in *Input) { in.Features.Effort = tt.effort }))
		if got := order(plan); got != tt.want {
			t.Errorf("effort %q: %s, want %s", tt.effort, got, tt.want)
		}
	}
}

func TestReasonsByID(t *testing.T) {
	for _, tt := range []struct {
		kind, model string
		want        bool
	}{
		{config.KindOpenAI, "o3", true}, {config.KindAzure, "gpt-5-mini", true}, {config.KindOpenAI, "gpt-4o", false},
		{config.KindOpenAI, "deepseek-reasoner", true}, {config.KindOpenAI, "deepseek-ai/DeepSeek-V4-Pro", true}, {config.KindOpenAI, "deepseek-chat", false},
		{config.KindAnthropic, "claude-sonnet-4-5", true}, {config.KindAnthropic, "claude-3-5-haiku-latest", false},
		{config.KindGemini, "gemini-2.5-flash", true}, {config.KindGemini, "gemini-2.0-flash", false},
		{"other", "o3", false},
		// xAI's Grok on an openai deployment: those that reason, with the
		// dial or without it, not Grok 3 or a -non-reasoning id
		{config.KindOpenAI, "grok-4.3", true}, {config.KindOpenAI, "x-ai/grok-4-1-fast-reasoning", true},
		{config.KindOpenAI, "grok-3-mini", true}, {config.KindOpenAI, "grok-3", false},
		{config.KindOpenAI, "grok-4-1-fast-non-reasoning", false}, {config.KindAnthropic, "grok-4.3", false},
	} {
		if got := ReasonsByID(tt.kind, tt.model); got != tt.want {
			t.Errorf("ReasonsByID(%s, %s) = %v, want %v", tt.kind, tt.model, got, tt.want)
		}
	}
}
