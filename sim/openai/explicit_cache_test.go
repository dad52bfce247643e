package openai

import (
	"encoding/json"
	"strings"
	"testing"

	"switchyard/sim"
)

// usageOf decodes a chat completion's prompt usage.
func usageOf(t *testing.T, body string) (prompt, cached, written int) {
	t.Helper()
	var v struct {
		Usage struct {
			PromptTokens        int `json:"prompt_tokens"`
			PromptTokensDetails struct {
				CachedTokens     int  `json:"cached_tokens"`
				CacheWriteTokens *int `json:"cache_write_tokens"`
			} `json:"prompt_tokens_details"`
		} `json:"usage"`
	}
	if err := json.Unmarshal([]byte(body), &v); err != nil {
		t.Fatalf("%v: %s", err, body)
	}
	d := v.Usage.PromptTokensDetails
	if d.CacheWriteTokens != nil {
		written = *d.CacheWriteTokens
	}
	return v.Usage.PromptTokens, d.CachedTokens, written
}

// A GPT-5.6 model (or an Azure deployment said to run one) takes
// prompt_cache_breakpoint and prompt_cache_options: the prefix up to a
// breakpoint is written on the first request (cache_write_tokens) and
// read, to the token, on the second (cached_tokens); in explicit mode a
// request without breakpoints caches nothing. An older model refuses
// both as OpenAI refuses a parameter a model does not take; the options
// are checked as the spec says.
func TestExplicitPromptCaching(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gpt-5.6-sol"}, sim.Profile{Model: "gpt-4o"}, sim.Profile{Model: "eastus-prod", ExplicitCache: true}), nil))
	chat := url + "/v1/chat/completions"
	long := strings.Repeat("Every deploy needs a reviewed change and a rollback plan. ", 200)
	body := func(model, options string) string {
		return `{"model":"` + model + `","messages":[{"role":"system","content":[{"type":"text","text":"` + long + `","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}}]},{"role":"user","content":"What does a deploy need?"}]` + options + `}`
	}
	for _, model := range []string{"gpt-5.6-sol", "eastus-prod"} {
		req := body(model, `,"prompt_cache_options":{"mode":"explicit","ttl":"30m"}`)
		status, _, first := do(t, hc, "POST", chat, req, bearer)
		if status != 200 {
			t.Fatalf("%s: %d %s", model, status, first)
		}
		prompt, cached, written := usageOf(t, first)
		if cached != 0 || written < sim.MinCachedTokens || written >= prompt {
			t.Errorf("%s first: prompt %d, cached %d, written %d", model, prompt, cached, written)
		}
		_, _, second := do(t, hc, "POST", chat, req, bearer)
		if _, cached2, written2 := usageOf(t, second); cached2 != written || written2 != 0 {
			t.Errorf("%s second: cached %d (want %d), written %d", model, cached2, written, written2)
		}
	}
	plain := `{"model":"gpt-5.6-sol","messages":[{"role":"user","content":"` + long + `"},{"role":"assistant","content":"ok"},{"role":"user","content":"again"}],"prompt_cache_options":{"mode":"explicit"}}`
	for range 2 {
		_, _, b := do(t, hc, "POST", chat, plain, bearer)
		if _, cached, written := usageOf(t, b); cached != 0 || written != 0 {
			t.Errorf("explicit mode without breakpoints: cached %d, written %d", cached, written)
		}
	}
	for _, tc := range []struct{ body, param, code, msg string }{
		{body("gpt-4o", ""), "messages[0].content[0].prompt_cache_breakpoint", "unsupported_parameter", "Unsupported parameter: 'messages[0].content[0].prompt_cache_breakpoint' is not supported with this model."},
		{`{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"prompt_cache_options":{"mode":"implicit"}}`, "prompt_cache_options", "unsupported_parameter", "Unsupported parameter: 'prompt_cache_options' is not supported with this model."},
		{body("gpt-5.6-sol", `,"prompt_cache_options":{"ttl":"12h"}`), "prompt_cache_options.ttl", "", "Invalid value for 'prompt_cache_options.ttl': '12h'. Supported values are: '30m'."},
	} {
		status, _, b := do(t, hc, "POST", chat, tc.body, bearer)
		e := errorOf(t, b)
		if status != 400 || e["param"] != tc.param || tc.code != "" && e["code"] != tc.code || !strings.Contains(e["message"].(string), tc.msg) {
			t.Errorf("%d %s", status, b)
		}
	}
}

// A request writes only its latest four breakpoints but reads the
// prefix at any of the up to 80 it carries: a conversation that re-sends
// its earlier turns' breakpoints reads the prefix an earlier request
// wrote at one of them, past the four latest.
func TestExplicitCacheReadsEarlierTurns(t *testing.T) {
	url, hc := start(t, New(sim.NewCatalog(sim.Profile{Model: "gpt-5.6-sol"}), nil))
	chat := url + "/v1/chat/completions"
	long := strings.Repeat("Every deploy needs a reviewed change and a rollback plan. ", 200)
	turns := func(texts ...string) string {
		var msgs []string
		for i, text := range texts {
			if i > 0 {
				msgs = append(msgs, `{"role":"assistant","content":"ok"}`)
			}
			msgs = append(msgs, `{"role":"user","content":[{"type":"text","text":"`+text+`","prompt_cache_breakpoint":{"mode":"explicit"}}]}`)
		}
		return `{"model":"gpt-5.6-sol","messages":[` + strings.Join(msgs, ",") + `],"prompt_cache_options":{"mode":"explicit"}}`
	}
	send := func(texts ...string) (cached, written int) {
		t.Helper()
		status, _, b := do(t, hc, "POST", chat, turns(texts...), bearer)
		if status != 200 {
			t.Fatalf("%d %s", status, b)
		}
		_, cached, written = usageOf(t, b)
		return cached, written
	}
	first := []string{long, "q1", "q2", "q3", "q4", "q5"}
	_, written := send(first...)
	if written < sim.MinCachedTokens {
		t.Fatalf("first: written %d", written)
	}
	// The first two breakpoints were not written (beyond the latest four).
	if cached, _ := send(long, "q1", "other"); cached != 0 {
		t.Errorf("a prefix at a breakpoint beyond the latest four was written: %d cached", cached)
	}
	// Four turns later the first request's last breakpoint is the fifth
	// latest: the whole prefix it wrote is read.
	if cached, _ := send(append(first, "q6", "q7", "q8", "q9")...); cached != written {
		t.Errorf("four turns later: %d cached, want %d", cached, written)
	}
}
