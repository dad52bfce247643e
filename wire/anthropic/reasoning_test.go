package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// TestApplyReasoning: the canonical reasoning becomes thinking, and the
// API's constraints are settled as FromLLM documents.
func TestApplyReasoning(t *testing.T) {
	msgs := []llm.Message{llm.TextMessage(llm.RoleUser, "q")}
	tools := []llm.Tool{{Type: "function", Name: "f"}}
	for _, c := range []struct {
		name      string
		req       llm.Request
		want      *Thinking
		maxTokens int
		temp      *float64
		topP      *float64
		topK      bool
	}{
		{"effort, no limit: budget plus the default answer", llm.Request{Model: "claude-sonnet-4-5", Reasoning: &llm.Reasoning{Effort: llm.EffortHigh}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 16384}, 16384 + DefaultMaxTokens, nil, nil, false},
		{"max is capped to fit every thinking model", llm.Request{Model: "claude-opus-4-1", Reasoning: &llm.Reasoning{Effort: llm.EffortMax}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: MaxEffortBudget}, 32000, nil, nil, false},
		{"effort under a limit: half of it", llm.Request{Model: "claude-sonnet-4-5", MaxTokens: ptr(6000), Reasoning: &llm.Reasoning{Effort: llm.EffortMedium}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 3000}, 6000, nil, nil, false},
		{"small limit: the floor", llm.Request{Model: "claude-sonnet-4-5", MaxTokens: ptr(1500), Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 1024}, 1500, nil, nil, false},
		{"limit of 1024: no room to think", llm.Request{Model: "claude-sonnet-4-5", MaxTokens: ptr(1024), Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			nil, 1024, nil, nil, false},
		{"explicit budget kept", llm.Request{Model: "claude-sonnet-4-5", MaxTokens: ptr(3000), Reasoning: &llm.Reasoning{BudgetTokens: 2500, Display: "omitted"}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 2500, Display: "omitted"}, 3000, nil, nil, false},
		{"none: no thinking", llm.Request{Model: "claude-sonnet-4-5", Reasoning: &llm.Reasoning{Effort: llm.EffortNone}},
			nil, DefaultMaxTokens, nil, nil, false},
		{"adaptive on 4.6", llm.Request{Model: "claude-sonnet-4-6", Reasoning: &llm.Reasoning{Adaptive: true}},
			&Thinking{Type: ThinkingAdaptive}, DefaultMaxTokens, nil, nil, false},
		{"adaptive on 4.5 is medium's budget", llm.Request{Model: "claude-sonnet-4-5", Reasoning: &llm.Reasoning{Adaptive: true}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 8192}, 8192 + DefaultMaxTokens, nil, nil, false},
		{"opus 4.7 takes only adaptive", llm.Request{Model: "claude-opus-4-7", Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			&Thinking{Type: ThinkingAdaptive}, DefaultMaxTokens, nil, nil, false},
		{"sampling the API refuses is dropped", llm.Request{Model: "claude-sonnet-4-5", Temperature: ptr(0.2), TopP: ptr(0.5), TopK: ptr(5), Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 2048}, 2048 + DefaultMaxTokens, nil, nil, false},
		{"sampling the API takes is kept", llm.Request{Model: "claude-sonnet-4-20250514", Temperature: ptr(1.0), TopP: ptr(0.97), Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			&Thinking{Type: ThinkingEnabled, BudgetTokens: 2048}, 2048 + DefaultMaxTokens, ptr(1.0), ptr(0.97), false},
		{"forced tool: thinking dropped, sampling kept", llm.Request{Model: "claude-sonnet-4-5", Tools: tools, ToolChoice: &llm.ToolChoice{Mode: llm.ToolChoiceRequired}, Temperature: ptr(0.2), TopK: ptr(5), Reasoning: &llm.Reasoning{Effort: llm.EffortLow}},
			nil, DefaultMaxTokens, ptr(0.2), nil, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			c.req.Messages = msgs
			out, err := FromLLM(&c.req)
			if err != nil {
				t.Fatal(err)
			}
			if (out.Thinking == nil) != (c.want == nil) || c.want != nil && *out.Thinking != *c.want {
				t.Errorf("thinking %+v, want %+v", out.Thinking, c.want)
			}
			if *out.MaxTokens != c.maxTokens {
				t.Errorf("max_tokens %d, want %d", *out.MaxTokens, c.maxTokens)
			}
			if !eqPtr(out.Temperature, c.temp) || !eqPtr(out.TopP, c.topP) || (out.TopK != nil) != c.topK {
				t.Errorf("temperature %v top_p %v top_k %v", out.Temperature, out.TopP, out.TopK)
			}
			if out.Thinking != nil {
				if err := Validate(out); err != nil {
					t.Errorf("the request FromLLM built is invalid: %v", err)
				}
			}
		})
	}
}

func eqPtr(a, b *float64) bool { return a == nil && b == nil || a != nil && b != nil && *a == *b }

func TestThinkingModels(t *testing.T) {
	for model, want := range map[string][3]bool{ // thinks, adaptive, adaptive only
		"claude-3-7-sonnet-20250219": {true, false, false},
		"claude-3-5-sonnet-latest":   {false, false, false},
		"claude-3-5-haiku-20241022":  {false, false, false},
		"claude-sonnet-4-20250514":   {true, false, false},
		"claude-opus-4-1":            {true, false, false},
		"claude-haiku-4-5":           {true, false, false},
		"claude-sonnet-4-6":          {true, true, false},
		"claude-opus-4-7":            {true, true, true},
		"gpt-4o":                     {false, false, false},
		"claude-sim-sonnet-4-5-2025": {true, false, false},
		"claude-instant-1-2":         {false, false, false},
		"claude":                     {false, false, false},
	} {
		a, only := AdaptiveThinking(model)
		if got := [3]bool{ThinkingModel(model), a, only}; got != want {
			t.Errorf("%s: got %v, want %v", model, got, want)
		}
	}
}

// TestCountTokensThinking: a count_tokens request has no max_tokens (the
// API refuses one, SDKs send none), so thinking's budget is checked
// against max_tokens only when one is sent.
func TestCountTokensThinking(t *testing.T) {
	for body, wantErr := range map[string]bool{
		`{"model":"m","messages":[{"role":"user","content":"q"}],"thinking":{"type":"enabled","budget_tokens":2048}}`:                   false,
		`{"model":"m","max_tokens":1000,"messages":[{"role":"user","content":"q"}],"thinking":{"type":"enabled","budget_tokens":2048}}`: true,
		`{"model":"m","messages":[{"role":"user","content":"q"}],"thinking":{"type":"enabled","budget_tokens":100}}`:                    true,
	} {
		req, err := DecodeMessagesRequest([]byte(body), true)
		if err == nil {
			err = Validate(req)
		}
		if (err != nil) != wantErr {
			t.Errorf("%s: error %v, want an error: %v", body, err, wantErr)
		}
		if err == nil && req.MaxTokens != nil {
			t.Errorf("%s: max_tokens %d, want none", body, *req.MaxTokens)
		}
	}
	if _, err := DecodeMessagesRequest([]byte(`{"model":"m","messages":[]}`), false); err == nil || !strings.Contains(err.Error(), "max_tokens: Field required") {
		t.Errorf("a Messages request without max_tokens: %v", err)
	}
}

// TestThinkingInbound: an Anthropic client's thinking, validated as the
// API does and read into the canonical reasoning.
func TestThinkingInbound(t *testing.T) {
	const head = `{"model":"m","max_tokens":4000,"messages":[{"role":"user","content":"q"}],`
	for _, c := range []struct {
		body string
		want *llm.Reasoning
		err  string
	}{
		{`"thinking":{"type":"enabled","budget_tokens":2048}}`, &llm.Reasoning{BudgetTokens: 2048, Show: true, Summary: "auto"}, ""},
		{`"thinking":{"type":"enabled","budget_tokens":2048,"display":"omitted"}}`, &llm.Reasoning{BudgetTokens: 2048, Display: "omitted"}, ""},
		{`"thinking":{"type":"adaptive"}}`, &llm.Reasoning{Adaptive: true, Show: true, Summary: "auto"}, ""},
		{`"thinking":{"type":"disabled"}}`, nil, ""},
		{`"thinking":{"type":"disabled"},"top_k":5}`, nil, ""},
		{`"thinking":{"type":"enabled","budget_tokens":1000}}`, nil, "budget_tokens: Input should be greater than or equal to 1024"},
		{`"thinking":{"type":"enabled","budget_tokens":4000}}`, nil, "`max_tokens` must be greater than `thinking.budget_tokens`"},
		{`"thinking":{"type":"enabled","budget_tokens":2048},"temperature":0.5}`, nil, "`temperature` may only be set to 1"},
		{`"thinking":{"type":"adaptive"},"top_k":5}`, nil, "`top_k` must be unset when thinking is enabled"},
		{`"thinking":{"type":"enabled","budget_tokens":2048},"top_p":0.9}`, nil, "`top_p` must be greater than or equal to 0.95"},
		{`"thinking":{"type":"enabled","budget_tokens":2048},"tools":[{"name":"f","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}}`, nil, "Thinking may not be enabled when tool_choice forces tool use."},
		{`"thinking":{"type":"on"}}`, nil, "does not match any of the expected tags"},
	} {
		req, err := DecodeRequest([]byte(head + c.body))
		if c.err != "" {
			if err == nil || !strings.Contains(err.Error(), c.err) || llm.AsError(err).Kind != llm.KindInvalidRequest {
				t.Errorf("%s: error %v, want %q", c.body, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("%s: %v", c.body, err)
		}
		if (req.Reasoning == nil) != (c.want == nil) || c.want != nil && *req.Reasoning != *c.want {
			t.Errorf("%s: got %+v, want %+v", c.body, req.Reasoning, c.want)
		}
	}
}
