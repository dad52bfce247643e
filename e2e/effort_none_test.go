package e2e

import (
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
)

// An openai-go client's reasoning_effort "none" (GPT-5.1 and later's "no
// reasoning") reaches each deployment as that upstream's least
// reasoning: a model that takes none is sent none; an OpenAI reasoning
// model that cannot stop reasoning its weakest level (named
// dropped=reasoning_effort); a model that cannot reason no reasoning at
// all, and nothing is named dropped (nothing the client asked is lost);
// Claude no thinking (a model that thinks unasked: thinking disabled where
// it takes it, else its default, named dropped=reasoning_none: Opus 5.5
// cannot turn it off);
// Gemini 2.5 Flash thinkingBudget 0, 2.5 Pro, which cannot stop
// thinking, its least, 128 (named dropped=reasoning_effort, as the
// other models' nearest levels are).
func TestEffortNoneAcrossProviders(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["gpt-5.6-terra"] = &config.Deployment{Name: "gpt-5.6-terra", Provider: "openai", Model: "gpt-5.6-terra"}
	})
	for _, tc := range []struct {
		deployment, path, member, want, dropped string
	}{
		{"gpt-4o", "/chat/completions", "reasoning_effort", "", ""},
		{"gpt-5.6-terra", "/chat/completions", "reasoning_effort", `"none"`, ""},
		{"o3-mini", "/chat/completions", "reasoning_effort", `"low"`, "reasoning_effort"},
		{"claude-sonnet-4-5", "/messages", "thinking", "", ""},
		{"claude-opus-5-5", "/messages", "thinking", "", "reasoning_none"},
		{"gemini-2.5-flash", ":", "generationConfig", `{"thinkingConfig":{"thinkingBudget":0}}`, ""},
		{"gemini-2.5-pro", ":", "generationConfig", `{"thinkingConfig":{"thinkingBudget":128}}`, "reasoning_effort"},
	} {
		text, _, h, err := chatWith(t, e, openai.ChatCompletionNewParams{
			Model: tc.deployment, ReasoningEffort: shared.ReasoningEffortNone,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		}, false)
		if err != nil {
			t.Errorf("%s: %v", tc.deployment, err)
			continue
		}
		if got := string(tp.lastBody(t, tc.path)[tc.member]); got != tc.want {
			t.Errorf("%s: upstream %s %s, want %s", tc.deployment, tc.member, got, tc.want)
		}
		if route := h.Get("x-switchyard-route"); text == "" || droppedIn(route) != tc.dropped {
			t.Errorf("%s: route %q (want dropped %q), text %q", tc.deployment, route, tc.dropped, text)
		}
	}
}
