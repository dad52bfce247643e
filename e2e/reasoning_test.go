package e2e

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	sdkoption "github.com/anthropics/anthropic-sdk-go/v2/option"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/shared"

	"switchyard/config"
	"switchyard/server"
)

// newTapEnv is newEnv with a tap in front of the simulated providers,
// keeping every request the router sent them.
func newTapEnv(t *testing.T, edit func(*config.Config)) (*env, *tap) {
	t.Helper()
	return newTapEnvWith(t, edit, server.RouterOptions{})
}

// newTapEnvWith is newTapEnv with router options (a store, say).
func newTapEnvWith(t *testing.T, edit func(*config.Config), ro server.RouterOptions) (*env, *tap) {
	t.Helper()
	tp := &tap{}
	sims := httptest.NewServer(tp.wrap(http.HandlerFunc(tp.forward)))
	t.Cleanup(sims.Close)
	e := newEnvWith(t, func(c *config.Config) {
		for _, p := range c.Providers {
			u, err := url.Parse(p.BaseURL)
			if err != nil {
				t.Fatal(err)
			}
			tp.target, u.Host = u.Host, strings.TrimPrefix(sims.URL, "http://")
			p.BaseURL = u.String()
		}
		if edit != nil {
			edit(c)
		}
	}, ro)
	return e, tp
}

// lastBody decodes the body of the last upstream request whose path holds
// path.
func (tp *tap) lastBody(t *testing.T, path string) map[string]json.RawMessage {
	t.Helper()
	reqs := tp.requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if strings.Contains(reqs[i].path, path) {
			var m map[string]json.RawMessage
			if err := json.Unmarshal(reqs[i].body, &m); err != nil {
				t.Fatal(err)
			}
			return m
		}
	}
	t.Fatalf("no upstream request to %s", path)
	return nil
}

// An OpenAI client's reasoning_effort reaches a Claude deployment as
// extended thinking with the mapped budget (high: 16384, with max_tokens
// the default answer plus the budget), and the thinking the sim bills
// inside output_tokens is in the usage and the cost.
func TestReasoningEffortToClaudeThinks(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	ask := func(effort shared.ReasoningEffort) (*openai.ChatCompletion, float64) {
		params := openai.ChatCompletionNewParams{
			Model:    "claude-sonnet-4-5",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Why is the sky blue?")},
		}
		if effort != "" {
			params.ReasoningEffort = effort
		}
		var resp *http.Response
		got, err := e.Client.Chat.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
		if err != nil {
			t.Fatal(err)
		}
		cost, err := strconv.ParseFloat(resp.Header.Get("x-switchyard-cost-usd"), 64)
		if err != nil {
			t.Fatal(err)
		}
		return got, cost
	}
	plain, plainCost := ask("")
	if th := tp.lastBody(t, "/v1/messages")["thinking"]; th != nil {
		t.Errorf("thinking sent without reasoning_effort: %s", th)
	}
	thought, thoughtCost := ask(shared.ReasoningEffortHigh)
	body := tp.lastBody(t, "/v1/messages")
	if string(body["thinking"]) != `{"type":"enabled","budget_tokens":16384}` || string(body["max_tokens"]) != "20480" {
		t.Errorf("upstream thinking %s, max_tokens %s", body["thinking"], body["max_tokens"])
	}
	if _, ok := body["reasoning_effort"]; ok {
		t.Error("reasoning_effort sent to Anthropic")
	}
	extra := thought.Usage.CompletionTokens - plain.Usage.CompletionTokens
	if thought.Choices[0].Message.Content != plain.Choices[0].Message.Content || extra < 16 {
		t.Fatalf("answers %q / %q, completion tokens %d / %d", plain.Choices[0].Message.Content, thought.Choices[0].Message.Content,
			plain.Usage.CompletionTokens, thought.Usage.CompletionTokens)
	}
	if want := plainCost + float64(extra)*15/1e6; thoughtCost < want*0.999 || thoughtCost > want*1.001 {
		t.Errorf("cost %g with thinking, %g without: want %g (the %d thinking tokens at $15/M)", thoughtCost, plainCost, want, extra)
	}
	if strings.Contains(thought.RawJSON(), "thinking") || strings.Contains(thought.RawJSON(), "signature") {
		t.Errorf("thinking shown to an OpenAI client: %s", thought.RawJSON())
	}
}

// reasoning_effort reaches an OpenAI deployment declared reasoning; one
// not declared gets the request without it, and answers (the real API
// would refuse the field, as the sim does).
func TestReasoningEffortOnlyToReasoningOpenAIModels(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for dep, want := range map[string]string{"o3-mini": `"medium"`, "gpt-4o-mini": ""} {
		_, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
			Model: openai.ChatModel(dep), ReasoningEffort: shared.ReasoningEffortMedium,
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is 91 prime?")},
		})
		if err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		if got := tp.lastBody(t, "/chat/completions")["reasoning_effort"]; string(got) != want {
			t.Errorf("%s: upstream reasoning_effort %s, want %q", dep, got, want)
		}
	}
}

// An Anthropic client's thinking reaches an OpenAI reasoning deployment as
// the nearest reasoning_effort, and OpenAI's reasoning tokens (more for a
// higher effort) come back inside output_tokens.
func TestAnthropicThinkingToOpenAIReasoning(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	var prev int64
	for _, tc := range []struct {
		budget int64
		want   string
	}{{2048, `"low"`}, {8000, `"medium"`}, {20000, `"high"`}} {
		budget, want := tc.budget, tc.want
		params := userMessage("o3-mini", "Is 91 prime?", budget+1000)
		params.Thinking = sdk.ThinkingConfigParamOfEnabled(budget)
		msg, err := c.Messages.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		body := tp.lastBody(t, "/chat/completions")
		if string(body["reasoning_effort"]) != want {
			t.Errorf("budget %d: upstream reasoning_effort %s, want %s", budget, body["reasoning_effort"], want)
		}
		if msg.Usage.OutputTokens <= int64(len(strings.Fields(msg.Content[0].Text))) {
			t.Errorf("budget %d: output tokens %d do not hold the reasoning", budget, msg.Usage.OutputTokens)
		}
		for _, b := range msg.Content {
			if b.Type != "text" {
				t.Errorf("budget %d: a %s block from an OpenAI deployment", budget, b.Type)
			}
		}
		if msg.Usage.OutputTokens <= prev {
			t.Errorf("budget %d: %d output tokens, no more than the smaller budget's %d", budget, msg.Usage.OutputTokens, prev)
		}
		prev = msg.Usage.OutputTokens
	}
}

// An Anthropic client's bad thinking is refused with the API's own error.
func TestAnthropicThinkingRefusedAsTheAPIDoes(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	c := anthropicClient(e, "demo-key")
	params := userMessage("claude-sonnet-4-5", "hi", 2000)
	params.Thinking = sdk.ThinkingConfigParamOfEnabled(2000)
	_, err := c.Messages.New(ctxT(t), params, sdkoption.WithMaxRetries(0))
	var apiErr *sdk.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Error(), "`max_tokens` must be greater than `thinking.budget_tokens`") ||
		!strings.Contains(apiErr.Error(), "invalid_request_error") {
		t.Errorf("got %v", err)
	}
}

// reasoning_effort reaches a Gemini 2.5 deployment as a thinking budget
// (it thinks by its model id; nothing is declared), and the thoughts the
// sim reports are billed as completion tokens: effort "none" is budget 0,
// no thoughts; no effort is the model's default dynamic thinking, which
// the sim spends as it does a budget of 8192.
func TestReasoningEffortToGeminiThinks(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	ask := func(effort shared.ReasoningEffort) int64 {
		params := openai.ChatCompletionNewParams{
			Model:    "gemini-2.5-flash",
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Why is the sky blue?")},
		}
		if effort != "" {
			params.ReasoningEffort = effort
		}
		got, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		return got.Usage.CompletionTokens
	}
	plain := ask(shared.ReasoningEffortNone)
	dynamic := ask("")
	thought := ask(shared.ReasoningEffortMedium)
	var body struct {
		GenerationConfig struct {
			ThinkingConfig map[string]int `json:"thinkingConfig"`
		} `json:"generationConfig"`
	}
	reqs := tp.requests()
	if err := json.Unmarshal(reqs[len(reqs)-1].body, &body); err != nil {
		t.Fatal(err)
	}
	if body.GenerationConfig.ThinkingConfig["thinkingBudget"] != 8192 {
		t.Errorf("upstream thinkingConfig %v, want budget 8192", body.GenerationConfig.ThinkingConfig)
	}
	if thought != plain+8192/64 || dynamic != thought {
		t.Errorf("completion tokens %d with thinking, %d by default, %d without: want the sim's %d thoughts more", thought, dynamic, plain, 8192/64)
	}
}

// Gemini 2.5 thinks by default and counts its thoughts against
// maxOutputTokens: without the router's bound, an OpenAI client's small
// max_tokens is spent on thinking and the answer is empty (finish
// "length"). The router sends a thinking budget of half the limit (off
// below 128 on Flash), so the client gets an answer, complete and
// streamed; the thoughts stay within the client's limit.
func TestSmallMaxTokensOnGeminiStillAnswer(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, nil)
	for _, limit := range []int64{60, 400} {
		params := openai.ChatCompletionNewParams{
			Model:     "gemini-2.5-flash",
			Messages:  []openai.ChatCompletionMessageParamUnion{openai.UserMessage("What is the capital of France?")},
			MaxTokens: openai.Int(limit),
		}
		got, err := e.Client.Chat.Completions.New(ctxT(t), params)
		if err != nil {
			t.Fatal(err)
		}
		if got.Choices[0].Message.Content == "" || got.Usage.CompletionTokens > limit {
			t.Errorf("max_tokens %d: content %q, finish %s, %d completion tokens", limit,
				got.Choices[0].Message.Content, got.Choices[0].FinishReason, got.Usage.CompletionTokens)
		}
		var body struct {
			GenerationConfig struct {
				ThinkingConfig map[string]int `json:"thinkingConfig"`
			} `json:"generationConfig"`
		}
		if err := json.Unmarshal(tp.requests()[len(tp.requests())-1].body, &body); err != nil {
			t.Fatal(err)
		}
		want := map[int64]int{60: 0, 400: 200}[limit]
		if b, ok := body.GenerationConfig.ThinkingConfig["thinkingBudget"]; !ok || b != want {
			t.Errorf("max_tokens %d: upstream thinkingConfig %v, want budget %d", limit, body.GenerationConfig.ThinkingConfig, want)
		}
		stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
		var text strings.Builder
		for stream.Next() {
			for _, c := range stream.Current().Choices {
				text.WriteString(c.Delta.Content)
			}
		}
		if err := stream.Err(); err != nil || text.Len() == 0 {
			t.Errorf("max_tokens %d streamed: %q, %v", limit, text.String(), err)
		}
	}
}
