package anthropic

import (
	"fmt"
	"testing"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// TestAdapterSendsWhatEachModelTakes: for every model of the table and
// every combination of what an OpenAI or Anthropic client may ask (the
// reasoning, an Anthropic client's effort, a tool choice, sampling, a
// prefill), the request wire.FromLLM builds passes the simulator's
// checks for that model, which refuse as the API does: the router never
// sends a model what it refuses.
func TestAdapterSendsWhatEachModelTakes(t *testing.T) {
	models := []string{"claude-opus-5-5", "claude-sonnet-5-5", "claude-haiku-5-5", "claude-fable-5-2", "claude-mythos-5-1", "claude-fable-5",
		"claude-opus-5", "claude-sonnet-5", "claude-opus-4-8", "claude-opus-4-7", "claude-sonnet-4-6", "claude-opus-4-6", "claude-opus-4-5",
		"claude-sonnet-4-5", "claude-haiku-4-5", "claude-opus-6", "claude-sonnet-5-7"}
	reasoning := []*llm.Reasoning{nil, {Effort: llm.EffortNone}, {Effort: llm.EffortMinimal}, {Effort: llm.EffortLow}, {Effort: llm.EffortXHigh},
		{Effort: llm.EffortMax}, {BudgetTokens: 2048}, {Adaptive: true, Display: "summarized"}, {BetweenTools: true}}
	tools := []llm.Tool{{Type: "function", Name: "f"}, {Type: "function", Name: "g"}}
	choices := []*llm.ToolChoice{nil, {Mode: llm.ToolChoiceAuto}, {Mode: llm.ToolChoiceRequired}, {Mode: llm.ToolChoiceFunction, Name: "g"}}
	n := 0
	for _, model := range models {
		p := &sim.Profile{Model: model, MaxOutputTokens: 128000}
		for _, r := range reasoning {
			for _, own := range []llm.Effort{"", llm.EffortHigh, llm.EffortMax} {
				for _, tc := range choices {
					for _, sampling := range []bool{false, true} {
						for _, prefill := range []bool{false, true} {
							req := llm.Request{Model: model, Reasoning: r, OutputEffort: own, Tools: tools, ToolChoice: tc,
								Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "What is the weather in Paris?")}}
							if sampling {
								req.Temperature, req.TopP, req.TopK = ptr(0.2), ptr(0.5), ptr(5)
							}
							if prefill {
								req.Messages = append(req.Messages, llm.TextMessage(llm.RoleAssistant, "The weather is"))
							}
							what := fmt.Sprintf("%s reasoning %+v effort %q tool_choice %+v sampling %v prefill %v", model, r, own, tc, sampling, prefill)
							out, err := wire.FromLLM(&req)
							if err != nil {
								t.Fatalf("%s: %v", what, err)
							}
							if e := validate(out, p); e != nil {
								t.Errorf("%s: the model refuses what was sent: %s", what, e.msg)
							}
							n++
						}
					}
				}
			}
		}
	}
	t.Logf("%d requests", n)
}

func ptr[T any](v T) *T { return &v }
