package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/config"
	"switchyard/llm"
)

// TestResponsesUpstreamLogprobs: a deployment called on the Responses API
// (gpt-4o-mini, api: responses) returns logprobs: a Chat Completions
// client's logprobs and top_logprobs are asked upstream as the output
// text's (include message.output_text.logprobs), and come back per token
// with their alternatives, complete and streamed; a Responses client gets
// them in its output_text part.
func TestResponsesUpstreamLogprobs(t *testing.T) {
	t.Parallel()
	e, tp := newTapEnv(t, func(c *config.Config) {
		c.Deployments["mini-responses"] = &config.Deployment{Name: "mini-responses", Provider: "openai", Model: "gpt-4o-mini", API: config.APIResponses,
			Capabilities: []llm.Capability{"streaming", "logprobs"}}
	})
	params := openai.ChatCompletionNewParams{Model: "mini-responses", Messages: []openai.ChatCompletionMessageParamUnion{openai.UserMessage("Why is the sky blue?")},
		Logprobs: openai.Bool(true), TopLogprobs: openai.Int(2)}
	got, err := e.Client.Chat.Completions.New(ctxT(t), params)
	if err != nil {
		t.Fatal(err)
	}
	upstreamResponses(t, tp)
	body := tp.lastBody(t, "/v1/responses")
	if string(body["include"]) != `["message.output_text.logprobs"]` || string(body["top_logprobs"]) != "2" {
		t.Errorf("upstream include %s top_logprobs %s", body["include"], body["top_logprobs"])
	}
	lp := got.Choices[0].Logprobs.Content
	joined := ""
	for _, tok := range lp {
		joined += tok.Token
	}
	if len(lp) == 0 || len(lp[0].TopLogprobs) != 2 || joined != got.Choices[0].Message.Content {
		t.Fatalf("logprobs %+v for %q", lp, got.Choices[0].Message.Content)
	}

	stream := e.Client.Chat.Completions.NewStreaming(ctxT(t), params)
	var acc openai.ChatCompletionAccumulator
	for stream.Next() {
		acc.AddChunk(stream.Current())
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if n := len(acc.Choices[0].Logprobs.Content); n != len(lp) || acc.Choices[0].Logprobs.Content[0].Token != lp[0].Token {
		t.Errorf("streamed logprobs %d tokens, want %d", n, len(lp))
	}

	resp, err := e.Client.Responses.New(ctxT(t), responses.ResponseNewParams{Model: "mini-responses", TopLogprobs: openai.Int(1),
		Include: []responses.ResponseIncludable{responses.ResponseIncludableMessageOutputTextLogprobs},
		Input:   responses.ResponseNewParamsInputUnion{OfString: openai.String("Why is the sky blue?")}})
	if err != nil {
		t.Fatal(err)
	}
	if text := resp.Output[0].AsMessage().Content[0]; len(text.Logprobs) == 0 || len(text.Logprobs[0].TopLogprobs) != 1 || !strings.HasPrefix(text.Text, text.Logprobs[0].Token) {
		t.Errorf("response %s", resp.RawJSON())
	}
}
