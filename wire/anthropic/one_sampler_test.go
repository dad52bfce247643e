package anthropic

import (
	"slices"
	"testing"

	"switchyard/llm"
)

// From Opus 4.1 to Opus and Sonnet 4.6, Claude refuses temperature and
// top_p together ("`temperature` and `top_p` cannot both be specified for
// this model. Please use only one."): an OpenAI client sending both (as
// many do) keeps the one it changed — the temperature when both are
// changed, as Anthropic advises — and the other is named among the drops.
func TestOneSampler(t *testing.T) {
	for _, c := range []struct {
		model       string
		temp, top   *float64
		reasoning   *llm.Reasoning
		wantT, wntP bool
		drops       []string
	}{
		{"claude-sonnet-4-6", ptr(0.2), ptr(0.9), nil, true, false, []string{"top_p"}},
		{"claude-sonnet-4-5-20250929", ptr(0.7), ptr(1.0), nil, true, false, []string{"top_p"}},
		{"claude-haiku-4-5", ptr(1.0), ptr(0.9), nil, false, true, []string{"temperature"}},
		{"claude-opus-4-1", ptr(0.5), ptr(0.5), nil, true, false, []string{"top_p"}},
		{"claude-opus-4-5", ptr(0.5), nil, nil, true, false, nil},
		{"claude-opus-4-6", nil, ptr(0.5), nil, false, true, nil},
		// thinking leaves temperature 1 and top_p 0.95 or more: still one only
		{"claude-sonnet-4-6", ptr(1.0), ptr(0.97), &llm.Reasoning{Effort: llm.EffortHigh}, false, true, []string{"temperature"}},
		// older models take both
		{"claude-opus-4-20250514", ptr(0.2), ptr(0.9), nil, true, true, nil},
		{"claude-sonnet-4-20250514", ptr(0.2), ptr(0.9), nil, true, true, nil},
		{"claude-3-7-sonnet-20250219", ptr(0.2), ptr(0.9), nil, true, true, nil},
	} {
		req := llm.Request{Model: c.model, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")},
			Temperature: c.temp, TopP: c.top, Reasoning: c.reasoning}
		out, err := FromLLM(&req)
		if err != nil {
			t.Fatalf("%s: %v", c.model, err)
		}
		if (out.Temperature != nil) != c.wantT || (out.TopP != nil) != c.wntP {
			t.Errorf("%s %v/%v: temperature sent %v, top_p sent %v; want %v, %v", c.model, deref(c.temp), deref(c.top),
				out.Temperature != nil, out.TopP != nil, c.wantT, c.wntP)
		}
		if got := ReasoningDrops(&req); !slices.Equal(got, c.drops) {
			t.Errorf("%s: drops %v, want %v", c.model, got, c.drops)
		}
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}
