package openai

import (
	"strconv"
	"strings"
	"testing"

	"switchyard/llm"
)

// A part's prompt_cache_breakpoint becomes its breakpoint with the
// lifetime it asks for: the request's (Cache5m, the default) without a
// ttl, 30m or 12h as named; a malformed one is a 400 at its path; the
// latest llm.MaxCacheMatchBreakpoints of a request are kept (OpenAI
// matches a conversation's earlier turns at theirs).
func TestCacheBreakpoints(t *testing.T) {
	for raw, want := range map[string]llm.CacheTTL{``: llm.NoCache, `null`: llm.NoCache, `{}`: llm.Cache5m, `{"mode":"explicit"}`: llm.Cache5m,
		`{"mode":"explicit","ttl":"30m"}`: llm.Cache30m, `{"ttl":"12h"}`: llm.Cache12h} {
		if got, err := CacheBreakpoint([]byte(raw)); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{`{"mode":"implicit"}`, `{"ttl":"5m"}`, `{"mode":"explicit","x":1}`, `true`, `[]`} {
		if _, err := CacheBreakpoint([]byte(raw)); err == nil {
			t.Errorf("%s: no error", raw)
		}
	}
	_, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a","prompt_cache_breakpoint":{"ttl":"1d"}}]}]}`))
	if e := llm.AsError(err); e == nil || e.Param != "messages[0].content[0].prompt_cache_breakpoint" || !strings.Contains(e.Message, "'30m' or '12h'") {
		t.Errorf("bad ttl: %v", err)
	}
	for _, n := range []int{6, llm.MaxCacheMatchBreakpoints + 2} {
		var parts []string
		for i := range n {
			parts = append(parts, `{"type":"text","text":"p`+strconv.Itoa(i)+`","prompt_cache_breakpoint":{}}`)
		}
		r, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"system","content":[` + strings.Join(parts[:2], ",") + `]},{"role":"user","content":[` + strings.Join(parts[2:], ",") + `]}]}`))
		if err != nil {
			t.Fatal(err)
		}
		want := min(n, llm.MaxCacheMatchBreakpoints)
		if got := r.CacheBreakpoints(); got != want || (r.Messages[0].Content[0].Cache() != llm.NoCache) != (n <= want) || r.Messages[1].Content[0].Cache() != llm.Cache5m {
			t.Errorf("%d breakpoints: %d kept, want the latest %d", n, got, want)
		}
	}
}

// explicitCacheRequest carries breakpoints of every lifetime on a text,
// an image and a tool result, and prompt_cache_options, to a model that
// takes them.
const explicitCacheRequest = `{"model":"gpt-5.6-sol","messages":[` +
	`{"role":"system","content":[{"type":"text","text":"rules","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}}]},` +
	`{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://x/y.png"},"prompt_cache_breakpoint":{"mode":"explicit"}},{"type":"text","text":"q"}]},` +
	`{"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"r","prompt_cache_breakpoint":{"mode":"explicit","ttl":"30m"}}]}],` +
	`"prompt_cache_options":{"mode":"explicit","ttl":"30m"}}`

// prompt_cache_options is kept as sent (mode, ttl) and checked as Chat
// Completions checks it: ttl only 30m, no other member.
func TestDecodeCacheOptions(t *testing.T) {
	r, err := DecodeChatRequest([]byte(explicitCacheRequest))
	if err != nil {
		t.Fatal(err)
	}
	if want := (llm.CacheOptions{Mode: llm.CacheExplicit, TTL: llm.Cache30m}); r.PromptCache != want || r.Extra["prompt_cache_options"] != nil {
		t.Errorf("options %+v, extra %s", r.PromptCache, r.Extra["prompt_cache_options"])
	}
	if c := r.Messages; c[0].Content[0].Cache() != llm.Cache12h || c[1].Content[0].Cache() != llm.Cache5m || c[2].Content[0].Cache() != llm.Cache30m {
		t.Errorf("lifetimes %+v", c)
	}
	for body, want := range map[string][2]string{
		`{"ttl":"12h"}`:  {"prompt_cache_options.ttl", "Invalid value for 'prompt_cache_options.ttl': '12h'. Supported values are: '30m'."},
		`{"mode":"x"}`:   {"prompt_cache_options.mode", "Supported values are: 'implicit' and 'explicit'."},
		`{"size":1}`:     {"prompt_cache_options.size", "Unrecognized request argument supplied: prompt_cache_options.size"},
		`{"mode":1}`:     {"prompt_cache_options.mode", "string"},
		`"explicit"`:     {"prompt_cache_options", "object"},
		`{"ttl":"30m",}`: {"", ""},
	} {
		_, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"prompt_cache_options":` + body + `}`))
		e := llm.AsError(err)
		if e == nil || e.Param != want[0] && want[0] != "" || !strings.Contains(e.Message, want[1]) {
			t.Errorf("%s: %v (param %q)", body, err, e.Param)
		}
	}
	if r, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"prompt_cache_options":null}`)); err != nil || !r.PromptCache.IsZero() {
		t.Errorf("null: %+v, %v", r, err)
	}
}

// ExplicitCacheModel knows GPT-5.6 and later, whatever their suffix or
// a host's vendor prefix, and nothing older or of another family.
func TestExplicitCacheModel(t *testing.T) {
	for model, want := range map[string]bool{
		"gpt-5.6-sol": true, "gpt-5.6": true, "GPT-5.6-Luna": true, "gpt-6": true, "gpt-6.2-astra-2026-11-01": true,
		"openai/gpt-6-luna": true, "gpt-5.10-x": true, "gpt-7": true,
		"gpt-5.5": false, "gpt-5": false, "gpt-5.5-pro": false, "gpt-4o": false, "gpt-4.1": false, "o3": false,
		"claude-sonnet-5": false, "": false, "gpt-oss-120b": false, "gpt-6x": false,
	} {
		if got := ExplicitCacheModel(model); got != want {
			t.Errorf("%q: %v, want %v", model, got, want)
		}
	}
}

// A model that takes explicit caching is sent the parts' breakpoints and
// the options, byte for byte as the spec spells them: the client's ttl,
// none for a Claude client's lifetimes, the request's 12 hours on the
// breakpoints that name none (Chat Completions takes 12h there only),
// the latest llm.MaxCacheMatchBreakpoints (OpenAI writes the latest four
// of them and matches at all); an Azure deployment is read by its base model. An
// older model is sent neither.
func TestEncodeCacheBreakpoints(t *testing.T) {
	r, err := DecodeChatRequest([]byte(explicitCacheRequest))
	if err != nil {
		t.Fatal(err)
	}
	body, err := EncodeChatRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"type":"text","text":"rules","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}}`,
		`{"type":"image_url","image_url":{"url":"https://x/y.png"},"prompt_cache_breakpoint":{"mode":"explicit"}},{"type":"text","text":"q"}`,
		`"content":[{"type":"text","text":"r","prompt_cache_breakpoint":{"mode":"explicit","ttl":"30m"}}]`,
		`,"prompt_cache_options":{"mode":"explicit","ttl":"30m"}}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}

	old := *r
	old.Model = "gpt-5.5"
	if body, _ := EncodeChatRequest(&old); strings.Contains(string(body), "prompt_cache") {
		t.Errorf("gpt-5.5 sent %s", body)
	}
	azure := old
	azure.Model, azure.BaseModel = "my-deployment", "gpt-6-luna"
	if body, _ := EncodeChatRequest(&azure); !strings.Contains(string(body), `"prompt_cache_breakpoint"`) {
		t.Errorf("Azure deployment of gpt-6-luna sent %s", body)
	}

	// A Claude client's breakpoints (on string content, five of them, all
	// sent) and a Responses client's 12-hour options.
	claude := &llm.Request{Model: "gpt-6-sol", PromptCache: llm.CacheOptions{TTL: llm.Cache12h}}
	for i, ttl := range []llm.CacheTTL{llm.Cache1h, llm.Cache1h, llm.Cache5m, llm.Cache5m, llm.Cache30m} {
		m := llm.TextMessage(llm.RoleUser, "t"+strconv.Itoa(i))
		m.StringContent = true
		m.Content[0].SetCache(ttl)
		claude.Messages = append(claude.Messages, m)
	}
	body, err = EncodeChatRequest(claude)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`{"role":"user","content":[{"type":"text","text":"t0","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}}]}`,
		`{"role":"user","content":[{"type":"text","text":"t1","prompt_cache_breakpoint":{"mode":"explicit","ttl":"12h"}}]}`,
		`"text":"t4","prompt_cache_breakpoint":{"mode":"explicit","ttl":"30m"}}`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("body lacks %s:\n%s", want, body)
		}
	}
	if strings.Contains(string(body), "prompt_cache_options") {
		t.Errorf("12h-only options written: %s", body)
	}

	// Beyond the latest llm.MaxCacheMatchBreakpoints, the earliest are left
	// out (a canonical request built by the router may carry more).
	many := &llm.Request{Model: "gpt-6-sol"}
	for i := range llm.MaxCacheMatchBreakpoints + 1 {
		m := llm.TextMessage(llm.RoleUser, "t"+strconv.Itoa(i))
		m.StringContent = true
		m.Content[0].SetCache(llm.Cache30m)
		many.Messages = append(many.Messages, m)
	}
	if body, err = EncodeChatRequest(many); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(body), `"prompt_cache_breakpoint"`); n != llm.MaxCacheMatchBreakpoints || !strings.Contains(string(body), `{"role":"user","content":"t0"}`) {
		t.Errorf("%d breakpoints sent, want the latest %d: %.200s", n, llm.MaxCacheMatchBreakpoints, body)
	}
}

// A file part kept as sent carries the client's prompt_cache_breakpoint
// to a model that takes it, and loses it for one that does not (so does
// an audio part, kept whole).
func TestRawPartBreakpoint(t *testing.T) {
	const body = `{"model":"%s","messages":[{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0xLjQK"},"prompt_cache_breakpoint":{"mode":"explicit"}},{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"},"prompt_cache_breakpoint":{"mode":"explicit"}}]}]}`
	for model, n := range map[string]int{"gpt-6-sol": 2, "gpt-4o": 0} {
		r, err := DecodeChatRequest([]byte(strings.Replace(body, "%s", model, 1)))
		if err != nil {
			t.Fatal(err)
		}
		out, err := EncodeChatRequest(r)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Count(string(out), `"prompt_cache_breakpoint":{"mode":"explicit"}`); got != n || !strings.Contains(string(out), `"file_data":"data:application/pdf;base64,JVBERi0xLjQK"`) {
			t.Errorf("%s: %d breakpoints, want %d: %s", model, got, n, out)
		}
	}
	// The key spelled with a \u escape (valid JSON) is the same member,
	// which a model without it must not get (an unknown parameter).
	escaped := strings.ReplaceAll(strings.Replace(body, "%s", "gpt-4o", 1), `"prompt_cache_breakpoint"`, `"prompt_cache_\u0062reakpoint"`)
	r, err := DecodeChatRequest([]byte(escaped))
	if err != nil {
		t.Fatal(err)
	}
	out, err := EncodeChatRequest(r)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(out), "prompt_cache_") {
		t.Errorf("key escaped: breakpoints sent to gpt-4o: %s", out)
	}
}

// An Anthropic cache_control on a part (LiteLLM's and OpenRouter's way
// to mark Claude's breakpoints) is a breakpoint of its lifetime; a
// prompt_cache_breakpoint beside it wins; a malformed one is a 400 at
// its path.
func TestCacheControlBreakpoints(t *testing.T) {
	for raw, want := range map[string]llm.CacheTTL{`null`: llm.NoCache, `{"type":"ephemeral"}`: llm.Cache5m,
		`{"type":"ephemeral","ttl":"5m"}`: llm.Cache5m, `{"type":"ephemeral","ttl":"1h"}`: llm.Cache1h} {
		if got, err := CacheControlBreakpoint([]byte(raw)); err != nil || got != want {
			t.Errorf("%s: %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{`{}`, `{"type":"persistent"}`, `{"type":"ephemeral","ttl":"30m"}`, `{"type":"ephemeral","x":1}`, `true`} {
		if _, err := CacheControlBreakpoint([]byte(raw)); err == nil {
			t.Errorf("%s: no error", raw)
		}
	}
	req, err := DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"system","content":[{"type":"text","text":"s","cache_control":{"type":"ephemeral","ttl":"1h"}}]},` +
		`{"role":"user","content":[{"type":"text","text":"u","cache_control":{"type":"ephemeral"},"prompt_cache_breakpoint":{"ttl":"12h"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if s, u := req.Messages[0].Content[0].Cache(), req.Messages[1].Content[0].Cache(); s != llm.Cache1h || u != llm.Cache12h {
		t.Errorf("breakpoints %q, %q", s, u)
	}
	_, err = DecodeChatRequest([]byte(`{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a","cache_control":{"type":"ephemeral","ttl":"2h"}}]}]}`))
	if e := llm.AsError(err); e == nil || e.Param != "messages[0].content[0].cache_control" {
		t.Errorf("bad ttl: %v", err)
	}
}
