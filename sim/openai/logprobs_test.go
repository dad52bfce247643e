package openai

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
)

// logprobParams asks gpt-sim for two choices with logprobs and two
// alternatives per token.
func logprobParams() sdk.ChatCompletionNewParams {
	return sdk.ChatCompletionNewParams{
		Model:       "gpt-sim",
		Messages:    []sdk.ChatCompletionMessageParamUnion{sdk.UserMessage("Is this review positive? Great food.")},
		N:           sdk.Int(2),
		Logprobs:    sdk.Bool(true),
		TopLogprobs: sdk.Int(2),
	}
}

// TestSDKLogprobs checks the simulated logprobs through the official SDK:
// per choice, one token per piece of the content, which the tokens spell;
// two alternatives each; the usage counting both choices; and a stream
// that accumulates to the same tokens, its first chunk carrying an empty
// content list as OpenAI's does.
func TestSDKLogprobs(t *testing.T) {
	c := sdkClient(t)
	resp, err := c.Chat.Completions.New(context.Background(), logprobParams())
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 2 {
		t.Fatalf("%d choices", len(resp.Choices))
	}
	tokens := 0
	for _, ch := range resp.Choices {
		var b strings.Builder
		for _, tok := range ch.Logprobs.Content {
			b.WriteString(tok.Token)
			if len(tok.TopLogprobs) != 2 || string(bytesOf(tok.Bytes)) != tok.Token || tok.Logprob > 0 {
				t.Fatalf("token %+v", tok)
			}
		}
		if b.String() != ch.Message.Content || !strings.HasSuffix(ch.Logprobs.RawJSON(), `"refusal":null}`) {
			t.Errorf("tokens spell %q, content %q", b.String(), ch.Message.Content)
		}
		tokens += len(ch.Logprobs.Content)
	}
	if resp.Usage.CompletionTokens != int64(tokens) {
		t.Errorf("completion tokens %d, want %d (both choices)", resp.Usage.CompletionTokens, tokens)
	}

	s := c.Chat.Completions.NewStreaming(context.Background(), logprobParams())
	defer s.Close()
	var acc sdk.ChatCompletionAccumulator
	first := true
	for s.Next() {
		ch := s.Current()
		if first && !strings.Contains(ch.RawJSON(), `"logprobs":{"content":[],"refusal":null}`) {
			t.Errorf("first chunk %s", ch.RawJSON())
		}
		first = false
		acc.AddChunk(ch)
	}
	if err := s.Err(); err != nil {
		t.Fatal(err)
	}
	for i := range resp.Choices {
		got, want := acc.Choices[i].Logprobs.Content, resp.Choices[i].Logprobs.Content
		if len(got) != len(want) || len(got) == 0 || got[0].Token != want[0].Token || got[len(got)-1].Logprob != want[len(want)-1].Logprob {
			t.Errorf("choice %d: streamed %d tokens, want %d", i, len(got), len(want))
		}
	}
}

func bytesOf(ns []int64) []byte {
	b := make([]byte, len(ns))
	for i, n := range ns {
		b[i] = byte(n)
	}
	return b
}

// TestLogprobsRefused checks the requests the real API refuses: logprobs
// from a reasoning model, top_logprobs without logprobs or above 20.
func TestLogprobsRefused(t *testing.T) {
	c := sdkClient(t)
	for _, tt := range []struct {
		name  string
		edit  func(*sdk.ChatCompletionNewParams)
		param string
	}{
		{"reasoning model", func(p *sdk.ChatCompletionNewParams) { p.Model = "o-sim" }, "logprobs"},
		{"top without logprobs", func(p *sdk.ChatCompletionNewParams) { p.Logprobs = sdk.Bool(false) }, "top_logprobs"},
		{"top above 20", func(p *sdk.ChatCompletionNewParams) { p.TopLogprobs = sdk.Int(21) }, "top_logprobs"},
	} {
		p := logprobParams()
		tt.edit(&p)
		_, err := c.Chat.Completions.New(context.Background(), p)
		var e *sdk.Error
		if !errors.As(err, &e) || e.StatusCode != http.StatusBadRequest || e.Param != tt.param {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}
