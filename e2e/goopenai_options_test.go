package e2e

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	goai "github.com/sashabaranov/go-openai"
)

// goAPIError fails unless err is (or wraps) a go-openai *APIError with
// status (0: a stream's error, which has none), typ, code and param ("":
// null), and a message; it returns it. go-openai decodes a null code as
// the int 0.
func goAPIError(t *testing.T, err error, status int, typ, code, param string) *goai.APIError {
	t.Helper()
	var apiErr *goai.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error %T %v, want an *openai.APIError", err, err)
	}
	gotParam := ""
	if apiErr.Param != nil {
		gotParam = *apiErr.Param
	}
	gotCode := fmt.Sprint(apiErr.Code)
	if apiErr.Code == 0 {
		gotCode = ""
	}
	if apiErr.HTTPStatusCode != status || apiErr.Type != typ || gotCode != code || gotParam != param || apiErr.Message == "" {
		t.Fatalf("APIError status %d type %q code %#v param %q message %q, want %d %q %q %q",
			apiErr.HTTPStatusCode, apiErr.Type, apiErr.Code, gotParam, apiErr.Message, status, typ, code, param)
	}
	return apiErr
}

// goSeveralChoices asks for n=2, complete and streamed; a kind that
// cannot answer more than one is the router's 400 on n.
func goSeveralChoices(t *testing.T, c *goai.Client, k goKind) {
	req := goai.ChatCompletionRequest{Model: k.chat, N: 2, Messages: goUser("Write a few sentences about trains.")}
	resp, err := c.CreateChatCompletion(ctxT(t), req)
	if !k.n {
		goAPIError(t, err, 400, "invalid_request_error", "", "n")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Choices) != 2 {
		t.Fatalf("%d choices", len(resp.Choices))
	}
	for i, ch := range resp.Choices {
		if ch.Index != i || ch.Message.Content == "" || ch.FinishReason != goai.FinishReasonStop {
			t.Errorf("choice %d: %+v", i, ch)
		}
	}
	req.Stream = true
	s := goStream(t, c, req)
	for i := range 2 {
		if s.content[i] == "" || s.finishes[i] != goai.FinishReasonStop {
			t.Errorf("streamed choice %d: %q, finish %q", i, s.content[i], s.finishes[i])
		}
	}
}

// goLogprobs asks for logprobs with two alternatives, complete and
// streamed; a kind that cannot return them is the router's 400 on
// logprobs.
func goLogprobs(t *testing.T, c *goai.Client, k goKind) {
	req := goai.ChatCompletionRequest{Model: k.chat, LogProbs: true, TopLogProbs: 2, MaxCompletionTokens: 12,
		Messages: goUser("Is this review positive? The food was great.")}
	resp, err := c.CreateChatCompletion(ctxT(t), req)
	if !k.logprobs {
		goAPIError(t, err, 400, "invalid_request_error", "", "logprobs")
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if ch.LogProbs == nil {
		t.Fatal("no logprobs")
	}
	var spelled strings.Builder
	for _, tok := range ch.LogProbs.Content {
		spelled.WriteString(tok.Token)
		if len(tok.TopLogProbs) != 2 || tok.LogProb > 0 || string(tok.Bytes) != tok.Token {
			t.Fatalf("token %+v", tok)
		}
	}
	if spelled.String() == "" || spelled.String() != ch.Message.Content {
		t.Errorf("tokens spell %q, content %q", spelled.String(), ch.Message.Content)
	}

	req.Stream = true
	stream, err := c.CreateChatCompletionStream(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	defer stream.Close()
	var content, streamed strings.Builder
	for {
		chunk, err := stream.Recv()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				t.Fatal(err)
			}
			break
		}
		for _, ch := range chunk.Choices {
			content.WriteString(ch.Delta.Content)
			if ch.Logprobs != nil {
				for _, tok := range ch.Logprobs.Content {
					streamed.WriteString(tok.Token)
				}
			}
		}
	}
	if streamed.String() == "" || streamed.String() != content.String() {
		t.Errorf("streamed tokens spell %q, content %q", streamed.String(), content.String())
	}
}

// goReasoning asks a reasoning deployment with max_completion_tokens and
// reasoning_effort (go-openai refuses max_tokens for o-series and gpt-5
// models before sending), complete and streamed; where the upstream
// counts them, the usage has the reasoning tokens, within the
// completion's.
func goReasoning(t *testing.T, c *goai.Client, k goKind) {
	req := goai.ChatCompletionRequest{Model: k.reasoning, MaxCompletionTokens: 4096, ReasoningEffort: goai.ReasoningEffortLow,
		Messages: goUser("What is 17 times 23? Think it through.")}
	wantUsage := func(how string, u *goai.Usage) {
		t.Helper()
		if u == nil || u.CompletionTokensDetails == nil {
			t.Fatalf("%s: usage %+v", how, u)
		}
		r := u.CompletionTokensDetails.ReasoningTokens
		if k.reasonCount && (r == 0 || r >= u.CompletionTokens) {
			t.Errorf("%s: usage %+v, %d reasoning tokens", how, u, r)
		}
	}
	resp, err := c.CreateChatCompletion(ctxT(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if ch := resp.Choices[0]; ch.Message.Content == "" || ch.FinishReason != goai.FinishReasonStop {
		t.Fatalf("complete: %+v", ch)
	}
	wantUsage("complete", &resp.Usage)
	req.Stream, req.StreamOptions = true, &goai.StreamOptions{IncludeUsage: true}
	s := goStream(t, c, req)
	if s.content[0] == "" || s.finishes[0] != goai.FinishReasonStop {
		t.Errorf("streamed %q, finish %q", s.content[0], s.finishes[0])
	}
	wantUsage("streamed", s.usage)
}
