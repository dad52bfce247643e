package gateway

import (
	"encoding/json"
	"slices"
	"testing"

	"switchyard/config"
	"switchyard/llm"
)

// A request's service tier is named dropped for a deployment whose
// provider does not take one (Gemini, an OpenAI-compatible host), not
// for one that does (OpenAI, Claude), and sorts with the extra fields.
func TestServiceTierNamedDropped(t *testing.T) {
	req := &llm.Request{ServiceTier: llm.TierFlex, Extra: map[string]json.RawMessage{"logit_bias": json.RawMessage(`{}`), "web_search_options": json.RawMessage(`{}`)}}
	for _, tt := range []struct {
		kind  string
		takes bool
		want  []string
	}{
		{config.KindOpenAI, true, nil},
		{config.KindOpenAI, false, []string{"service_tier"}},
		{config.KindAnthropic, true, []string{"logit_bias", "web_search_options"}},
		{config.KindGemini, false, []string{"logit_bias", "service_tier", "web_search_options"}},
	} {
		if got := extraDropped(tt.kind, tt.takes, req); !slices.Equal(got, tt.want) {
			t.Errorf("%s (takes %v): %v, want %v", tt.kind, tt.takes, got, tt.want)
		}
	}
	if got := extraDropped(config.KindGemini, false, &llm.Request{}); got != nil {
		t.Errorf("no tier asked: %v", got)
	}
}

// A custom tool's grammar is named dropped for a deployment without custom
// tools (Claude, Gemini), not for OpenAI or Azure, nor for a custom tool
// without one.
func TestGrammarNamedDropped(t *testing.T) {
	grammar := &llm.Request{Tools: []llm.Tool{{Type: llm.ToolCustom, Name: "p", Format: json.RawMessage(`{"type":"grammar","syntax":"lark","definition":"start: /x/"}`)}}}
	text := &llm.Request{Tools: []llm.Tool{{Type: llm.ToolCustom, Name: "p", Format: json.RawMessage(`{"type":"text"}`)}}}
	for _, tt := range []struct {
		kind string
		req  *llm.Request
		want []string
	}{
		{config.KindAnthropic, grammar, []string{"grammar"}},
		{config.KindGemini, grammar, []string{"grammar"}},
		{config.KindOpenAI, grammar, nil},
		{config.KindAzure, grammar, nil},
		{config.KindAnthropic, text, nil},
	} {
		if got := extraDropped(tt.kind, true, tt.req); !slices.Equal(got, tt.want) {
			t.Errorf("%s: %v, want %v", tt.kind, got, tt.want)
		}
	}
}
