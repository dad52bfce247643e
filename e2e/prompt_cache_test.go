package e2e

import (
	"errors"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/record"
	"switchyard/sim"
)

// Prompt caching through the router, on a route served by the Anthropic
// simulator (which caches as the API documents) with prompt_cache: auto.
// The demo prices claude-sonnet-4-5 at $3 input, $0.30 cache reads, $3.75
// 5-minute and $6 (twice the input) 1-hour cache writes and $15 output per
// 1M tokens; the simulator counts a block's tokens as sim.CountTokens.

// cachedRoute is the route of these tests: claude-sonnet-4-5 alone, whose
// minimum cacheable prompt is 1,024 tokens.
const cachedRoute = "cached"

func newCacheEnv(t *testing.T) *env {
	return newEnv(t, func(c *config.Config) {
		c.Providers["anthropic"].PromptCache = config.PromptCacheAuto
		c.Routes[cachedRoute] = &config.Route{Name: cachedRoute, Deployments: []string{"claude-sonnet-4-5"}}
	})
}

// sonnetCost is the cost of a request on claude-sonnet-4-5 in USD.
func sonnetCost(input, read, write5m, write1h, output int64) float64 {
	return (float64(input)*3 + float64(read)*0.30 + float64(write5m)*3.75 + float64(write1h)*6 + float64(output)*15) / 1e6
}

// costHeader returns the x-switchyard-cost-usd of an answer, checked
// against want.
func costHeader(t *testing.T, h http.Header, want float64) float64 {
	t.Helper()
	got, err := strconv.ParseFloat(h.Get("x-switchyard-cost-usd"), 64)
	if err != nil || math.Abs(got-want) > 1e-12 {
		t.Errorf("x-switchyard-cost-usd %q, want %.12f", h.Get("x-switchyard-cost-usd"), want)
	}
	if d := h.Get("x-switchyard-deployment"); d != "claude-sonnet-4-5" {
		t.Errorf("served by %q", d)
	}
	return got
}

// An OpenAI client cannot mark breakpoints; with prompt_cache: auto the
// router marks the system prompt, so the second request with the same
// system prompt reads it from the cache and costs less. On a later turn
// the router's breakpoint on the conversation so far is read back too.
func TestPromptCacheOpenAIClient(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t)
	system := strings.Repeat("You are the timetable clerk of a railway; answer from the timetable. ", 90)
	question := "When does the first train leave?"
	params := openai.ChatCompletionNewParams{Model: cachedRoute, Messages: []openai.ChatCompletionMessageParamUnion{
		openai.SystemMessage(system), openai.UserMessage(question),
	}}
	w, q := int64(sim.CountTokens(system)), int64(sim.CountTokens(question))
	var costs [2]float64
	for i := range costs {
		var resp *http.Response
		c, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatal(err)
		}
		u := c.Usage
		read, write := w*int64(i), w*int64(1-i) // the first writes the system prompt, the second reads it
		if u.PromptTokens != w+q || u.PromptTokensDetails.CachedTokens != read || u.PromptTokensDetails.CacheWriteTokens != write {
			t.Errorf("request %d: usage %+v, want %d prompt tokens, %d cached, %d written", i+1, u, w+q, read, write)
		}
		costs[i] = costHeader(t, resp.Header, sonnetCost(q, read, write, 0, u.CompletionTokens)) - float64(u.CompletionTokens)*15/1e6
	}
	if costs[1] >= costs[0] {
		t.Errorf("the prompt cost $%.8f from the cache, $%.8f the first time", costs[1], costs[0])
	}
	// Streamed, the usage chunk reports the cached tokens too.
	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	stream.Close()
	if got := acc.Usage.PromptTokensDetails.CachedTokens; got != w || acc.Usage.PromptTokens != w+q {
		t.Errorf("streamed usage %+v, want %d cached", acc.Usage, w)
	}
	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{}

	// A conversation: the router also marks the turn before the last
	// question, which the next request reads back.
	answer := "At six."
	turn2 := append(params.Messages, openai.AssistantMessage(answer), openai.UserMessage("And the last?"))
	if _, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: cachedRoute, Messages: turn2}); err != nil {
		t.Fatal(err)
	}
	turn3 := append(turn2, openai.AssistantMessage("At midnight."), openai.UserMessage("Thanks."))
	c, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{Model: cachedRoute, Messages: turn3})
	if err != nil {
		t.Fatal(err)
	}
	history := w + q + int64(sim.CountTokens(answer)) // what turn 2 wrote at its last assistant turn
	if got := c.Usage.PromptTokensDetails.CachedTokens; got != history {
		t.Errorf("turn 3 read %d cached tokens, want turn 2's %d", got, history)
	}
}

// An Anthropic client marks its own breakpoints, here a one-hour one, and
// gets Anthropic's usage fields back, complete and streamed; one that
// marks none gets none added, prompt_cache: auto or not.
func TestPromptCacheAnthropicClient(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t)
	c := anthropicClient(e, "demo-key")
	system := strings.Repeat("You are the lighthouse keeper's log; answer as the log would. ", 90)
	question := "Any ships tonight?"
	hour := sdk.NewCacheControlEphemeralParam()
	hour.TTL = sdk.CacheControlEphemeralTTLTTL1h
	params := userMessage(cachedRoute, question, 200)
	params.System = []sdk.TextBlockParam{{Text: system, CacheControl: hour}}
	w, q := int64(sim.CountTokens(system)), int64(sim.CountTokens(question))

	var resp *http.Response
	first, err := c.Messages.New(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	u := first.Usage
	if u.InputTokens != q || u.CacheCreationInputTokens != w || u.CacheCreation.Ephemeral1hInputTokens != w ||
		u.CacheCreation.Ephemeral5mInputTokens != 0 || u.CacheReadInputTokens != 0 {
		t.Errorf("first usage %+v, want %d one-hour writes, %d input", u, w, q)
	}
	written := costHeader(t, resp.Header, sonnetCost(q, 0, 0, w, u.OutputTokens)) - float64(u.OutputTokens)*15/1e6

	stream := c.Messages.NewStreaming(ctxT(t), params, sdkoption.WithResponseInto(&resp))
	acc := accumulateMessage(t, stream)
	if v := acc.Usage; v.InputTokens != q || v.CacheReadInputTokens != w || v.CacheCreationInputTokens != 0 {
		t.Errorf("streamed second usage %+v, want %d read", v, w)
	}
	read := sonnetCost(q, w, 0, 0, acc.Usage.OutputTokens) - float64(acc.Usage.OutputTokens)*15/1e6
	if read >= written {
		t.Errorf("the prompt cost $%.8f from the cache, $%.8f written", read, written)
	}
	records := e.recorded(t, 2)
	i := slices.IndexFunc(records, func(r record.Record) bool { return r.Usage.CachedPromptTokens > 0 })
	if r := records[max(i, 0)]; i < 0 || r.Usage.CachedPromptTokens != int(w) ||
		math.Abs(r.ServedCostUSD-sonnetCost(q, w, 0, 0, acc.Usage.OutputTokens)) > 1e-12 {
		t.Errorf("record of the cached request: usage %+v, served cost %.12f", r.Usage, r.ServedCostUSD)
	}

	// No breakpoint of its own: the router adds none for this client.
	params.System[0].CacheControl = sdk.CacheControlEphemeralParam{}
	params.Messages = []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Fog?"))}
	for i := 0; i < 2; i++ {
		m, err := c.Messages.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		if m.Usage.CacheCreationInputTokens != 0 || m.Usage.CacheReadInputTokens != 0 {
			t.Errorf("unmarked request %d: usage %+v", i+1, m.Usage)
		}
	}
}

// Breakpoints mean nothing to other wire formats: a request that marks
// them is answered by every deployment, and the other simulators cache
// its repeated prefix on their own. (The system prompt is over 4,096
// tokens, Claude Haiku 4.5's minimum cacheable length.)
func TestPromptCacheBreakpointsOnOtherWireFormats(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t)
	c := anthropicClient(e, "demo-key")
	system := strings.Repeat("You are the harbour master; answer about the tides. ", 340)
	for _, dep := range chatDeployments {
		params := userMessage(dep, "High tide?", 100)
		params.System = []sdk.TextBlockParam{{Text: system, CacheControl: sdk.NewCacheControlEphemeralParam()}}
		var last *sdk.Message
		for i := 0; i < 2; i++ {
			m, err := c.Messages.New(ctxT(t), params)
			if err != nil {
				t.Fatalf("%s: %v", dep, err)
			}
			last = m
		}
		if last.Usage.CacheReadInputTokens == 0 {
			t.Errorf("%s: the second request read nothing from the cache: %+v", dep, last.Usage)
		}
	}
}

// More than four breakpoints are refused before routing, in Anthropic's
// error shape, as the API refuses them.
func TestPromptCacheTooManyBreakpoints(t *testing.T) {
	t.Parallel()
	e := newCacheEnv(t)
	c := anthropicClient(e, "demo-key")
	var blocks []sdk.ContentBlockParamUnion
	for i := 0; i < 5; i++ {
		b := sdk.NewTextBlock("part " + strconv.Itoa(i))
		b.OfText.CacheControl = sdk.NewCacheControlEphemeralParam()
		blocks = append(blocks, b)
	}
	_, err := c.Messages.New(ctxT(t), sdk.MessageNewParams{Model: cachedRoute, MaxTokens: 50,
		Messages: []sdk.MessageParam{sdk.NewUserMessage(blocks...)}})
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Type() != "invalid_request_error" ||
		!strings.Contains(apiErr.Error(), "A maximum of 4 blocks with cache_control may be provided. Found 5.") {
		t.Errorf("five breakpoints: %v", err)
	}
}
