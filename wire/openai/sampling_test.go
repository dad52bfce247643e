package openai

import (
	"encoding/json"
	"slices"
	"testing"

	"switchyard/llm"
)

func TestSamplingOf(t *testing.T) {
	for model, want := range map[string]Sampling{
		"o1": SamplingDefault, "o1-2024-12-17": SamplingDefault, "o1-mini": SamplingDefault, "o1-preview": SamplingDefault,
		"o3": SamplingDefault, "o3-mini": SamplingDefault, "o3-mini-2025-01-31": SamplingDefault, "o3-pro": SamplingDefault,
		"o4-mini": SamplingDefault, "codex-mini-latest": SamplingDefault, "openai/o3": SamplingDefault,
		"gpt-5": SamplingDefault, "gpt-5-mini": SamplingDefault, "gpt-5-nano-2025-08-07": SamplingDefault,
		"gpt-5-pro": SamplingDefault, "gpt-5-codex": SamplingDefault, "GPT-5": SamplingDefault,
		"gpt-5.1-chat-latest": SamplingDefault, "gpt-5.2-chat-latest": SamplingDefault,
		"gpt-5.1-codex": SamplingDefault, "gpt-5.1-codex-max": SamplingDefault, "gpt-5.2-pro-2025-12-11": SamplingDefault,
		"gpt-5.1": SamplingUnlessNone, "gpt-5.1-2025-11-13": SamplingUnlessNone, "gpt-5.2": SamplingUnlessNone,
		"gpt-5.4-mini": SamplingUnlessNone, "gpt-6": SamplingUnlessNone,
		"gpt-5-chat-latest": SamplingAny, "gpt-4o": SamplingAny, "gpt-4o-mini": SamplingAny, "gpt-4.1": SamplingAny,
		"gpt-3.5-turbo": SamplingAny, "gpt-40": SamplingAny, "gpt-oss-120b": SamplingAny, "openai/gpt-oss-20b": SamplingAny,
		"omni-moderation-latest": SamplingAny, "o": SamplingAny, "llama3": SamplingAny, "": SamplingAny, "gpt-5.x": SamplingAny,
	} {
		if got := SamplingOf(model); got != want {
			t.Errorf("SamplingOf(%q) = %d, want %d", model, got, want)
		}
	}
}

// TestRefusals checks stop and logprobs by model and reasoning effort.
func TestRefusals(t *testing.T) {
	high := &llm.Reasoning{Effort: llm.EffortHigh}
	none := &llm.Reasoning{Effort: llm.EffortNone}
	for _, tt := range []struct {
		model           string
		r               *llm.Reasoning
		stop, logprobs  bool
		defaultSampling bool
	}{
		{"o1", nil, false, true, true},
		{"o1-mini", nil, false, true, true},
		{"o3-mini", high, false, true, true},
		{"o3-mini-2025-01-31", nil, false, true, true},
		{"o3", nil, true, true, true},
		{"o3-pro", nil, true, true, true},
		{"o4-mini", nil, true, true, true},
		{"codex-mini-latest", nil, true, true, true},
		{"gpt-5-mini", nil, true, true, true},
		{"gpt-5.1", nil, false, false, false},
		{"gpt-5.1", none, false, false, false},
		{"gpt-5.1", high, true, true, true},
		{"gpt-5.2", &llm.Reasoning{BudgetTokens: 2048}, true, true, true},
		{"gpt-5.2-codex", none, true, true, true},
		{"gpt-5.5", nil, false, false, false}, // its default effort is none
		// GPT-5.6 and GPT-6 default to medium: a request asking no effort
		// is refused sampling, stop and logprobs; none takes them
		{"gpt-5.6-terra", nil, true, true, true},
		{"gpt-6-sol", nil, true, true, true},
		{"gpt-6-sol", none, false, false, false},
		{"gpt-6.2-sol", nil, true, true, true},
		{"gpt-4o", high, false, false, false},
		{"gpt-oss-120b", high, false, false, false},
	} {
		if got := RefusesStop(tt.model, nil, tt.r); got != tt.stop {
			t.Errorf("RefusesStop(%q, nil, %v) = %v", tt.model, tt.r, got)
		}
		if got := RefusesLogprobs(tt.model, nil, tt.r); got != tt.logprobs {
			t.Errorf("RefusesLogprobs(%q, nil, %v) = %v", tt.model, tt.r, got)
		}
		if got := DefaultSampling(tt.model, nil, tt.r); got != tt.defaultSampling {
			t.Errorf("DefaultSampling(%q, nil, %v) = %v", tt.model, tt.r, got)
		}
	}
}

func f64(v float64) *float64 { return &v }

// TestDropFixedSampling checks that only the hints the model would refuse
// are dropped, that values it takes (temperature and top_p 1) stay, and
// that the caller's Extra is not changed.
func TestDropFixedSampling(t *testing.T) {
	extra := map[string]json.RawMessage{ExtraLogitBias: json.RawMessage(`{"50256":-100}`), "service_tier": json.RawMessage(`"flex"`)}
	base := llm.Request{
		Temperature: f64(0.3), TopP: f64(0.9), PresencePenalty: f64(0.5), FrequencyPenalty: f64(0),
		Stop: []string{"END"}, Logprobs: true, Extra: extra,
	}
	r := base
	r.Model = "o3-mini"
	got := DropFixedSampling(&r)
	if want := []string{"temperature", "top_p", "presence_penalty", "frequency_penalty", "logit_bias"}; !slices.Equal(got, want) {
		t.Errorf("dropped %v, want %v", got, want)
	}
	if r.Temperature != nil || r.TopP != nil || r.PresencePenalty != nil || r.FrequencyPenalty != nil {
		t.Errorf("left %+v", r)
	}
	if _, ok := r.Extra[ExtraLogitBias]; ok || string(r.Extra["service_tier"]) != `"flex"` {
		t.Errorf("extra %v", r.Extra)
	}
	if len(extra) != 2 {
		t.Error("the caller's Extra was changed")
	}
	if len(r.Stop) != 1 || !r.Logprobs {
		t.Error("stop or logprobs dropped")
	}

	// An alias (an Azure deployment's name) is read by its base model.
	aliased := base
	aliased.Model, aliased.BaseModel = "reasoner-eastus", "o3-mini"
	if got := DropFixedSampling(&aliased); len(got) != 5 || aliased.Model != "reasoner-eastus" {
		t.Errorf("alias of o3-mini: dropped %v", got)
	}
	plain := base
	plain.Model = "reasoner-eastus"
	if got := DropFixedSampling(&plain); got != nil {
		t.Errorf("an unknown id without a base model: dropped %v", got)
	}

	serial := false
	o4 := llm.Request{Model: "o4-mini", ParallelToolCalls: &serial, Tools: []llm.Tool{{Type: "function", Name: "f"}}}
	if got := DropFixedSampling(&o4); !slices.Equal(got, []string{"parallel_tool_calls"}) || o4.ParallelToolCalls != nil {
		t.Errorf("o4-mini refuses parallel_tool_calls: dropped %v", got)
	}
	for _, model := range []string{"gpt-5", "gpt-4.1", "gpt-6-sol"} {
		r := llm.Request{Model: model, ParallelToolCalls: &serial}
		if got := DropFixedSampling(&r); got != nil || r.ParallelToolCalls == nil {
			t.Errorf("%s takes parallel_tool_calls: dropped %v", model, got)
		}
	}

	ones := llm.Request{Model: "gpt-5", Temperature: f64(1), TopP: f64(1)}
	if got := DropFixedSampling(&ones); got != nil || ones.Temperature == nil || ones.TopP == nil {
		t.Errorf("gpt-5 with the defaults: dropped %v", got)
	}
	for _, model := range []string{"gpt-4o", "gpt-5.1", "gpt-oss-120b"} {
		r := base
		r.Model = model
		if got := DropFixedSampling(&r); got != nil || r.Temperature == nil || len(r.Extra) != 2 {
			t.Errorf("%s: dropped %v", model, got)
		}
	}
	r = base
	r.Model, r.Reasoning = "gpt-5.1", &llm.Reasoning{Effort: llm.EffortLow}
	if got := DropFixedSampling(&r); len(got) != 5 {
		t.Errorf("gpt-5.1 at effort low: dropped %v", got)
	}
}
