package openai

import (
	"slices"
	"testing"

	"switchyard/llm"
)

const (
	eNone    = llm.EffortNone
	eMinimal = llm.EffortMinimal
	eLow     = llm.EffortLow
	eMedium  = llm.EffortMedium
	eHigh    = llm.EffortHigh
	eXHigh   = llm.EffortXHigh
	eMax     = llm.EffortMax
)

// TestEfforts: each family's row, weakest first (the file comment of
// efforts.go gives the sources); nil where no effort is taken or known.
func TestEfforts(t *testing.T) {
	for _, c := range []struct {
		model string
		want  []llm.Effort
	}{
		{"o1", []llm.Effort{eLow, eMedium, eHigh}},
		{"o3-mini-2025-01-31", []llm.Effort{eLow, eMedium, eHigh}},
		{"o3", []llm.Effort{eLow, eMedium, eHigh}},
		{"o4-mini", []llm.Effort{eLow, eMedium, eHigh}},
		{"codex-mini-latest", []llm.Effort{eLow, eMedium, eHigh}},
		{"gpt-5", []llm.Effort{eMinimal, eLow, eMedium, eHigh}},
		{"gpt-5-mini-2025-08-07", []llm.Effort{eMinimal, eLow, eMedium, eHigh}},
		{"openai/gpt-5-nano", []llm.Effort{eMinimal, eLow, eMedium, eHigh}},
		{"gpt-5-codex", []llm.Effort{eLow, eMedium, eHigh}},
		{"gpt-5-pro-2025-10-06", []llm.Effort{eHigh}},
		{"gpt-5.1", []llm.Effort{eNone, eLow, eMedium, eHigh}},
		{"gpt-5.1-codex", []llm.Effort{eLow, eMedium, eHigh}},
		{"gpt-5.1-codex-mini", []llm.Effort{eMedium, eHigh}},
		{"gpt-5.1-codex-max", []llm.Effort{eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.2", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.2-codex", []llm.Effort{eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.3-codex", []llm.Effort{eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.2-pro", []llm.Effort{eMedium, eHigh, eXHigh}},
		{"gpt-5.4", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.4-mini", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.5", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh}},
		{"gpt-5.5-pro", []llm.Effort{eMedium, eHigh, eXHigh}},
		{"gpt-5.6", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-5.6-sol", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-5.6-terra", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-5.6-luna", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6-sol", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6-luna", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6.1-terra", []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6-astra", []llm.Effort{eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6.1-sol", []llm.Effort{eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6.2-sol", []llm.Effort{eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-6.2-astra", []llm.Effort{eLow, eMedium, eHigh, eXHigh, eMax}},
		{"gpt-7-sol", []llm.Effort{eLow, eMedium, eHigh, eXHigh, eMax}},
		{"openai/gpt-oss-120b", []llm.Effort{eLow, eMedium, eHigh}},
		{"gpt-5-chat-latest", nil},
		{"gpt-4.1", nil},
		{"gpt-4o", nil},
		{"o1-mini", nil},
		{"my-finetune", nil},
		{"", nil},
	} {
		if got := Efforts(c.model); !slices.Equal(got, c.want) {
			t.Errorf("Efforts(%q) = %v, want %v", c.model, got, c.want)
		}
	}
}

// TestSentEffort: a level the model takes goes as asked; another becomes
// the strongest it takes not above the asked one, else its weakest.
func TestSentEffort(t *testing.T) {
	for _, c := range []struct {
		model       string
		asked, want llm.Effort
	}{
		{"o4-mini", eMax, eHigh},
		{"o4-mini", eXHigh, eHigh},
		{"o4-mini", eHigh, eHigh},
		{"o3", eNone, eLow},
		{"o3", eMinimal, eLow},
		{"gpt-5", eNone, eMinimal},
		{"gpt-5", eMinimal, eMinimal},
		{"gpt-5", eMax, eHigh},
		{"gpt-5.1", eMinimal, eNone},
		{"gpt-5.1", eXHigh, eHigh},
		{"gpt-5.2", eMinimal, eNone},
		{"gpt-5.5", eMax, eXHigh},
		{"gpt-5-pro", eMedium, eHigh},
		{"gpt-5-pro", eNone, eHigh},
		{"gpt-5.1-codex-mini", eLow, eMedium},
		{"gpt-5.1-codex-max", eNone, eLow},
		{"gpt-5.6-sol", eMinimal, eNone},
		{"gpt-5.6-sol", eMax, eMax},
		{"gpt-6-astra", eNone, eLow},
		{"gpt-6.1-sol", eNone, eLow},
		{"gpt-6.1-sol", eMinimal, eLow},
		{"gpt-6.2-sol", eNone, eLow},
		{"gpt-6.1-terra", eNone, eNone},
		{"gpt-7", eNone, eLow},
		// Levels not known: the nearest of low, medium and high, which
		// every reasoning model on OpenAI's wire takes.
		{"gpt-4.1", eMax, eHigh},
		{"my-finetune", eNone, eLow},
		{"my-finetune", eXHigh, eHigh},
		{"my-finetune", eMedium, eMedium},
		{"gpt-5-chat-latest", eMinimal, eLow},
		// Models whose levels are their own: as asked.
		{"deepseek-v4-pro", eMax, eMax},
		{"deepseek-reasoner", eNone, eNone},
		{"qwen3-235b-a22b", eNone, eNone},
		{"grok-4", eXHigh, eXHigh},
		{"o3", "", ""},
		{"o3", "turbo", "turbo"},
	} {
		if got := SentEffort(c.model, c.asked); got != c.want {
			t.Errorf("SentEffort(%q, %q) = %q, want %q", c.model, c.asked, got, c.want)
		}
	}
	none := &llm.Reasoning{Effort: eNone}
	if n := testing.AllocsPerRun(100, func() {
		_ = SentEffort("openai/gpt-6.1-sol-2026-09-29", eNone)
		_ = effortChanged("gpt-6.1-sol", nil, none)
		_ = SentEffort("acme/my-finetune", eMax)
		_ = SentEffort("deepseek-v4-pro", eMax)
	}); n != 0 {
		t.Errorf("SentEffort allocates %v times", n)
	}
}

// TestDropFixedSamplingEffort: an effort the model does not take is
// changed to SentEffort's and named reasoning_effort, a budget's level
// too; the rules after it read the effort sent, so none asked of
// GPT-6.1 Sol (sent low) has its sampling hints dropped.
func TestDropFixedSamplingEffort(t *testing.T) {
	temp := 0.2
	for _, c := range []struct {
		name      string
		model     string
		reasoning *llm.Reasoning
		wantSent  llm.Effort
		wantNames []string
	}{
		{"max to o4-mini", "o4-mini", &llm.Reasoning{Effort: eMax}, eHigh, []string{"reasoning_effort", "temperature"}},
		{"high to o4-mini", "o4-mini", &llm.Reasoning{Effort: eHigh}, eHigh, []string{"temperature"}},
		{"none to gpt-6.1-sol", "gpt-6.1-sol", &llm.Reasoning{Effort: eNone}, eLow, []string{"reasoning_effort", "temperature"}},
		{"none to gpt-6-sol", "gpt-6-sol", &llm.Reasoning{Effort: eNone}, eNone, nil},
		{"minimal to gpt-5.4", "gpt-5.4", &llm.Reasoning{Effort: eMinimal}, eNone, []string{"reasoning_effort"}},
		{"large budget to o3", "o3", &llm.Reasoning{BudgetTokens: 64000, Show: true}, eHigh, []string{"reasoning_effort", "temperature"}},
		{"budget taken by gpt-5.6", "gpt-5.6-sol", &llm.Reasoning{BudgetTokens: 64000}, eMax, []string{"temperature"}},
		{"unknown model", "my-finetune", &llm.Reasoning{Effort: eMax}, eHigh, []string{"reasoning_effort"}},
		{"unknown model at a common level", "my-finetune", &llm.Reasoning{Effort: eLow}, eLow, nil},
		{"DeepSeek's own levels", "deepseek-v4-flash", &llm.Reasoning{Effort: eMax}, eMax, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			orig := *c.reasoning
			req := &llm.Request{Model: c.model, Temperature: &temp, Reasoning: c.reasoning}
			if got := FixedSampling(c.model, req); !slices.Equal(got, c.wantNames) {
				t.Errorf("FixedSampling = %v, want %v", got, c.wantNames)
			}
			if got := DropFixedSampling(req); !slices.Equal(got, c.wantNames) {
				t.Errorf("DropFixedSampling = %v, want %v", got, c.wantNames)
			}
			if got := req.Reasoning.Level(); got != c.wantSent {
				t.Errorf("sent %q, want %q", got, c.wantSent)
			}
			if req.Reasoning.Show != orig.Show {
				t.Errorf("Show changed: %+v", req.Reasoning)
			}
			if *c.reasoning != orig {
				t.Errorf("the caller's Reasoning was changed: %+v", *c.reasoning)
			}
		})
	}
}

// TestEffortRulesReadSentEffort: the sampling, stop and tools rules read
// the effort as sent, not as asked.
func TestEffortRulesReadSentEffort(t *testing.T) {
	none := &llm.Reasoning{Effort: eNone}
	if !DefaultSampling("gpt-6.1-sol", nil, none) || !RefusesStop("gpt-6.1-sol", nil, none) || !RefusesLogprobs("gpt-6.2-sol", nil, none) {
		t.Error("none asked of GPT-6.1 Sol / 6.2 Sol is sent low: default sampling, no stop, no logprobs")
	}
	if DefaultSampling("gpt-5.4", nil, &llm.Reasoning{Effort: eMinimal}) {
		t.Error("minimal asked of GPT-5.4 is sent none: it takes sampling")
	}
	if ToolsNeedResponses("gpt-5.4", nil, eMinimal, true) {
		t.Error("minimal asked of GPT-5.4 is sent none: tools pass on Chat Completions")
	}
	if !ToolsNeedResponses("gpt-6.1-sol", nil, eNone, true) {
		t.Error("none asked of GPT-6.1 Sol is sent low: tools need the Responses API")
	}
	req := &llm.Request{Model: "gpt-5.5", Reasoning: &llm.Reasoning{Effort: eMinimal}}
	if got := RequestEffort(req); got != eNone {
		t.Errorf("RequestEffort = %q, want none", got)
	}
}
