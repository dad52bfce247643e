package gateway

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"switchyard/classify"
	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/wire/anthropic"
	"switchyard/wire/gemini"
	"switchyard/wire/openai"
)

// effortCase is an Anthropic client's request (its top-level and last
// per-turn effort, its thinking) sent to a deployment of kind running
// model: what the upstream is sent (sentEffort) and what
// x-switchyard-route names dropped.
type effortCase struct {
	kind, model string
	top, turn   llm.Effort
	thinking    *llm.Reasoning
	sent        string
	dropped     string
}

// The effort mapping, as docs/providers.md ("Effort across providers")
// has it: the last per-turn effort, else the top-level one, over the
// thinking's own level, at the nearest level the model takes, unnamed;
// dropped=effort only where the model has no dial.
func TestEffortAcrossProviders(t *testing.T) {
	adaptive := &llm.Reasoning{Adaptive: true}
	for _, tc := range []effortCase{
		// OpenAI: reasoning_effort, clamped by openai.SentEffort.
		{config.KindOpenAI, "o3-mini", "high", "", nil, "reasoning_effort=high", ""},
		{config.KindOpenAI, "o3-mini", "max", "", nil, "reasoning_effort=high", ""},
		{config.KindOpenAI, "o3-mini", "high", "low", nil, "reasoning_effort=low", ""},
		{config.KindOpenAI, "o3-mini", "low", "", adaptive, "reasoning_effort=low", ""}, // adaptive alone is medium
		{config.KindOpenAI, "o3-mini", "", "", adaptive, "reasoning_effort=medium", ""},
		{config.KindOpenAI, "o3-mini", "", "", &llm.Reasoning{BudgetTokens: 64000}, "reasoning_effort=high", "reasoning_effort"}, // a budget's level, named as before
		{config.KindOpenAI, "gpt-5", "xhigh", "", nil, "reasoning_effort=high", ""},
		{config.KindOpenAI, "gpt-5.2", "max", "", nil, "reasoning_effort=xhigh", ""},
		{config.KindOpenAI, "gpt-5.6-terra", "max", "", nil, "reasoning_effort=max", ""},
		{config.KindOpenAI, "gpt-6.1-sol", "", "low", nil, "reasoning_effort=low", ""},
		{config.KindOpenAI, "gpt-5-pro", "low", "", nil, "reasoning_effort=high", ""},
		{config.KindAzure, "o4-mini", "medium", "", nil, "reasoning_effort=medium", ""},
		{config.KindOpenAI, "grok-3-mini", "max", "", nil, "reasoning_effort=high", ""},
		{config.KindOpenAI, "grok-4", "high", "", nil, "", "effort"}, // reasons without the dial
		{config.KindOpenAI, "gpt-4o", "high", "", nil, "", "effort"}, // cannot reason
		{config.KindOpenAI, "gpt-4o", "high", "", adaptive, "", "reasoning,effort"},
		// Gemini 2.5: thinkingBudget; 3: thinkingLevel, as the model takes it.
		{config.KindGemini, "gemini-2.5-pro", "low", "", nil, "thinkingBudget=1024", ""},
		{config.KindGemini, "gemini-2.5-pro", "medium", "", nil, "thinkingBudget=8192", ""},
		{config.KindGemini, "gemini-2.5-pro", "high", "max", nil, "thinkingBudget=32768", ""},
		{config.KindGemini, "gemini-2.5-flash", "high", "", nil, "thinkingBudget=24576", ""},
		{config.KindGemini, "gemini-2.5-flash-lite", "xhigh", "", nil, "thinkingBudget=24576", ""},
		{config.KindGemini, "gemini-3-pro-preview", "medium", "", nil, "thinkingLevel=LOW", ""},
		{config.KindGemini, "gemini-3-pro-preview", "low", "xhigh", nil, "thinkingLevel=HIGH", ""},
		{config.KindGemini, "gemini-3-flash-preview", "medium", "", adaptive, "thinkingLevel=MEDIUM", ""},
		{config.KindGemini, "gemini-3.1-pro-preview", "max", "", nil, "thinkingLevel=HIGH", ""},
		{config.KindGemini, "gemini-2.0-flash", "high", "", nil, "", "effort"}, // no thinking
		// Claude: output_config.effort, clamped by the model's levels.
		{config.KindAnthropic, "claude-opus-4-6", "xhigh", "", nil, "effort=max", ""},
		{config.KindAnthropic, "claude-opus-4-6", "high", "low", nil, "effort=low", ""},
		{config.KindAnthropic, "claude-opus-4-5", "max", "", nil, "effort=high", ""},
		{config.KindAnthropic, "claude-sonnet-4-5", "high", "", nil, "", "effort"},
	} {
		name := fmt.Sprintf("%s %s top %q turn %q thinking %+v", tc.kind, tc.model, tc.top, tc.turn, tc.thinking)
		tg := &Target{Kind: tc.kind, Deployment: withEffortDial(withReasoning(llm.Deployment{Model: tc.model}, &config.Provider{Kind: tc.kind}), tc.kind)}
		req := &llm.Request{Model: "auto", OutputEffort: tc.top, TurnEffort: tc.turn, Reasoning: tc.thinking,
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Why is the sky blue?")}}
		if got := sentEffort(t, tc.kind, dispatch.Upstream(req, &tg.Deployment)); got != tc.sent {
			t.Errorf("%s: sent %q, want %q", name, got, tc.sent)
		}
		if got := strings.Join(droppedControls(tg, req), ","); got != tc.dropped {
			t.Errorf("%s: dropped %q, want %q", name, got, tc.dropped)
		}
	}
}

// sentEffort is the effort field of up as the adapter of kind encodes
// it: "reasoning_effort=…", "thinkingBudget=…", "thinkingLevel=…" or
// "effort=…"; "" when none is sent.
func sentEffort(t *testing.T, kind string, up *llm.Request) string {
	t.Helper()
	switch kind {
	case config.KindOpenAI, config.KindAzure:
		r := *up
		openai.DropFixedSampling(&r)
		body, err := openai.EncodeChatRequest(&r)
		if err != nil {
			t.Fatal(err)
		}
		var b struct {
			Effort string `json:"reasoning_effort"`
		}
		if err := json.Unmarshal(body, &b); err != nil {
			t.Fatal(err)
		}
		if b.Effort != "" {
			return "reasoning_effort=" + b.Effort
		}
	case config.KindGemini:
		g, err := gemini.FromLLM(up)
		if err != nil {
			t.Fatal(err)
		}
		if g.GenerationConfig == nil || g.GenerationConfig.ThinkingConfig == nil {
			return ""
		}
		tc := g.GenerationConfig.ThinkingConfig
		if tc.ThinkingLevel != "" {
			return "thinkingLevel=" + tc.ThinkingLevel
		}
		if tc.ThinkingBudget != nil {
			return fmt.Sprintf("thinkingBudget=%d", *tc.ThinkingBudget)
		}
	case config.KindAnthropic:
		m, err := anthropic.FromLLM(up)
		if err != nil {
			t.Fatal(err)
		}
		if m.OutputConfig != nil && m.OutputConfig.Effort != "" {
			return "effort=" + m.OutputConfig.Effort
		}
	}
	return ""
}

// The route's features carry an Anthropic client's effort as the level
// OpenAI's models are sent, so that the checks which depend on it hold:
// GPT-5.2 refuses function tools on Chat Completions at any effort but
// none, its default, and with the effort the request must go where the
// Responses API serves it.
func TestEffortInFeatures(t *testing.T) {
	cf := classify.Features{Category: llm.CategoryCode, Confidence: 0.9, PromptTokens: 10}
	for _, tc := range []struct {
		name string
		req  *llm.Request
		want llm.Effort
	}{
		{"nothing asked", &llm.Request{}, ""},
		{"adaptive", &llm.Request{Reasoning: &llm.Reasoning{Adaptive: true}}, llm.EffortMedium},
		{"adaptive at high", &llm.Request{OutputEffort: llm.EffortHigh, Reasoning: &llm.Reasoning{Adaptive: true}}, llm.EffortHigh},
		{"turn low over top high", &llm.Request{OutputEffort: llm.EffortHigh, TurnEffort: llm.EffortLow}, llm.EffortLow},
	} {
		tc.req.Tools = []llm.Tool{{Name: "f", Parameters: json.RawMessage(`{"type":"object"}`)}}
		f := Features(cf, tc.req)
		if f.Effort != tc.want {
			t.Errorf("%s: features' effort %q, want %q", tc.name, f.Effort, tc.want)
		}
		if got, want := openai.ToolsNeedResponses("gpt-5.2", nil, f.Effort, true), tc.want != ""; got != want {
			t.Errorf("%s: gpt-5.2's tools need the Responses API: %v, want %v", tc.name, got, want)
		}
	}
}
