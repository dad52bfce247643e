package gemini

import (
	"context"
	"net/http/httptest"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/sim"
	simgemini "switchyard/sim/gemini"
)

// TestThinkingEachModelTakes: every reasoning setting a client can send
// (each effort, a budget below and above the model's range) reaches each
// Gemini model as a thinking config it takes, through the real adapter
// against the simulator, which refuses what the real models refuse: no
// MINIMAL or MEDIUM on Gemini 3 Pro, no MINIMAL on 3.1 Pro, no budget
// under 512 on 2.5 Flash-Lite, none over 32768 on 2.5 Pro.
func TestThinkingEachModelTakes(t *testing.T) {
	models := []string{"gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite",
		"gemini-3-pro-preview", "gemini-3.1-pro-preview", "gemini-3-flash-preview"}
	var profiles []sim.Profile
	for _, m := range models {
		profiles = append(profiles, sim.Profile{Model: m, MaxOutputTokens: 65536, TokensPerSecond: 5000})
	}
	srv := httptest.NewServer(simgemini.New(sim.NewCatalog(profiles...), nil))
	t.Cleanup(srv.Close)
	c := newClient(t, srv, testKey)
	settings := []llm.Reasoning{{BudgetTokens: 200}, {BudgetTokens: 100000}, {Adaptive: true}, {BetweenTools: true}}
	for _, e := range []llm.Effort{llm.EffortNone, llm.EffortMinimal, llm.EffortLow, llm.EffortMedium,
		llm.EffortHigh, llm.EffortXHigh, llm.EffortMax} {
		settings = append(settings, llm.Reasoning{Effort: e})
	}
	for _, m := range models {
		for _, r := range settings {
			req := chatReq(m, "hi")
			req.Reasoning = &r
			if _, err := llmtest.Complete(context.Background(), c, req); err != nil {
				t.Errorf("%s %+v: %v", m, r, err)
			}
		}
	}
}
