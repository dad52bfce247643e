package e2e

import (
	"strings"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"
)

// A warm-up (openai-go's Generate false: a response.create with generate
// false) completes without output, calling no upstream and recording
// nothing; the next turn continues it with previous_response_id though
// nothing was stored, its upstream given the warm-up's input.
func TestResponsesWebSocketWarmup(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	conn := wsConnect(t, e, "demo-key")
	warm := wsCreate(t, conn, responses.ResponsesClientEventResponseCreateParam{Model: "claude-haiku-4-5", Store: openai.Bool(false),
		Generate:     openai.Bool(false),
		Instructions: openai.String("Answer in one word."),
		Input:        responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("My name is Ada.")}})
	if warm.Status != "completed" || len(warm.Output) != 0 || warm.Usage.TotalTokens != 0 {
		t.Fatalf("warm-up: status %q, %d output items, usage %+v", warm.Status, len(warm.Output), warm.Usage)
	}
	resp := wsCreate(t, conn, responses.ResponsesClientEventResponseCreateParam{Model: "claude-haiku-4-5", Store: openai.Bool(false),
		PreviousResponseID: openai.String(warm.ID),
		Input:              responses.ResponsesClientEventResponseCreateInputUnionParam{OfString: openai.String("What is my name?")}})
	// The simulated Claude quotes the conversation's first user message.
	if resp.Status != "completed" || !strings.Contains(resp.OutputText(), "My name is Ada.") || resp.PreviousResponseID != warm.ID {
		t.Fatalf("turn after the warm-up: %q %q (previous %q)", resp.Status, resp.OutputText(), resp.PreviousResponseID)
	}
	recs := e.recorded(t, 1)
	if len(recs) != 1 || recs[0].Deployment != "claude-haiku-4-5" || recs[0].Usage.PromptTokens <= 0 {
		t.Fatalf("records %+v, want the turn's alone", recs)
	}
}
