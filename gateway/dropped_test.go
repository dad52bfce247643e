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
		{config.KindAnthropic, true, []string{"logit_bias"}},
		{config.KindGemini, false, []string{"logit_bias", "service_tier"}}, // web_search_options as its googleSearch
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

// Explicit prompt caching is named dropped for an OpenAI model before
// GPT-5.6 and for Gemini, in the client's own words, and only what the
// client sent; never for GPT-5.6 and later (an Azure deployment by its
// model) nor for Claude.
func TestCacheNamedDropped(t *testing.T) {
	marked := llm.TextMessage(llm.RoleUser, "hi")
	marked.Content[0].SetCache(llm.Cache12h)
	openaiReq := &llm.Request{Messages: []llm.Message{marked}, PromptCache: llm.CacheOptions{TTL: llm.Cache12h}}
	claudeReq := &llm.Request{Messages: []llm.Message{marked}, ClientCaching: true}
	optionsOnly := &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}, PromptCache: llm.CacheOptions{Mode: llm.CacheExplicit}}
	for _, tt := range []struct {
		kind, model string
		req         *llm.Request
		want        []string
	}{
		{config.KindOpenAI, "gpt-5.6-sol", openaiReq, nil},
		{config.KindAzure, "gpt-6-luna", openaiReq, nil},
		{config.KindAnthropic, "claude-sonnet-5", openaiReq, nil},
		{config.KindOpenAI, "gpt-5.5", openaiReq, []string{"prompt_cache_breakpoint", "prompt_cache_options"}},
		{config.KindGemini, "gemini-3-pro", openaiReq, []string{"prompt_cache_breakpoint", "prompt_cache_options"}},
		{config.KindOpenAI, "gpt-4o", claudeReq, []string{"cache_control"}},
		{config.KindOpenAI, "gpt-6-sol", claudeReq, nil},
		{config.KindOpenAI, "gpt-4o", optionsOnly, []string{"prompt_cache_options"}},
		{config.KindOpenAI, "gpt-4o", &llm.Request{Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}, nil},
	} {
		if got := cacheDropped(tt.kind, tt.model, tt.req); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: %v, want %v", tt.kind, tt.model, got, tt.want)
		}
	}
}

// speed fast is named dropped on every deployment but a Claude one whose
// model has fast mode (which is sent it), and only when the client asked.
func TestSpeedNamedDropped(t *testing.T) {
	fast := &llm.Request{Speed: llm.SpeedFast}
	for _, tt := range []struct {
		kind, model string
		req         *llm.Request
		want        []string
	}{
		{config.KindAnthropic, "claude-opus-5-5", fast, nil},
		{config.KindAnthropic, "claude-sonnet-5-5", fast, []string{"speed"}},
		{config.KindOpenAI, "gpt-5.6-sol", fast, []string{"speed"}},
		{config.KindGemini, "gemini-3-pro", fast, []string{"speed"}},
		{config.KindOpenAI, "gpt-5.6-sol", &llm.Request{Speed: llm.SpeedStandard}, nil},
		{config.KindAnthropic, "claude-sonnet-5-5", &llm.Request{ServiceTier: llm.TierFast}, nil},
	} {
		if got := speedDropped(tt.kind, tt.model, tt.req); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s %+v: %v, want %v", tt.kind, tt.model, tt.req, got, tt.want)
		}
	}
}

// Chat's web_search_options is named dropped for a Claude deployment
// whose model has no web search tool (its adapter leaves it out:
// anthropic.SearchLeftOut), not for one that has it.
func TestWebSearchOptionsNamedDropped(t *testing.T) {
	req := &llm.Request{Extra: map[string]json.RawMessage{"web_search_options": json.RawMessage(`{}`)}}
	for model, want := range map[string]bool{"claude-3-haiku-20240307": true, "claude-haiku-4-5": false} {
		tg := &Target{Kind: config.KindAnthropic, Deployment: llm.Deployment{Model: model}}
		if got := slices.Contains(droppedControls(tg, req), "web_search_options"); got != want {
			t.Errorf("%s: web_search_options dropped %v, want %v", model, got, want)
		}
	}
}
