package e2e

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// withClassifyRoute adds the route "classify": Anthropic first, then
// OpenAI, in that order.
func withClassifyRoute(c *config.Config) {
	c.Routes["classify"] = &config.Route{Name: "classify", Deployments: []string{"claude-haiku-4-5", "gpt-4o-mini"},
		Policy: config.Policy{Strategy: config.StrategyOrdered}}
}

func logprobsParams(model string) openai.ChatCompletionNewParams {
	return openai.ChatCompletionNewParams{
		Model:       model,
		Messages:    []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Is this review positive? The food was great.")},
		Logprobs:    openai.Bool(true),
		TopLogprobs: openai.Int(2),
		MaxTokens:   openai.Int(12),
	}
}

// checkTokens fails unless toks spell content, each with two
// alternatives and its UTF-8 bytes.
func checkTokens(t *testing.T, toks []openai.ChatCompletionTokenLogprob, content string) {
	t.Helper()
	var b strings.Builder
	for _, tok := range toks {
		b.WriteString(tok.Token)
		if len(tok.TopLogprobs) != 2 || tok.Logprob > 0 || len(tok.Bytes) != len(tok.Token) {
			t.Fatalf("token %+v", tok)
		}
	}
	if content == "" || b.String() != content {
		t.Errorf("tokens spell %q, content %q", b.String(), content)
	}
}

// TestLogprobsThroughARoute asks a route whose first deployment is
// Anthropic's for logprobs, with the official SDK: the Anthropic
// deployment is skipped (the request log says why), the OpenAI one
// answers with the tokens' log probabilities, complete and streamed.
func TestLogprobsThroughARoute(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withClassifyRoute)
	var hdr httpHeader
	resp, err := e.Client.Chat.Completions.New(ctxT(t), logprobsParams("classify"), option.WithResponseInto(&hdr.resp))
	if err != nil {
		t.Fatal(err)
	}
	if dep := hdr.resp.Header.Get("x-switchyard-deployment"); dep != "gpt-4o-mini" {
		t.Fatalf("served by %q", dep)
	}
	checkTokens(t, resp.Choices[0].Logprobs.Content, resp.Choices[0].Message.Content)
	rej := e.recorded(t, 1)[0].Plan.Explanation.Rejected
	if len(rej) != 1 || rej[0].Deployment != "claude-haiku-4-5" || rej[0].Reason != route.ReasonCapability || rej[0].Capability != llm.CapLogprobs {
		t.Errorf("rejected %+v", rej)
	}

	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), logprobsParams("classify"))
	defer stream.Close()
	var acc openai.ChatCompletionAccumulator
	withTokens := 0
	for stream.Next() {
		c := stream.Current()
		acc.AddChunk(c)
		if len(c.Choices) > 0 && len(c.Choices[0].Logprobs.Content) > 0 {
			withTokens++
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if withTokens < 2 {
		t.Errorf("%d chunks carried tokens", withTokens)
	}
	checkTokens(t, acc.Choices[0].Logprobs.Content, acc.Choices[0].Message.Content)
	if acc.Choices[0].Message.Content != resp.Choices[0].Message.Content {
		t.Errorf("streamed %q, complete %q", acc.Choices[0].Message.Content, resp.Choices[0].Message.Content)
	}
}

// TestLogprobsDeployments checks a deployment asked directly: Gemini's
// returns logprobs through its own wire format, Anthropic's cannot and
// says so in a 400 on param logprobs.
func TestLogprobsDeployments(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	resp, err := e.Client.Chat.Completions.New(ctxT(t), logprobsParams("gemini-2.5-flash"))
	if err != nil {
		t.Fatal(err)
	}
	checkTokens(t, resp.Choices[0].Logprobs.Content, resp.Choices[0].Message.Content)

	_, err = e.Client.Chat.Completions.New(ctxT(t), logprobsParams("claude-haiku-4-5"))
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != 400 || apiErr.Param != "logprobs" || !strings.Contains(apiErr.Message, "does not return logprobs") {
		t.Errorf("claude with logprobs: %v", err)
	}
}

// TestUsageCountsEveryChoice checks that n=2 is billed for both choices:
// twice the completion tokens of n=1 for the same prompt, and a cost
// header that prices them.
func TestUsageCountsEveryChoice(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	ask := func(n int64) (*openai.ChatCompletion, float64) {
		var hdr httpHeader
		resp, err := e.Client.Chat.Completions.New(ctxT(t), openai.ChatCompletionNewParams{
			Model: "gpt-4o-mini", N: openai.Int(n),
			Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Name three rivers.")},
		}, option.WithResponseInto(&hdr.resp))
		if err != nil {
			t.Fatal(err)
		}
		cost, err := strconv.ParseFloat(hdr.resp.Header.Get("x-switchyard-cost-usd"), 64)
		if err != nil {
			t.Fatal(err)
		}
		return resp, cost
	}
	one, _ := ask(1)
	two, cost := ask(2)
	u := two.Usage
	if len(two.Choices) != 2 || u.CompletionTokens != 2*one.Usage.CompletionTokens || u.TotalTokens != u.PromptTokens+u.CompletionTokens {
		t.Fatalf("n=2 usage %+v, n=1 completion %d", u, one.Usage.CompletionTokens)
	}
	cached := u.PromptTokensDetails.CachedTokens
	want := (float64(u.PromptTokens-cached)*0.15 + float64(cached)*0.075 + float64(u.CompletionTokens)*0.60) / 1e6
	if d := cost - want; d > 1e-9 || d < -1e-9 {
		t.Errorf("cost %g, want %g for %+v", cost, want, u)
	}
}

// TestResponsesLogprobs asks the Responses API for logprobs through the
// same route, with the official SDK: the output_text part carries the
// tokens, and so does each streamed text delta.
func TestResponsesLogprobs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withClassifyRoute)
	params := responses.ResponseNewParams{Model: "classify", Input: inputText("Is this review positive? The food was great."),
		Include: []responses.ResponseIncludable{responses.ResponseIncludableMessageOutputTextLogprobs}, TopLogprobs: openai.Int(2)}
	resp, err := e.Client.Responses.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	part := resp.Output[0].Content[0]
	var b strings.Builder
	for _, tok := range part.Logprobs {
		b.WriteString(tok.Token)
		if len(tok.TopLogprobs) != 2 || len(tok.Bytes) != len(tok.Token) {
			t.Fatalf("token %+v", tok)
		}
	}
	if b.String() == "" || b.String() != part.Text || resp.TopLogprobs != 2 {
		t.Errorf("tokens spell %q, text %q, top_logprobs %d", b.String(), part.Text, resp.TopLogprobs)
	}

	stream := e.Client.Responses.NewStreaming(ctxT(t), params)
	defer stream.Close()
	var streamed strings.Builder
	for stream.Next() {
		if ev := stream.Current(); ev.Type == "response.output_text.delta" {
			for _, tok := range ev.AsResponseOutputTextDelta().Logprobs {
				streamed.WriteString(tok.Token)
			}
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if streamed.String() != part.Text {
		t.Errorf("streamed tokens spell %q, want %q", streamed.String(), part.Text)
	}
}
