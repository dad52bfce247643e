package gemini

import (
	"testing"

	"switchyard/llm"
)

// TestFromReasoning: efforts, budgets and adaptive map onto a 2.5
// budget or a Gemini 3 level.
func TestFromReasoning(t *testing.T) {
	for _, c := range []struct {
		model  string
		r      llm.Reasoning
		budget int    // for 2.5; -2 means no budget
		level  string // for 3
	}{
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortLow}, 1024, ""},
		{"gemini-2.5-flash", llm.Reasoning{Effort: llm.EffortNone}, 0, ""},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortNone}, 128, ""},
		{"gemini-2.5-pro", llm.Reasoning{Effort: llm.EffortMax}, 24576, ""},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 5000}, 5000, ""},
		{"gemini-2.5-flash", llm.Reasoning{BudgetTokens: 60000}, 24576, ""},
		{"gemini-2.5-flash", llm.Reasoning{Adaptive: true}, -1, ""},
		{"gemini-3-pro-preview", llm.Reasoning{Effort: llm.EffortHigh}, -2, "HIGH"},
		{"gemini-3-flash", llm.Reasoning{Effort: llm.EffortMinimal}, -2, "MINIMAL"},
		{"gemini-3-flash", llm.Reasoning{BudgetTokens: 2048}, -2, "LOW"},
		{"gemini-3-flash", llm.Reasoning{BudgetTokens: 20000}, -2, "HIGH"},
	} {
		r := c.r
		var g GenerationConfig
		fromReasoning(&llm.Request{Model: c.model, Reasoning: &r}, &g)
		tc := g.ThinkingConfig
		switch {
		case tc == nil:
			t.Errorf("%s %+v: no thinkingConfig", c.model, c.r)
		case c.budget > -2 && (tc.ThinkingBudget == nil || *tc.ThinkingBudget != c.budget || tc.ThinkingLevel != ""):
			t.Errorf("%s %+v: got %+v, want budget %d", c.model, c.r, tc, c.budget)
		case c.budget == -2 && (tc.ThinkingBudget != nil || tc.ThinkingLevel != c.level):
			t.Errorf("%s %+v: got %+v, want level %s", c.model, c.r, tc, c.level)
		}
	}
	var g GenerationConfig
	fromReasoning(&llm.Request{Model: "gemini-3-pro", Reasoning: &llm.Reasoning{Adaptive: true}}, &g)
	fromReasoning(&llm.Request{Model: "gemini-2.5-pro"}, &g)
	if g.ThinkingConfig != nil {
		t.Errorf("adaptive on Gemini 3, or no reasoning: got %+v, want the model's default", g.ThinkingConfig)
	}
}
