package openai

import (
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// TestGrokRules checks, by Grok model id (with a host's prefix too), what
// FixedSampling names for a request with both penalties (at 0) and a
// reasoning effort, and whether stop and logprobs are refused.
func TestGrokRules(t *testing.T) {
	zero := 0.0
	req := &llm.Request{PresencePenalty: &zero, FrequencyPenalty: &zero, Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}}
	penalties := []string{"presence_penalty", "frequency_penalty"}
	all := []string{"reasoning_effort", "presence_penalty", "frequency_penalty"}
	for _, tt := range []struct {
		model string
		fixed []string
		stop  bool
	}{
		{"grok-4.3", penalties, true},
		{"grok-4.3-latest", penalties, true},
		{"x-ai/grok-4.3", penalties, true},
		{"xai/grok-4.3", penalties, true},
		{"xai.grok-4.3", penalties, true},
		{"GROK-4.3", penalties, true},
		{"grok-4.5", penalties, true},
		{"grok-4.6", penalties, true},
		{"grok-4.7", penalties, true}, // a later 4.x takes the dial
		{"grok-5", penalties, true},
		{"grok-4.20-multi-agent-0309", penalties, true},
		{"grok-3-mini", penalties, true},
		{"grok-3-mini-fast", penalties, true},
		{"grok-4-1-fast-reasoning", all, true},
		{"grok-4-1-fast-non-reasoning", all, false},
		{"grok-4-fast-reasoning", all, true},
		{"grok-4", all, true},
		{"grok-4-0709", all, true},
		{"grok-4-latest", all, true},
		{"grok-4.20-0309-reasoning", all, true},
		{"grok-4.20-0309-non-reasoning", all, false},
		{"grok-code-fast-1", all, true},
		{"grok-3", []string{"reasoning_effort", "presence_penalty"}, false},
		{"grok-2-1212", []string{"reasoning_effort"}, false},
	} {
		if got := FixedSampling(tt.model, req); !slices.Equal(got, tt.fixed) {
			t.Errorf("FixedSampling(%q) = %v, want %v", tt.model, got, tt.fixed)
		}
		if got := RefusesStop(tt.model, nil, req.Reasoning); got != tt.stop {
			t.Errorf("RefusesStop(%q) = %v, want %v", tt.model, got, tt.stop)
		}
		if RefusesLogprobs(tt.model, nil, req.Reasoning) {
			t.Errorf("RefusesLogprobs(%q): Grok takes logprobs", tt.model)
		}
		if !GrokModel(tt.model) {
			t.Errorf("GrokModel(%q) = false", tt.model)
		}
		if want := !strings.Contains(tt.model, "non-reasoning") && !strings.HasPrefix(tt.model, "grok-2") && tt.model != "grok-3"; GrokReasons(tt.model) != want {
			t.Errorf("GrokReasons(%q) = %v, want %v", tt.model, !want, want)
		}
	}
	for _, model := range []string{"gpt-4o", "o3", "groq-llama", "grok", "mygrok-4", ""} {
		if GrokModel(model) || GrokReasons(model) || GrokRefusedEffort(model) || GrokEfforts(model) != nil {
			t.Errorf("%q taken for a Grok", model)
		}
	}
	// Without penalties or reasoning nothing is named.
	if got := FixedSampling("grok-4-1-fast-reasoning", &llm.Request{}); got != nil {
		t.Errorf("empty request: %v", got)
	}
}

// TestGrokEfforts checks the efforts each Grok takes and which refuse
// the dial.
func TestGrokEfforts(t *testing.T) {
	for model, want := range map[string][]llm.Effort{
		"grok-3-mini":                {llm.EffortLow, llm.EffortHigh},
		"grok-4.3":                   {llm.EffortNone, llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh},
		"grok-4.20-multi-agent":      {llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh},
		"grok-4.5":                   {llm.EffortLow, llm.EffortMedium, llm.EffortHigh},
		"grok-4.6":                   {llm.EffortLow, llm.EffortMedium, llm.EffortHigh, llm.EffortXHigh},
		"grok-4-1-fast-reasoning":    nil,
		"grok-4.20-0309-reasoning":   nil,
		"openrouter/x-ai/grok-4.5.1": {llm.EffortLow, llm.EffortMedium, llm.EffortHigh},
	} {
		if got := GrokEfforts(model); !slices.Equal(got, want) {
			t.Errorf("GrokEfforts(%q) = %v, want %v", model, got, want)
		}
		if got := GrokRefusedEffort(model); got != (want == nil) {
			t.Errorf("GrokRefusedEffort(%q) = %v", model, got)
		}
	}
}

// TestDropFixedSamplingGrok: the refused hints leave the request, the
// effort becomes one the model takes by OpenAI's models' rule (effortIn:
// the strongest not above the one asked, else the weakest), stop and
// logprobs stay.
func TestDropFixedSamplingGrok(t *testing.T) {
	half := 0.5
	for _, tt := range []struct {
		model string
		r     *llm.Reasoning
		want  *llm.Reasoning
		names []string
	}{
		{"grok-4.3", &llm.Reasoning{Effort: llm.EffortHigh}, &llm.Reasoning{Effort: llm.EffortHigh}, []string{"presence_penalty"}},
		{"grok-4.3", &llm.Reasoning{Effort: llm.EffortMax}, &llm.Reasoning{Effort: llm.EffortXHigh}, []string{"presence_penalty"}},
		{"grok-4.3", &llm.Reasoning{Effort: llm.EffortMinimal}, &llm.Reasoning{Effort: llm.EffortNone}, []string{"presence_penalty"}},
		{"grok-3-mini", &llm.Reasoning{Effort: llm.EffortMedium}, &llm.Reasoning{Effort: llm.EffortLow}, []string{"presence_penalty"}},
		{"grok-3-mini", &llm.Reasoning{BudgetTokens: 2048}, &llm.Reasoning{BudgetTokens: 2048}, []string{"presence_penalty"}},
		{"grok-4.5", &llm.Reasoning{Effort: llm.EffortNone}, &llm.Reasoning{Effort: llm.EffortLow}, []string{"presence_penalty"}},
		{"grok-4.5", &llm.Reasoning{Effort: llm.EffortXHigh}, &llm.Reasoning{Effort: llm.EffortHigh}, []string{"presence_penalty"}},
		{"grok-4-1-fast-reasoning", &llm.Reasoning{Effort: llm.EffortHigh}, nil, []string{"reasoning_effort", "presence_penalty"}},
		{"grok-4.6", nil, nil, []string{"presence_penalty"}},
	} {
		req := &llm.Request{Model: tt.model, PresencePenalty: &half, Stop: []string{"END"}, Logprobs: true, Reasoning: tt.r}
		names := DropFixedSampling(req)
		if !slices.Equal(names, tt.names) || req.PresencePenalty != nil || len(req.Stop) != 1 || !req.Logprobs {
			t.Errorf("%s: dropped %v, left %+v", tt.model, names, req)
		}
		if (req.Reasoning == nil) != (tt.want == nil) || req.Reasoning != nil && *req.Reasoning != *tt.want {
			t.Errorf("%s %+v: reasoning %+v, want %+v", tt.model, tt.r, req.Reasoning, tt.want)
		}
	}
	// The caller's Reasoning is not changed in place.
	r := &llm.Reasoning{Effort: llm.EffortMedium}
	DropFixedSampling(&llm.Request{Model: "grok-3-mini", Reasoning: r})
	if r.Effort != llm.EffortMedium {
		t.Errorf("caller's reasoning changed to %s", r.Effort)
	}
}
