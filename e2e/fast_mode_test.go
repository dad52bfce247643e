package e2e

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
)

// Fast mode: an Anthropic client's speed "fast" (Claude Code's /fast)
// reaches a Claude deployment whose model has fast mode with the
// fast-mode beta, is read back in usage.speed and priced at the model's
// fast-mode prices; to another model it is not sent and named dropped.

// opus55USD is what Claude Opus 5.5 charges for the usage, at $4/$20 per
// 1M tokens, times factor.
func opus55USD(u sdk.BetaUsage, factor float64) float64 {
	return (float64(u.InputTokens)*4 + float64(u.OutputTokens)*20) / 1e6 * factor
}

func fastParams(model string) sdk.BetaMessageNewParams {
	return sdk.BetaMessageNewParams{
		Model: sdk.Model(model), MaxTokens: 300, Speed: sdk.BetaMessageNewParamsSpeedFast,
		Betas:    []sdk.AnthropicBeta{"interleaved-thinking-2025-05-14", "fast-mode-2026-02-01"},
		Messages: []sdk.BetaMessageParam{sdk.NewBetaUserMessage(sdk.NewBetaTextBlock("Refactor this module to use dependency injection."))},
	}
}

// TestFastModeSentAndPriced: speed fast to Claude Opus 5.5 is sent as the
// API takes it (speed fast in the body, the fast-mode beta beside the
// client's other betas, once), served fast (usage.speed, complete and
// streamed) and costs 2x.
func TestFastModeSentAndPriced(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	c := anthropicClient(e, "demo-key")
	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), fastParams("claude-opus-5-5"), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Usage.Speed != sdk.BetaUsageSpeedFast {
		t.Errorf("usage.speed %q, want fast", msg.Usage.Speed)
	}
	if body := tp.lastBody(t, "/v1/messages"); string(body["speed"]) != `"fast"` {
		t.Errorf("sent speed %s", body["speed"])
	}
	wantFastBetas(t, tp)
	if r := resp.Header.Get("x-switchyard-route"); strings.Contains(r, "speed") {
		t.Errorf("x-switchyard-route %q: speed named dropped", r)
	}
	wantCost(t, resp, opus55USD(msg.Usage, 2))

	stream := c.Beta.Messages.NewStreaming(ctxT(t), fastParams("claude-opus-5-5"))
	var acc sdk.BetaMessage
	for stream.Next() {
		if err := acc.Accumulate(stream.Current()); err != nil {
			t.Fatal(err)
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if acc.Usage.Speed != sdk.BetaUsageSpeedFast {
		t.Errorf("streamed: usage.speed %q, want fast", acc.Usage.Speed)
	}
	wantFastBetas(t, tp)
}

// wantFastBetas checks the last upstream request's anthropic-beta: the
// client's interleaved-thinking beta and the fast-mode beta, each once.
func wantFastBetas(t *testing.T, tp *tap) {
	t.Helper()
	reqs := tp.requests()
	last := reqs[len(reqs)-1]
	var betas []string
	for _, v := range last.header.Values("anthropic-beta") {
		for b := range strings.SplitSeq(v, ",") {
			betas = append(betas, strings.TrimSpace(b))
		}
	}
	slices.Sort(betas)
	if want := []string{"fast-mode-2026-02-01", "interleaved-thinking-2025-05-14"}; !slices.Equal(betas, want) {
		t.Errorf("sent anthropic-beta %v, want %v", betas, want)
	}
}

// TestFastModeDroppedElsewhere: speed fast to Claude Sonnet 5.5, which
// has no fast mode, is answered at the standard speed and price: the
// field and the fast-mode beta are not sent (the client's other beta
// is), and speed is named dropped.
func TestFastModeDroppedElsewhere(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	c := anthropicClient(e, "demo-key")
	var resp *http.Response
	msg, err := c.Beta.Messages.New(ctxT(t), fastParams("claude-sonnet-5-5"), sdkoption.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if msg.Usage.Speed != sdk.BetaUsageSpeedStandard {
		t.Errorf("usage.speed %q, want standard", msg.Usage.Speed)
	}
	if body := tp.lastBody(t, "/v1/messages"); body["speed"] != nil {
		t.Errorf("sent speed %s", body["speed"])
	}
	reqs := tp.requests()
	if b := reqs[len(reqs)-1].header.Values("anthropic-beta"); strings.Contains(strings.Join(b, ","), "fast-mode") || !strings.Contains(strings.Join(b, ","), "interleaved-thinking-2025-05-14") {
		t.Errorf("sent anthropic-beta %v: want the client's other beta alone", b)
	}
	if r := resp.Header.Get("x-switchyard-route"); !strings.Contains(r, "dropped=speed") {
		t.Errorf("x-switchyard-route %q: want dropped=speed", r)
	}
	// Sonnet 5.5 at $2/$10 per 1M tokens.
	wantCost(t, resp, (float64(msg.Usage.InputTokens)*2+float64(msg.Usage.OutputTokens)*10)/1e6)
}

// TestFastModeOpenAIClient: an OpenAI client's service_tier "fast" (fast
// mode, in OpenAI's words) routed to Claude Opus 5.5 is sent as speed
// fast with the fast-mode beta, and priced at Opus 5.5's 2x.
func TestFastModeOpenAIClient(t *testing.T) {
	t.Parallel()
	e, tp := newClaude5Env(t)
	var resp *http.Response
	out, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
		Model: "claude-opus-5-5", ServiceTier: openai.ChatCompletionNewParamsServiceTierFast,
		Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Refactor this module to use dependency injection.")},
	}, option.WithMaxRetries(0), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	if body := tp.lastBody(t, "/v1/messages"); string(body["speed"]) != `"fast"` {
		t.Errorf("sent speed %s", body["speed"])
	}
	reqs := tp.requests()
	if b := strings.Join(reqs[len(reqs)-1].header.Values("anthropic-beta"), ","); !strings.Contains(b, "fast-mode-2026-02-01") {
		t.Errorf("sent anthropic-beta %q: want the fast-mode beta", b)
	}
	u := sdk.BetaUsage{InputTokens: out.Usage.PromptTokens, OutputTokens: out.Usage.CompletionTokens}
	wantCost(t, resp, opus55USD(u, 2))
}
