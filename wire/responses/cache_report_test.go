package responses

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A response answered by a model with explicit prompt caching (GPT-5.6
// and later) says the prompt_cache_options applied (the mode and ttl
// asked, else implicit and 30m) and splits its cache writes by lifetime
// in input_tokens_details.cache_write_tokens_details (the 12-hour ones
// those the router prices as such); one answered by another model says
// neither, as OpenAI's older answers do.
func TestResponseCacheReport(t *testing.T) {
	for _, tc := range []struct {
		body, model string
		usage       llm.Usage
		want        []string
	}{
		{`{"model":"m","input":"hi","prompt_cache_options":{"mode":"explicit","ttl":"12h"}}`, "gpt-5.6-sol",
			llm.Usage{PromptTokens: 3000, CacheWriteTokens: 2000, CacheWrite1hTokens: 2000},
			[]string{`"prompt_cache_options":{"mode":"explicit","ttl":"12h"}`,
				`"input_tokens_details":{"cached_tokens":0,"cache_write_tokens":2000,"cache_write_tokens_details":{"ttl_30m_tokens":0,"ttl_12h_tokens":2000}}`}},
		{`{"model":"m","input":"hi"}`, "gpt-6-luna-2026-11-01",
			llm.Usage{PromptTokens: 3000, CachedPromptTokens: 1000, CacheWriteTokens: 1500},
			[]string{`"prompt_cache_options":{"mode":"implicit","ttl":"30m"}`,
				`"input_tokens_details":{"cached_tokens":1000,"cache_write_tokens":1500,"cache_write_tokens_details":{"ttl_30m_tokens":1500,"ttl_12h_tokens":0}}`}},
		{`{"model":"m","input":"hi","prompt_cache_options":{"mode":"explicit"}}`, "claude-sonnet-4-5",
			llm.Usage{PromptTokens: 3000, CacheWriteTokens: 1500, CacheWrite1hTokens: 1500},
			[]string{`"input_tokens_details":{"cached_tokens":0,"cache_write_tokens":1500}`}},
	} {
		r := decodeOK(t, tc.body)
		u := tc.usage
		got := string(AppendResponse(nil, r, &Meta{Model: tc.model}, &Output{Status: StatusCompleted, Usage: &u}))
		for _, want := range tc.want {
			if !strings.Contains(got, want) {
				t.Errorf("%s: lacks %s:\n%s", tc.model, want, got)
			}
		}
		if explicit := len(tc.want) > 1; explicit != strings.Contains(got, `"prompt_cache_options"`) || explicit != strings.Contains(got, "cache_write_tokens_details") {
			t.Errorf("%s: %s", tc.model, got)
		}
	}
}
