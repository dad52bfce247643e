package e2e

import (
	"testing"

	"github.com/openai/openai-go/v3"
)

// A batch line asking for OpenAI's web search (web_search_options) whose
// first choice is a Claude deployment runs on the router, where the
// adapter declares Claude's web search tool and turns its citations back
// into annotations: Anthropic's Message Batches would be sent the line
// as it came, with no such translation.
func TestBatchesForwardWebSearchOnClaudeRunsOnRouter(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	input := batchLine("search", "/v1/chat/completions", `{"model":"claude-haiku-4-5","web_search_options":{},"messages":[{"role":"user","content":"Search the web: who won the 2022 World Cup?"}]}`) +
		chatLine("plain", "claude-haiku-4-5", "Capital of France?")
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 1 {
		t.Errorf("Anthropic saw %+v, want one Message Batch of the plain line", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	status, body, _ := lineBody(out["search"])
	choices, _ := body["choices"].([]any)
	if status != 200 || len(choices) != 1 {
		t.Fatalf("the search line = %v", out["search"])
	}
	msg, _ := choices[0].(map[string]any)["message"].(map[string]any)
	if anns, _ := msg["annotations"].([]any); len(anns) == 0 {
		t.Errorf("the search line's message has no url_citation annotations: %v", msg)
	}
}
