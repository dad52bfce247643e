package e2e

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
)

// An OpenAI client's explicit prompt-cache breakpoints (prompt_cache_breakpoint
// on content parts) become Claude's cache_control on those blocks — an
// hour for one that asks for 30 minutes or more, five minutes without a
// ttl — so the second request reads the prefix from Claude's cache, which
// the usage and the cost show; an OpenAI deployment is sent none.
func TestOpenAICacheBreakpointsOnClaude(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	long := strings.Repeat("The handbook says every deploy needs a reviewed change and a rollback plan. ", 300)
	system := openai.ChatCompletionMessageParamUnion{OfSystem: &openai.ChatCompletionSystemMessageParam{
		Content: openai.ChatCompletionSystemMessageParamContentUnion{OfArrayOfContentParts: []openai.ChatCompletionContentPartTextParam{
			{Text: long, PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Ttl: "30m"}},
		}}}}
	user := openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{{OfText: &openai.ChatCompletionContentPartTextParam{
		Text: "What does a deploy need?", PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Mode: "explicit"}}}})
	params := openai.ChatCompletionNewParams{Model: "claude-sonnet-4-5", Messages: []openai.ChatCompletionMessageParamUnion{system, user}}
	first, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	var sent struct {
		System []struct {
			CacheControl *struct{ Type, TTL string } `json:"cache_control"`
		} `json:"system"`
		Messages []struct {
			Content []struct {
				CacheControl *struct{ Type, TTL string } `json:"cache_control"`
			} `json:"content"`
		} `json:"messages"`
	}
	if err := json.Unmarshal(mustJSON(tp.lastBody(t, "/v1/messages")), &sent); err != nil {
		t.Fatal(err)
	}
	if len(sent.System) != 1 || sent.System[0].CacheControl == nil || sent.System[0].CacheControl.TTL != "1h" ||
		len(sent.Messages) != 1 || sent.Messages[0].Content[0].CacheControl == nil || sent.Messages[0].Content[0].CacheControl.TTL != "" {
		t.Fatalf("sent to Claude: %s", mustJSON(tp.lastBody(t, "/v1/messages")))
	}
	secondTurnCached(t, e, tp, params, first, "prompt_cache_breakpoint")
}

// Clients written for LiteLLM and OpenRouter mark Claude's breakpoints in
// Chat Completions requests with Anthropic's own cache_control on a
// content part ({"type":"ephemeral"}, an optional ttl "1h"); the router
// reads it as a breakpoint, so Claude caches the prefix (peers that
// dropped it: maximhq/bifrost#2469, mozilla-ai/any-llm#1110,
// OpenHands/OpenHands#8692), and no OpenAI deployment is sent it.
func TestChatCacheControlOnClaude(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	long := openai.ChatCompletionContentPartTextParam{Text: strings.Repeat("Every deploy needs a reviewed change and a rollback plan. ", 300)}
	long.SetExtraFields(map[string]any{"cache_control": map[string]any{"type": "ephemeral", "ttl": "1h"}})
	question := openai.ChatCompletionContentPartTextParam{Text: "What does a deploy need?"}
	question.SetExtraFields(map[string]any{"cache_control": map[string]any{"type": "ephemeral"}})
	params := openai.ChatCompletionNewParams{Model: "claude-haiku-4-5", Messages: []openai.ChatCompletionMessageParamUnion{
		{OfSystem: &openai.ChatCompletionSystemMessageParam{Content: openai.ChatCompletionSystemMessageParamContentUnion{
			OfArrayOfContentParts: []openai.ChatCompletionContentPartTextParam{long}}}},
		openai.UserMessage([]openai.ChatCompletionContentPartUnionParam{{OfText: &question}}),
	}}
	first, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	sent := mustJSON(tp.lastBody(t, "/v1/messages"))
	if !strings.Contains(string(sent), `"cache_control":{"type":"ephemeral","ttl":"1h"}}]`) || !strings.Contains(string(sent), `"text":"What does a deploy need?","cache_control":{"type":"ephemeral"}}`) {
		t.Fatalf("sent to Claude: %.200s…%.300s", sent, sent[len(sent)-300:])
	}
	secondTurnCached(t, e, tp, params, first, "cache_control")
}

// secondTurnCached asks params again, as first was asked of a Claude
// deployment, and checks that it read the cache first wrote; then asks
// gpt-4o-mini, which must not be sent marker.
func secondTurnCached(t *testing.T, e *env, tp *tap, params openai.ChatCompletionNewParams, first *openai.ChatCompletion, marker string) {
	t.Helper()
	second, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	if first.Usage.PromptTokensDetails.CachedTokens != 0 || second.Usage.PromptTokensDetails.CachedTokens < 1000 {
		t.Errorf("cached tokens: first %d, second %d", first.Usage.PromptTokensDetails.CachedTokens, second.Usage.PromptTokensDetails.CachedTokens)
	}
	params.Model = "gpt-4o-mini"
	if _, err := e.Client.Chat.Completions.New(ctxT(t), params); err != nil {
		t.Fatal(err)
	}
	if body := mustJSON(tp.lastBody(t, "/chat/completions")); strings.Contains(string(body), marker) {
		t.Errorf("an OpenAI deployment was sent the breakpoints: %.300s", body)
	}
}
