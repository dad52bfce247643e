package e2e

import (
	"encoding/json"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/sim"
	simopenai "switchyard/sim/openai"
)

// Explicit prompt caching on an OpenAI model that takes it (GPT-5.6 and
// later): the catalog prices gpt-5.6-sol at $5 input, $0.50 cached
// input, $6.25 a 30-minute cache write, $12.50 a 12-hour one (2.5x
// input) and $30 output per 1M tokens.

// newExplicitCacheEnv is newTapEnv (the demo's providers behind tp) plus
// deployment "gpt-5.6-sol", on an OpenAI simulator of its own behind
// tap sol, priced from the catalog.
func newExplicitCacheEnv(t *testing.T) (e *env, tp, sol *tap) {
	sol = &tap{}
	srv := httptest.NewServer(sol.wrap(simopenai.New(sim.NewCatalog(sim.Profile{Model: "gpt-5.6-sol"}), nil)))
	t.Cleanup(srv.Close)
	e, tp = newTapEnv(t, func(c *config.Config) {
		c.Providers["openai-sol"] = &config.Provider{Name: "openai-sol", Kind: config.KindOpenAI, BaseURL: srv.URL + "/v1", APIKey: "sk-sim"}
		c.Deployments["gpt-5.6-sol"] = &config.Deployment{Name: "gpt-5.6-sol", Provider: "openai-sol", Model: "gpt-5.6-sol"}
	})
	return e, tp, sol
}

// solCost is the cost in USD of a request on gpt-5.6-sol whose writes
// are 12-hour ones.
func solCost(prompt, read, write12h, output int64) float64 {
	return (float64(prompt-read-write12h)*5 + float64(read)*0.5 + float64(write12h)*12.5 + float64(output)*30) / 1e6
}

// checkCost compares an answer's x-switchyard-cost-usd with want.
func checkCost(t *testing.T, h http.Header, want float64) {
	t.Helper()
	got, err := strconv.ParseFloat(h.Get("x-switchyard-cost-usd"), 64)
	if err != nil || math.Abs(got-want) > 1e-9 {
		t.Errorf("x-switchyard-cost-usd %q, want %.9f", h.Get("x-switchyard-cost-usd"), want)
	}
}

// upstreamMember returns the JSON of member path (keys, and indexes as
// numbers) of body.
func upstreamMember(t *testing.T, body map[string]json.RawMessage, path ...any) string {
	t.Helper()
	var v any
	if err := json.Unmarshal(mustJSON(body), &v); err != nil {
		t.Fatal(err)
	}
	for _, p := range path {
		switch k := p.(type) {
		case string:
			m, _ := v.(map[string]any)
			v = m[k]
		case int:
			a, _ := v.([]any)
			if k >= len(a) {
				return ""
			}
			v = a[k]
		}
	}
	if v == nil {
		return ""
	}
	return string(mustJSON(v))
}

const handbook = "The handbook says every deploy needs a reviewed change and a rollback plan. "

// A Chat Completions client's breakpoint (ttl 12h) and
// prompt_cache_options reach gpt-5.6-sol as sent; the second identical
// request reads the prefix from the cache; the first is billed its cache
// writes at the 12-hour price, the second its reads at the cached price.
func TestExplicitCacheChatOnGPT56(t *testing.T) {
	t.Parallel()
	e, _, sol := newExplicitCacheEnv(t)
	system := openai.ChatCompletionMessageParamUnion{OfSystem: &openai.ChatCompletionSystemMessageParam{
		Content: openai.ChatCompletionSystemMessageParamContentUnion{OfArrayOfContentParts: []openai.ChatCompletionContentPartTextParam{
			{Text: strings.Repeat(handbook, 300), PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Ttl: "12h"}},
		}}}}
	params := openai.ChatCompletionNewParams{Model: "gpt-5.6-sol", Messages: []openai.ChatCompletionMessageParamUnion{system, openai.UserMessage("What does a deploy need?")},
		PromptCacheOptions: openai.ChatCompletionNewParamsPromptCacheOptions{Mode: "explicit", Ttl: "30m"}}
	var written int64
	for i := range 2 {
		var resp *http.Response
		c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatal(err)
		}
		body := sol.lastBody(t, "/chat/completions")
		if bp, o := upstreamMember(t, body, "messages", 0, "content", 0, "prompt_cache_breakpoint"), upstreamMember(t, body, "prompt_cache_options"); bp != `{"mode":"explicit","ttl":"12h"}` || o != `{"mode":"explicit","ttl":"30m"}` {
			t.Fatalf("request %d sent breakpoint %s, options %s", i+1, bp, o)
		}
		u := c.Usage
		if i == 0 {
			written = u.PromptTokensDetails.CacheWriteTokens
			if written < int64(sim.MinCachedTokens) || u.PromptTokensDetails.CachedTokens != 0 {
				t.Fatalf("first usage %+v", u)
			}
			checkCost(t, resp.Header, solCost(u.PromptTokens, 0, written, u.CompletionTokens))
			continue
		}
		if u.PromptTokensDetails.CachedTokens != written || u.PromptTokensDetails.CacheWriteTokens != 0 {
			t.Errorf("second usage %+v, want %d cached", u, written)
		}
		checkCost(t, resp.Header, solCost(u.PromptTokens, written, 0, u.CompletionTokens))
	}
}

// A Responses client's breakpoint (no ttl) and prompt_cache_options ttl
// 12h reach gpt-5.6-sol's Chat Completions as the format takes them: the
// 12 hours on the breakpoint, the mode in the options; the second
// request reports the cached tokens in input_tokens_details, and the
// cost prices the writes at 12 hours.
func TestExplicitCacheResponsesOnGPT56(t *testing.T) {
	t.Parallel()
	e, _, sol := newExplicitCacheEnv(t)
	input := responses.ResponseNewParamsInputUnion{OfInputItemList: responses.ResponseInputParam{
		responses.ResponseInputItemParamOfMessage(responses.ResponseInputMessageContentListParam{
			{OfInputText: &responses.ResponseInputTextParam{Text: strings.Repeat(handbook, 300), PromptCacheBreakpoint: responses.ResponseInputTextPromptCacheBreakpointParam{Mode: "explicit"}}},
			{OfInputText: &responses.ResponseInputTextParam{Text: "What does a deploy need?"}},
		}, responses.EasyInputMessageRoleUser),
	}}
	params := responses.ResponseNewParams{Model: "gpt-5.6-sol", Input: input, Store: openai.Bool(false),
		PromptCacheOptions: responses.ResponseNewParamsPromptCacheOptions{Mode: "explicit", Ttl: "12h"}}
	var written int64
	for i := range 2 {
		var resp *http.Response
		r, err := e.Client.Responses.New(ctxT(t), params, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatal(err)
		}
		body := sol.lastBody(t, "/chat/completions")
		if bp, o := upstreamMember(t, body, "messages", 0, "content", 0, "prompt_cache_breakpoint"), upstreamMember(t, body, "prompt_cache_options"); bp != `{"mode":"explicit","ttl":"12h"}` || o != `{"mode":"explicit"}` {
			t.Fatalf("request %d sent breakpoint %s, options %s", i+1, bp, o)
		}
		u := r.Usage
		if i == 0 {
			written = u.InputTokensDetails.CacheWriteTokens
			if written < int64(sim.MinCachedTokens) || u.InputTokensDetails.CachedTokens != 0 {
				t.Fatalf("first usage %s", u.RawJSON())
			}
			checkCost(t, resp.Header, solCost(u.InputTokens, 0, written, u.OutputTokens))
			continue
		}
		if u.InputTokensDetails.CachedTokens != written {
			t.Errorf("second usage %s, want %d cached", u.RawJSON(), written)
		}
		checkCost(t, resp.Header, solCost(u.InputTokens, written, 0, u.OutputTokens))
	}
}

// An Anthropic client's cache_control routed to gpt-5.6-sol arrives as an
// explicit breakpoint, living the request's default lifetime (30
// minutes); the second request reads it.
func TestExplicitCacheAnthropicClientOnGPT56(t *testing.T) {
	t.Parallel()
	e, _, sol := newExplicitCacheEnv(t)
	c := anthropicClient(e, "demo-key")
	params := userMessage("gpt-5.6-sol", "What does a deploy need?", 200)
	params.System = []sdk.TextBlockParam{{Text: strings.Repeat(handbook, 300), CacheControl: sdk.NewCacheControlEphemeralParam()}}
	var created int64
	for i := range 2 {
		m, err := c.Messages.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		if bp := upstreamMember(t, sol.lastBody(t, "/chat/completions"), "messages", 0, "content", 0, "prompt_cache_breakpoint"); bp != `{"mode":"explicit"}` {
			t.Fatalf("request %d sent breakpoint %q", i+1, bp)
		}
		if i == 0 {
			created = m.Usage.CacheCreationInputTokens
		} else if m.Usage.CacheReadInputTokens != created || created < int64(sim.MinCachedTokens) {
			t.Errorf("second usage: read %d, first wrote %d", m.Usage.CacheReadInputTokens, created)
		}
	}
}

// An older model (gpt-4o-mini) is sent neither breakpoints nor
// prompt_cache_options, and the route header names them dropped, in the
// client's words.
func TestExplicitCacheDroppedForOlderModel(t *testing.T) {
	t.Parallel()
	e, tp, _ := newExplicitCacheEnv(t)
	system := openai.ChatCompletionMessageParamUnion{OfSystem: &openai.ChatCompletionSystemMessageParam{
		Content: openai.ChatCompletionSystemMessageParamContentUnion{OfArrayOfContentParts: []openai.ChatCompletionContentPartTextParam{
			{Text: "Be brief.", PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Ttl: "12h"}},
		}}}}
	var resp *http.Response
	_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-4o-mini",
		Messages:           []openai.ChatCompletionMessageParamUnion{system, openai.UserMessage("hi")},
		PromptCacheOptions: openai.ChatCompletionNewParamsPromptCacheOptions{Mode: "explicit"}}, option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if body := mustJSON(tp.lastBody(t, "/chat/completions")); strings.Contains(string(body), "prompt_cache") {
		t.Errorf("gpt-4o-mini was sent %.300s", body)
	}
	if r := resp.Header.Get("x-switchyard-route"); !strings.Contains(r, "dropped=prompt_cache_breakpoint,prompt_cache_options") {
		t.Errorf("route %q", r)
	}

	c := anthropicClient(e, "demo-key")
	params := userMessage("gpt-4o-mini", "hi", 50)
	params.System = []sdk.TextBlockParam{{Text: "Be brief.", CacheControl: sdk.NewCacheControlEphemeralParam()}}
	if _, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp)); err != nil {
		t.Fatal(err)
	}
	if r := resp.Header.Get("x-switchyard-route"); !strings.Contains(r, "dropped=cache_control") {
		t.Errorf("Anthropic client's route %q", r)
	}
}
