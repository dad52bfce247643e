package e2e

import (
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
)

// A batch line whose route lowers its max_tokens (its one deployment,
// gpt-4o-mini, writes at most 16384) runs on the router, which sends the
// lowered value; forwarded to OpenAI's Batch API it would go as it came,
// and be refused. A line within the limit is forwarded as before.
func TestBatchesForwardClampedLineRunsOnRouter(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Routes["small"] = &config.Route{Name: "small", Deployments: []string{"gpt-4o-mini"}, Policy: config.Policy{Strategy: config.StrategyOrdered}}
	})
	input := batchLine("clamped", "/v1/chat/completions", `{"model":"small","max_tokens":32000,"messages":[{"role":"user","content":"Capital of Peru?"}]}`) +
		chatLine("within", "small", "Capital of Chile?")
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 1 {
		t.Errorf("OpenAI saw %+v, want one batch of the line within the limit", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	if status, body, _ := lineBody(out["clamped"]); status != 200 || body["object"] != "chat.completion" {
		t.Errorf("the clamped line = %v", out["clamped"])
	}
}
