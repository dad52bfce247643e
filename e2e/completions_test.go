package e2e

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/packages/param"
)

func completionParams(model, prompt string) openai.CompletionNewParams {
	return openai.CompletionNewParams{
		Model: openai.CompletionNewParamsModel(model), MaxTokens: openai.Int(200),
		Prompt: openai.CompletionNewParamsPromptUnion{OfString: openai.String(prompt)},
	}
}

// The legacy Completions API through the official SDK: answered by every
// kind of provider (the prompt is a chat's user message), complete and
// streamed, with the headers, usage and record of a chat completion.
func TestLegacyCompletions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	for _, dep := range chatDeployments {
		var resp *http.Response
		c, err := e.Client.Completions.New(ctxT(t), completionParams(dep, "Name three rivers of Europe."), option.WithResponseInto(&resp))
		if err != nil {
			t.Fatalf("%s: %v", dep, err)
		}
		if c.Object != "text_completion" || !strings.HasPrefix(c.ID, "cmpl-") || len(c.Choices) != 1 || c.Choices[0].Text == "" ||
			c.Choices[0].FinishReason != "stop" || c.Usage.CompletionTokens == 0 || c.Model == "" {
			t.Errorf("%s: %+v", dep, c)
		}
		if resp.Header.Get("x-switchyard-deployment") != dep || resp.Header.Get("x-switchyard-cost-usd") == "" {
			t.Errorf("%s: headers %v", dep, resp.Header)
		}
	}
	recs := e.recorded(t, len(chatDeployments))
	if recs[0].Endpoint != "chat" || recs[0].Status != 200 {
		t.Errorf("record %+v", recs[0])
	}

	// Streamed through a route, with the usage last.
	params := completionParams("auto", "Write a haiku about rain.")
	params.StreamOptions = openai.ChatCompletionStreamOptionsParam{IncludeUsage: openai.Bool(true)}
	var resp *http.Response
	s := e.Client.Completions.NewStreaming(ctxT(t), params, option.WithResponseInto(&resp))
	var text strings.Builder
	finish, events, usage := "", 0, int64(0)
	for s.Next() {
		c := s.Current()
		events++
		for _, ch := range c.Choices {
			text.WriteString(ch.Text)
			if ch.FinishReason != "" {
				finish = string(ch.FinishReason)
			}
		}
		if len(c.Choices) == 0 {
			usage = c.Usage.TotalTokens
		}
	}
	if err := s.Err(); err != nil || text.Len() == 0 || finish != "stop" || usage == 0 || events < 3 {
		t.Errorf("stream: %q finish %q usage %d over %d events, %v", text.String(), finish, usage, events, err)
	}
	if resp.Header.Get("x-switchyard-route") == "" {
		t.Errorf("stream headers %v", resp.Header)
	}
}

// Log probabilities come back in the legacy shape; echo puts the prompt
// first; what a chat model cannot do is a 400 naming the parameter.
func TestLegacyCompletionsOptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	p := completionParams("gpt-4o-mini", "Say this is a test")
	p.Logprobs = openai.Int(2)
	c, err := e.Client.Completions.New(ctxT(t), p)
	if err != nil {
		t.Fatal(err)
	}
	l := c.Choices[0].Logprobs
	if len(l.Tokens) == 0 || len(l.Tokens) != len(l.TokenLogprobs) || len(l.TopLogprobs) != len(l.Tokens) || len(l.TextOffset) != len(l.Tokens) ||
		l.TextOffset[0] != int64(len("Say this is a test")) || strings.Join(l.Tokens, "") != c.Choices[0].Text {
		t.Errorf("logprobs %+v for %q", l, c.Choices[0].Text)
	}
	p = completionParams("claude-haiku-4-5", "Roses are red,")
	p.Echo = openai.Bool(true)
	if c, err = e.Client.Completions.New(ctxT(t), p); err != nil || !strings.HasPrefix(c.Choices[0].Text, "Roses are red,") || len(c.Choices[0].Text) <= len("Roses are red,") {
		t.Errorf("echo: %+v, %v", c, err)
	}
	p = completionParams("gpt-4o-mini", "def add(a, b):")
	p.Suffix = openai.String("\n\nprint(add(1, 2))")
	_, err = e.Client.Completions.New(ctxT(t), p)
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "suffix" || apiErr.Code != "unsupported_parameter" {
		t.Errorf("suffix: %v", err)
	}
	// max_tokens defaults to the API's 16.
	p = completionParams("gpt-4o-mini", "Write a long story about a lighthouse keeper and the sea.")
	p.MaxTokens = param.Opt[int64]{}
	if c, err = e.Client.Completions.New(ctxT(t), p); err != nil || c.Choices[0].FinishReason != "length" || c.Usage.CompletionTokens > 16 {
		t.Errorf("no max_tokens: %+v, %v", c, err)
	}
	p = completionParams("no-such-model", "hi")
	if _, err = e.Client.Completions.New(ctxT(t), p); !errors.As(err, &apiErr) || apiErr.StatusCode != 404 {
		t.Errorf("unknown model: %v", err)
	}
}
