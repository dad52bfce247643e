package gateway

import (
	"fmt"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
)

// An Anthropic client that turned thinking off (thinking disabled) and
// sent an effort: a deployment with an effort dial is sent the least
// thinking its model takes, as that provider's "no thinking" (none where
// taken, GPT-5's minimal, the o-series' low; Gemini 2.5 Flash budget 0,
// Pro its floor of 128; Gemini 3 Flash MINIMAL, Pro LOW), unnamed; not
// the effort's level (docs/providers.md, "Effort across providers").
func TestEffortWithThinkingOff(t *testing.T) {
	for _, tc := range []effortCase{
		{config.KindOpenAI, "gpt-5", "high", "", nil, "reasoning_effort=minimal", ""},
		{config.KindOpenAI, "gpt-5.1", "high", "", nil, "reasoning_effort=none", ""},
		{config.KindOpenAI, "gpt-5.5", "max", "", nil, "reasoning_effort=none", ""},
		{config.KindOpenAI, "o3-mini", "high", "", nil, "reasoning_effort=low", ""},
		{config.KindAzure, "o4-mini", "medium", "low", nil, "reasoning_effort=low", ""},
		{config.KindOpenAI, "gpt-6.1-sol", "high", "", nil, "reasoning_effort=low", ""},
		{config.KindOpenAI, "gpt-5-pro", "medium", "", nil, "reasoning_effort=high", ""},
		{config.KindOpenAI, "grok-3-mini", "high", "", nil, "reasoning_effort=low", ""},
		{config.KindOpenAI, "gpt-4o", "high", "", nil, "", "effort"},
		{config.KindGemini, "gemini-2.5-flash", "high", "", nil, "thinkingBudget=0", ""},
		{config.KindGemini, "gemini-2.5-flash-lite", "high", "", nil, "thinkingBudget=0", ""},
		{config.KindGemini, "gemini-2.5-pro", "high", "", nil, "thinkingBudget=128", ""},
		{config.KindGemini, "gemini-3-flash-preview", "high", "", nil, "thinkingLevel=MINIMAL", ""},
		{config.KindGemini, "gemini-3-pro-preview", "high", "", nil, "thinkingLevel=LOW", ""},
		{config.KindGemini, "gemini-3.1-pro-preview", "high", "", nil, "thinkingLevel=LOW", ""},
	} {
		name := fmt.Sprintf("%s %s top %q turn %q, thinking disabled", tc.kind, tc.model, tc.top, tc.turn)
		tg := &Target{Kind: tc.kind, Deployment: withEffortDial(withReasoning(llm.Deployment{Model: tc.model}, &config.Provider{Kind: tc.kind}), tc.kind)}
		req := &llm.Request{Model: "auto", OutputEffort: tc.top, TurnEffort: tc.turn, ThinkingOff: true,
			Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "Why is the sky blue?")}}
		if got := sentEffort(t, tc.kind, dispatch.Upstream(req, &tg.Deployment)); got != tc.sent {
			t.Errorf("%s: sent %q, want %q", name, got, tc.sent)
		}
		if got := strings.Join(droppedControls(tg, req), ","); got != tc.dropped {
			t.Errorf("%s: dropped %q, want %q", name, got, tc.dropped)
		}
	}
}
