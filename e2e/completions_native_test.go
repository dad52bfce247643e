package e2e

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/sim"
)

// A completions-only model (gpt-3.5-turbo-instruct, capability
// completions) is called on its own completions endpoint: complete,
// streamed, with legacy log probabilities and echo; a chat request to it
// is refused; a route that lists it beside a chat model sends legacy
// completions to it and chats to the other, and fails a completion over
// to the chat model when it is down.
func TestNativeCompletions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *config.Config) {
		c.Routes["instruct"] = &config.Route{Name: "instruct", Deployments: []string{"gpt-3.5-turbo-instruct", "gpt-4o-mini"}}
		// No capabilities, no price: the catalog knows the model as completions-only.
		c.Deployments["instruct-bare"] = &config.Deployment{Name: "instruct-bare", Provider: "openai", Model: "gpt-3.5-turbo-instruct"}
	})
	const prompt = "Once upon a time"
	params := completionParams("gpt-3.5-turbo-instruct", prompt)
	params.Logprobs, params.Echo = openai.Int(2), openai.Bool(false)
	var resp *http.Response
	c, err := e.Client.Completions.New(ctxT(t), params, option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	ch := c.Choices[0]
	if c.Model != "gpt-3.5-turbo-instruct" || ch.Text == "" || ch.FinishReason != "stop" || c.Usage.PromptTokens == 0 ||
		resp.Header.Get("x-switchyard-deployment") != "gpt-3.5-turbo-instruct" || resp.Header.Get("x-switchyard-cost-usd") == "" {
		t.Fatalf("completion %+v, headers %v", c, resp.Header)
	}
	lp := ch.Logprobs
	if len(lp.Tokens) == 0 || len(lp.TopLogprobs) != len(lp.Tokens) || len(lp.TopLogprobs[0]) != 2 || lp.TokenLogprobs[0] != -0.25 ||
		strings.Join(lp.Tokens, "") != ch.Text || lp.TextOffset[0] != int64(len(prompt)) {
		t.Errorf("logprobs %+v", lp)
	}

	// Streamed, echo on: the prompt first, then the model's text.
	sp := completionParams("instruct", prompt)
	sp.Echo = openai.Bool(true)
	sp.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	s := e.Client.Completions.NewStreaming(ctxT(t), sp, option.WithResponseInto(&resp))
	var text strings.Builder
	for s.Next() {
		for _, ch := range s.Current().Choices {
			text.WriteString(ch.Text)
		}
	}
	if err := s.Err(); err != nil || !strings.HasPrefix(text.String(), prompt) || len(text.String()) <= len(prompt) ||
		resp.Header.Get("x-switchyard-deployment") != "gpt-3.5-turbo-instruct" {
		t.Errorf("streamed: %q from %s, %v", text.String(), resp.Header.Get("x-switchyard-deployment"), err)
	}

	// A chat through the same route goes to the chat model; pinned to
	// the completions-only one, it is refused.
	if _, err := e.Client.Chat.Completions.New(ctxT(t), userChat("instruct", "Hello!"), option.WithResponseInto(&resp)); err != nil ||
		resp.Header.Get("x-switchyard-deployment") != "gpt-4o-mini" {
		t.Errorf("a chat on the route: %v from %s", err, resp.Header.Get("x-switchyard-deployment"))
	}
	_, err = e.Client.Chat.Completions.New(ctxT(t), userChat("gpt-3.5-turbo-instruct", "Hello!"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || !strings.Contains(apiErr.Message, "is a completions-only model and does not serve chat (it answers POST /v1/completions)") {
		t.Errorf("a chat pinned to the completions-only model: %v", err)
	}

	// A deployment of the model that declares nothing is completions-only
	// by the catalog, and priced by it ($1.5 / $2 per 1M tokens).
	bare, err := e.Client.Completions.New(ctxT(t), completionParams("instruct-bare", prompt), option.WithResponseInto(&resp))
	if err != nil {
		t.Fatal(err)
	}
	want := float64(bare.Usage.PromptTokens)*1.5e-6 + float64(bare.Usage.CompletionTokens)*2e-6
	if got := resp.Header.Get("x-switchyard-cost-usd"); resp.Header.Get("x-switchyard-deployment") != "instruct-bare" || got != strconv.FormatFloat(want, 'f', -1, 64) {
		t.Errorf("the catalog's completions model: from %s at $%s, want $%v", resp.Header.Get("x-switchyard-deployment"), got, want)
	}
	if _, err := e.Client.Chat.Completions.New(ctxT(t), userChat("instruct-bare", "Hello!")); !errors.As(err, &apiErr) || apiErr.StatusCode != 400 {
		t.Errorf("a chat pinned to the catalog's completions model: %v", err)
	}

	// The completions-only model down: the route's chat model answers.
	e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultServerError, Model: "gpt-3.5-turbo-instruct", Count: 10})
	if _, err := e.Client.Completions.New(ctxT(t), completionParams("instruct", prompt), option.WithResponseInto(&resp)); err != nil ||
		resp.Header.Get("x-switchyard-deployment") != "gpt-4o-mini" {
		t.Errorf("failover: %v, from %s", err, resp.Header.Get("x-switchyard-deployment"))
	}
}
