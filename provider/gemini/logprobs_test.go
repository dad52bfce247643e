package gemini

import (
	"context"
	"strings"
	"testing"

	"switchyard/llm"
	"switchyard/llm/llmtest"
)

// TestChatLogprobs checks logprobs through the adapter: asked for with
// responseLogprobs, returned per token in OpenAI's shape, the tokens
// spelling the answer, with the alternatives asked for.
func TestChatLogprobs(t *testing.T) {
	c := newSim(t, testKey)
	req := chatReq("gemini-2.0-flash", "Is this review positive?")
	req.Logprobs, req.TopLogprobs = true, 3
	resp, err := llmtest.Complete(context.Background(), c, req)
	if err != nil {
		t.Fatal(err)
	}
	ch := resp.Choices[0]
	if ch.Logprobs == nil || len(ch.Logprobs.Content) == 0 {
		t.Fatalf("no logprobs: %+v", ch)
	}
	var b strings.Builder
	for _, tok := range ch.Logprobs.Content {
		b.WriteString(tok.Token)
		if len(tok.TopLogprobs) != 3 || string(tok.Bytes) != tok.Token {
			t.Fatalf("token %+v", tok)
		}
	}
	if b.String() != ch.Message.Text() {
		t.Errorf("tokens spell %q, answer %q", b.String(), ch.Message.Text())
	}
	r, err := llmtest.Complete(context.Background(), c, chatReq("gemini-2.0-flash", "hi"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Choices[0].Logprobs != nil {
		t.Errorf("logprobs not asked for, got %+v", r.Choices[0].Logprobs)
	}
	req = chatReq("gemini-2.5-flash", "hi")
	req.Logprobs = true
	if _, err := llmtest.Complete(context.Background(), c, req); llm.AsError(err) == nil || llm.AsError(err).HTTPStatus() != 400 {
		t.Errorf("thinking model: %v, want its 400", err)
	}
}
