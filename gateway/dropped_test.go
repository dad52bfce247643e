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
