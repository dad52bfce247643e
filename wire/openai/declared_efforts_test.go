package openai

import (
	"slices"
	"testing"

	"switchyard/llm"
)

// TestDeclaredEffort: a deployment's declared levels replace its model
// id's, by SentEffort's rule (the nearest not stronger, else the
// weakest); none declared leaves the id's.
func TestDeclaredEffort(t *testing.T) {
	gpt5 := []llm.Effort{eMinimal, eLow, eMedium, eHigh}
	host := []llm.Effort{eNone, eMinimal, eLow, eMedium, eHigh, eXHigh}
	medHigh := []llm.Effort{eMedium, eHigh}
	for _, c := range []struct {
		model       string
		declared    []llm.Effort
		asked, want llm.Effort
	}{
		{"acme-reasoner", gpt5, eNone, eMinimal},
		{"acme-reasoner", gpt5, eMinimal, eMinimal}, // the id's row (low, medium, high) would send low
		{"acme-reasoner", gpt5, eXHigh, eHigh},
		{"acme-reasoner", host, eXHigh, eXHigh}, // the id's row would send high
		{"acme-reasoner", host, eMax, eXHigh},
		{"acme-reasoner", host, eNone, eNone},
		{"acme-reasoner", medHigh, eLow, eMedium},
		{"acme-reasoner", medHigh, eMax, eHigh},
		{"gpt-5", []llm.Effort{eLow, eMedium, eHigh}, eMinimal, eLow}, // gpt-5's row takes minimal
		{"deepseek-v4-pro", medHigh, eMax, eHigh},                     // its own levels otherwise: as asked
		{"acme-reasoner", gpt5, "", ""},
		{"acme-reasoner", nil, eXHigh, eHigh}, // none declared: SentEffort's
		{"gpt-5", nil, eMinimal, eMinimal},
	} {
		if got := DeclaredEffort(c.model, c.declared, c.asked); got != c.want {
			t.Errorf("DeclaredEffort(%q, %v, %q) = %q, want %q", c.model, c.declared, c.asked, got, c.want)
		}
	}
	none := &llm.Reasoning{Effort: eNone}
	if n := testing.AllocsPerRun(100, func() {
		_ = DeclaredEffort("acme/acme-reasoner", gpt5, eNone)
		_ = effortChanged("acme-reasoner", host, none)
		_ = DeclaredEffort("gpt-6.1-sol", nil, eNone)
	}); n != 0 {
		t.Errorf("DeclaredEffort allocates %v times", n)
	}
}

// TestDropFixedSamplingDeclared: a request carrying its deployment's
// declared levels (llm.Request.ReasoningEfforts) is sent the nearest of
// them and reasoning_effort is named only when the level changed; a Grok
// declared with levels is mapped into them rather than losing its
// effort; RequestEffort reads the same levels.
func TestDropFixedSamplingDeclared(t *testing.T) {
	gpt5 := []llm.Effort{eMinimal, eLow, eMedium, eHigh}
	host := []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh}
	for _, c := range []struct {
		name      string
		model     string
		declared  []llm.Effort
		asked     llm.Effort
		wantSent  llm.Effort
		wantNames []string
	}{
		{"none to minimal", "acme-reasoner", gpt5, eNone, eMinimal, []string{"reasoning_effort"}},
		{"minimal taken", "acme-reasoner", gpt5, eMinimal, eMinimal, nil},
		{"xhigh taken", "acme-reasoner", host, eXHigh, eXHigh, nil},
		{"max to xhigh", "acme-reasoner", host, eMax, eXHigh, []string{"reasoning_effort"}},
		{"minimal to none", "acme-reasoner", host, eMinimal, eNone, []string{"reasoning_effort"}},
		{"a Grok without the dial, declared", "grok-3", []llm.Effort{eLow, eHigh}, eMedium, eLow, []string{"reasoning_effort"}},
		{"a Grok's own row replaced", "grok-3-mini", []llm.Effort{eLow, eMedium, eHigh}, eMedium, eMedium, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			req := &llm.Request{Model: c.model, ReasoningEfforts: c.declared, Reasoning: &llm.Reasoning{Effort: c.asked}}
			if got := RequestEffort(req); got != c.wantSent {
				t.Errorf("RequestEffort = %q, want %q", got, c.wantSent)
			}
			if got := FixedSampling(c.model, req); !slices.Equal(got, c.wantNames) {
				t.Errorf("FixedSampling = %v, want %v", got, c.wantNames)
			}
			if got := DropFixedSampling(req); !slices.Equal(got, c.wantNames) {
				t.Errorf("DropFixedSampling = %v, want %v", got, c.wantNames)
			}
			if req.Reasoning == nil || req.Reasoning.Level() != c.wantSent {
				t.Errorf("sent %+v, want %q", req.Reasoning, c.wantSent)
			}
		})
	}
}

// TestEffortRulesReadDeclaredEffort: on a deployment that declares its
// levels for a model the router knows, the fixed-sampling and the
// tools-on-Chat rules read the level the declared list sends, not the
// one the model id's row would: none declared away on gpt-5.1 is sent
// low, at which temperature is refused; none declared on gpt-6.1-sol is
// sent none, at which temperature is taken; minimal declared on gpt-5.4
// and gpt-5.6-sol is sent minimal (the id's row would send none), at
// which function tools need the Responses API.
func TestEffortRulesReadDeclaredEffort(t *testing.T) {
	lowHigh := []llm.Effort{eLow, eMedium, eHigh}
	withNone := []llm.Effort{eNone, eLow, eMedium, eHigh, eXHigh, eMax}
	withMinimal := []llm.Effort{eMinimal, eLow, eMedium, eHigh}
	half := 0.5
	for _, c := range []struct {
		model     string
		declared  []llm.Effort
		asked     llm.Effort
		wantNames []string
	}{
		{"gpt-5.1", lowHigh, eNone, []string{"reasoning_effort", "temperature"}},
		{"gpt-6.1-sol", withNone, eNone, nil},
		{"gpt-5.4", withMinimal, eMinimal, []string{"temperature"}},
		{"gpt-5.1", nil, eNone, nil},
	} {
		req := &llm.Request{Model: c.model, ReasoningEfforts: c.declared, Reasoning: &llm.Reasoning{Effort: c.asked}, Temperature: &half}
		if got := FixedSampling(c.model, req); !slices.Equal(got, c.wantNames) {
			t.Errorf("FixedSampling(%s declaring %v, %s) = %v, want %v", c.model, c.declared, c.asked, got, c.wantNames)
		}
		stop := slices.Contains(c.wantNames, "temperature")
		if got := RefusesStop(c.model, c.declared, req.Reasoning); got != stop {
			t.Errorf("RefusesStop(%s declaring %v, %s) = %v, want %v", c.model, c.declared, c.asked, got, stop)
		}
		if got := DropFixedSampling(req); !slices.Equal(got, c.wantNames) || (req.Temperature == nil) != stop {
			t.Errorf("DropFixedSampling(%s declaring %v, %s) = %v, temperature %v", c.model, c.declared, c.asked, got, req.Temperature)
		}
	}
	for _, c := range []struct {
		model    string
		declared []llm.Effort
		asked    llm.Effort
		want     bool
	}{
		{"gpt-5.4", withMinimal, eMinimal, true},
		{"gpt-5.6-sol", withMinimal, eMinimal, true},
		{"gpt-5.4", withNone, eMinimal, false}, // sent none
		{"gpt-6.1-sol", withNone, eNone, true}, // it requires Responses for tools whatever is declared
		{"gpt-5.4", nil, eMinimal, false},
	} {
		req := &llm.Request{Model: c.model, ReasoningEfforts: c.declared, Reasoning: &llm.Reasoning{Effort: c.asked},
			Tools: []llm.Tool{{Name: "f"}}}
		if got := CallsResponses(req); got != c.want {
			t.Errorf("CallsResponses(%s declaring %v, %s, tools) = %v, want %v", c.model, c.declared, c.asked, got, c.want)
		}
		if got := ToolsNeedResponses(c.model, c.declared, c.asked, true); got != c.want {
			t.Errorf("ToolsNeedResponses(%s declaring %v, %s) = %v, want %v", c.model, c.declared, c.asked, got, c.want)
		}
	}
	none := &llm.Reasoning{Effort: eNone}
	if n := testing.AllocsPerRun(100, func() {
		_ = DefaultSampling("gpt-6.1-sol", withNone, none)
		_ = ToolsNeedResponses("gpt-5.4", withMinimal, eMinimal, true)
	}); n != 0 {
		t.Errorf("the declared effort rules allocate %v times", n)
	}
}
