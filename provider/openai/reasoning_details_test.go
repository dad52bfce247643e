package openai

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/llm"
	wire "switchyard/wire/openai"
)

// openRouterTwoChoices is an OpenRouter stream of n = 2: each choice
// reasons (text and reasoning_details), the pieces of the two
// interleaved, and finishes on its own chunk.
const openRouterTwoChoices = `data: {"id":"gen-2","object":"chat.completion.chunk","created":1,"model":"anthropic/claude-sonnet-4.5","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"A0","reasoning_details":[{"type":"reasoning.text","text":"A0","format":"anthropic-claude-v1","index":0}]},"finish_reason":null},{"index":1,"delta":{"role":"assistant","content":"","reasoning":"B1","reasoning_details":[{"type":"reasoning.text","text":"B1","format":"anthropic-claude-v1","index":0}]},"finish_reason":null}]}

data: {"id":"gen-2","object":"chat.completion.chunk","created":1,"model":"anthropic/claude-sonnet-4.5","choices":[{"index":1,"delta":{"reasoning_details":[{"type":"reasoning.text","signature":"sigB","index":0}]},"finish_reason":null},{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","signature":"sigA","index":0}]},"finish_reason":null}]}

data: {"id":"gen-2","object":"chat.completion.chunk","created":1,"model":"anthropic/claude-sonnet-4.5","choices":[{"index":0,"delta":{"content":"yes"},"finish_reason":"stop"}]}

data: {"id":"gen-2","object":"chat.completion.chunk","created":1,"model":"anthropic/claude-sonnet-4.5","choices":[{"index":1,"delta":{"content":"no"},"finish_reason":"stop"}]}

data: [DONE]

`

// Every choice of an answer of n > 1 carries its own reasoning_details
// block, after its own reasoning text, on the stream and in the answer
// accumulated from it (what a non-streamed client gets). Before, only
// choice 0's pieces were merged; choice 1's were lost. The key spelled
// with a \u escape (valid JSON) is the same member.
func TestReasoningDetailsOfEveryChoice(t *testing.T) {
	escaped := strings.ReplaceAll(openRouterTwoChoices, `"reasoning_details"`, `"reasoning_\u0064etails"`)
	for name, body := range map[string]string{"plain": openRouterTwoChoices, "key escaped": escaped} {
		t.Run(name, func(t *testing.T) { testDetailsOfEveryChoice(t, body) })
	}
}

func testDetailsOfEveryChoice(t *testing.T, body string) {
	c := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, body)
	}), KindOpenAI, "/v1", testKey)
	req := userRequest("anthropic/claude-sonnet-4.5", "yes or no?")
	n := 2
	req.N, req.ReasoningDetails, req.ShowsReasoningText = &n, llm.PassBackSend, true
	s, err := c.Stream(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF {
		t.Fatal(err)
	}
	var acc llm.Accumulator
	streamed := map[int]string{}
	for _, ch := range chunks {
		acc.Add(ch)
		for _, cc := range ch.Choices {
			if td := cc.Delta.Thinking; td != nil && td.Redacted != "" {
				streamed[cc.Index] = td.Redacted
				if s := string(wire.AppendChunk(nil, ch)); !strings.Contains(s, `"reasoning_details":[`) {
					t.Errorf("choice %d's details not in the client's chunk %s", cc.Index, s)
				}
			}
		}
	}
	resp := acc.Response()
	if len(resp.Choices) != 2 {
		t.Fatalf("%d choices", len(resp.Choices))
	}
	for i, want := range []string{`"text":"A0"`, `"text":"B1"`} {
		sig := []string{"sigA", "sigB"}[i]
		if !strings.Contains(streamed[i], want) || !strings.Contains(streamed[i], sig) {
			t.Errorf("choice %d streamed details %q", i, streamed[i])
		}
		th := resp.Choices[i].Message.Thinking()
		if len(th) != 2 || th[0].Text != want[8:10] {
			t.Fatalf("choice %d thinking %+v", i, th)
		}
		d, ok := th[1].OpenRouterDetails()
		if !ok || !strings.Contains(d, want) || !strings.Contains(d, sig) {
			t.Errorf("choice %d details %q", i, d)
		}
		if body := string(wire.AppendChatResponse(nil, resp)); !strings.Contains(body, `"reasoning_details":`+d) {
			t.Errorf("choice %d's details not in the client's answer %s", i, body)
		}
	}
}
