package llm

import (
	"reflect"
	"testing"
)

// An Anthropic client's effort, the last per-turn one over the top-level
// one, is the level a deployment with one effort dial is sent, in place
// of the level its thinking gives; without one the reasoning is as asked.
func TestDialReasoning(t *testing.T) {
	adaptive := &Reasoning{Adaptive: true, Show: true, Display: "summarized", Summary: "auto"}
	for _, tc := range []struct {
		name       string
		top, turn  Effort
		reasoning  *Reasoning
		want       *Reasoning
		wantEffort Effort
	}{
		{"none", "", "", nil, nil, ""},
		{"thinking alone", "", "", adaptive, adaptive, ""},
		{"top-level alone", EffortHigh, "", nil, &Reasoning{Effort: EffortHigh}, EffortHigh},
		{"per-turn over top-level", EffortHigh, EffortLow, nil, &Reasoning{Effort: EffortLow}, EffortLow},
		{"per-turn alone", "", EffortMax, nil, &Reasoning{Effort: EffortMax}, EffortMax},
		{"over adaptive, shown", EffortXHigh, "", adaptive,
			&Reasoning{Effort: EffortXHigh, Show: true, Display: "summarized", Summary: "auto"}, EffortXHigh},
		{"over a budget", EffortLow, "", &Reasoning{BudgetTokens: 30000}, &Reasoning{Effort: EffortLow}, EffortLow},
		{"over between_tools", "", EffortMedium, &Reasoning{BetweenTools: true}, &Reasoning{Effort: EffortMedium}, EffortMedium},
	} {
		req := &Request{OutputEffort: tc.top, TurnEffort: tc.turn, Reasoning: tc.reasoning}
		if got := req.AnthropicEffort(); got != tc.wantEffort {
			t.Errorf("%s: AnthropicEffort %q, want %q", tc.name, got, tc.wantEffort)
		}
		if got := req.DialReasoning(); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("%s: DialReasoning %+v, want %+v", tc.name, got, tc.want)
		}
	}
	if adaptive.Effort != "" || !adaptive.Adaptive {
		t.Errorf("the request's reasoning was changed: %+v", adaptive)
	}
}
