package e2e

import (
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/sim"
)

// An agent's conversation re-sent turn after turn with the breakpoints
// of every earlier turn: each turn brings four parts, each with a
// breakpoint (the files it attaches), so an earlier turn's last
// breakpoint is past the latest four. The router keeps them all (up to
// 80) and gpt-5.6-sol matches at them: every turn reads the whole prefix
// the turns before it wrote.

// turnParts are the texts of turn n's four parts.
func turnParts(n int) []string {
	var out []string
	for i := range 4 {
		out = append(out, "Turn "+strconv.Itoa(n)+", file "+strconv.Itoa(i)+": the deploy log says all is well.")
	}
	return out
}

// Three Chat Completions turns: each is sent every breakpoint so far and
// reads the prefix the previous turns wrote (cached_tokens). The third
// turn's conversation sent to a Claude deployment carries the latest
// four, the most Anthropic takes.
func TestExplicitCacheChatTurns(t *testing.T) {
	t.Parallel()
	e, tp, sol := newExplicitCacheEnv(t)
	msgs := []openai.ChatCompletionMessageParamUnion{{OfSystem: &openai.ChatCompletionSystemMessageParam{
		Content: openai.ChatCompletionSystemMessageParamContentUnion{OfArrayOfContentParts: []openai.ChatCompletionContentPartTextParam{
			{Text: strings.Repeat(handbook, 300), PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Mode: "explicit"}},
		}}}}}
	var prefix int64 // the prefix written so far
	for turn := range 3 {
		var parts []openai.ChatCompletionContentPartUnionParam
		for _, text := range turnParts(turn) {
			parts = append(parts, openai.ChatCompletionContentPartUnionParam{OfText: &openai.ChatCompletionContentPartTextParam{Text: text, PromptCacheBreakpoint: openai.ChatCompletionContentPartTextPromptCacheBreakpointParam{Mode: "explicit"}}})
		}
		msgs = append(msgs, openai.UserMessage(parts))
		c, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "gpt-5.6-sol", Messages: msgs,
			PromptCacheOptions: openai.ChatCompletionNewParamsPromptCacheOptions{Mode: "explicit"}})
		if err != nil {
			t.Fatal(err)
		}
		if n, want := strings.Count(string(mustJSON(sol.lastBody(t, "/chat/completions"))), `"prompt_cache_breakpoint"`), 1+4*(turn+1); n != want {
			t.Errorf("turn %d sent %d breakpoints, want %d", turn+1, n, want)
		}
		d := c.Usage.PromptTokensDetails
		if d.CachedTokens != prefix || d.CacheWriteTokens == 0 {
			t.Errorf("turn %d: cached %d, wrote %d; want %d cached", turn+1, d.CachedTokens, d.CacheWriteTokens, prefix)
		}
		prefix += d.CacheWriteTokens
		msgs = append(msgs, openai.AssistantMessage(c.Choices[0].Message.Content))
	}
	if prefix < int64(sim.MinCachedTokens) {
		t.Errorf("%d tokens cached in all", prefix)
	}
	msgs = append(msgs, openai.UserMessage("And now?"))
	if _, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: "claude-sonnet-4-5", Messages: msgs}); err != nil {
		t.Fatalf("Claude: %v", err)
	}
	if n := strings.Count(string(mustJSON(tp.lastBody(t, "/v1/messages"))), `"cache_control"`); n != 4 {
		t.Errorf("Claude was sent %d breakpoints, want 4", n)
	}
}

// Three Responses turns (store false, the input re-sent), the last
// streamed: each reads the prefix the previous turns wrote, and the
// answer says the prompt_cache_options applied and its writes by
// lifetime, read back through openai-go, with every field it requires.
func TestExplicitCacheResponsesTurns(t *testing.T) {
	t.Parallel()
	e, _, _ := newExplicitCacheEnv(t)
	input := responses.ResponseInputParam{responses.ResponseInputItemParamOfMessage(responses.ResponseInputMessageContentListParam{
		{OfInputText: &responses.ResponseInputTextParam{Text: strings.Repeat(handbook, 300), PromptCacheBreakpoint: responses.ResponseInputTextPromptCacheBreakpointParam{Mode: "explicit"}}},
	}, responses.EasyInputMessageRoleDeveloper)}
	var prefix int64
	for turn := range 3 {
		var parts responses.ResponseInputMessageContentListParam
		for _, text := range turnParts(turn) {
			parts = append(parts, responses.ResponseInputContentUnionParam{OfInputText: &responses.ResponseInputTextParam{Text: text, PromptCacheBreakpoint: responses.ResponseInputTextPromptCacheBreakpointParam{Mode: "explicit"}}})
		}
		input = append(input, responses.ResponseInputItemParamOfMessage(parts, responses.EasyInputMessageRoleUser))
		params := responses.ResponseNewParams{Model: "gpt-5.6-sol", Input: responses.ResponseNewParamsInputUnion{OfInputItemList: input}, Store: openai.Bool(false),
			PromptCacheOptions: responses.ResponseNewParamsPromptCacheOptions{Ttl: "30m"}}
		r := responseTurn(t, e, params, turn == 2)
		checkRequired(t, "turn "+strconv.Itoa(turn+1), r.RawJSON(), reflect.TypeOf(responses.Response{}))
		if o := r.PromptCacheOptions; o.Mode != "implicit" || o.Ttl != "30m" {
			t.Errorf("turn %d: prompt_cache_options %s", turn+1, o.RawJSON())
		}
		d := r.Usage.InputTokensDetails
		checkRequired(t, "cache_write_tokens_details", d.CacheWriteTokensDetails.RawJSON(), reflect.TypeOf(d.CacheWriteTokensDetails))
		if w := d.CacheWriteTokensDetails; d.CachedTokens != prefix || d.CacheWriteTokens == 0 || w.Ttl30mTokens != d.CacheWriteTokens || w.Ttl12hTokens != 0 {
			t.Errorf("turn %d: usage %s; want %d cached", turn+1, r.Usage.RawJSON(), prefix)
		}
		prefix += d.CacheWriteTokens
		input = append(input, responses.ResponseInputItemParamOfMessage(r.OutputText(), responses.EasyInputMessageRoleAssistant))
	}
}

// responseTurn creates the response of params, streamed or not, and
// returns it (the response.completed event's when streamed).
func responseTurn(t *testing.T, e *env, params responses.ResponseNewParams, stream bool) *responses.Response {
	t.Helper()
	if !stream {
		r, err := e.Client.Responses.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	s := e.Client.Responses.NewStreaming(ctxT(t), params)
	var done *responses.Response
	for s.Next() {
		if ev := s.Current(); ev.Type == "response.completed" {
			r := ev.Response
			done = &r
		}
	}
	if err := s.Err(); err != nil || done == nil {
		t.Fatalf("stream: %v, completed %v", err, done != nil)
	}
	return done
}
