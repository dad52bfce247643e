package e2e

import (
	"math"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"

	"switchyard/record"
)

// A Message Batch forwarded: its requests to claude-haiku-4-5 go to
// Anthropic's Message Batches as one batch, its request to gpt-4o-mini to
// OpenAI's Batch API, its request to Gemini runs on the router; each
// result is an Anthropic message, each forwarded request recorded at half
// its live price.
func TestMessageBatchesForwarded(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	c := anthropicClient(e, respKeyA)
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?"),
		batchItem("openai", "gpt-4o-mini", "Capital of Bolivia?"), batchItem("local", "gemini-2.5-flash", "Capital of Ecuador?"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	done := awaitMessageBatch(t, c, created.ID)
	if n := done.RequestCounts; n.Succeeded != 4 {
		t.Fatalf("ended = %s", done.RawJSON())
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 1 || n.Lines != 2 {
		t.Fatalf("Anthropic saw %+v, want one batch of the two claude requests", n)
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 1 {
		t.Fatalf("OpenAI saw %+v, want one batch of the gpt-4o-mini request", n)
	}
	for id, r := range messageResults(t, c, created.ID) {
		m := r.Result.Message
		if r.Result.Type != "succeeded" || m.Role != "assistant" || len(m.Content) == 0 || m.Content[0].Text == "" || m.Usage.OutputTokens == 0 {
			t.Errorf("result %s = %s", id, r.RawJSON())
		}
	}
	prices := map[string][2]float64{"claude-haiku-4-5": {1, 5}, "gpt-4o-mini": {0.15, 0.60}}
	forwarded := 0
	for _, rec := range e.recorded(t, 4) {
		p, ok := prices[rec.Deployment]
		if !ok {
			continue
		}
		forwarded++
		want := (float64(rec.Usage.PromptTokens)*p[0] + float64(rec.Usage.CompletionTokens)*p[1]) / 1e6 / 2
		if rec.Batch != record.BatchProvider || rec.Tenant != respTenantA || want == 0 || math.Abs(rec.CostUSD-want) > 1e-12 {
			t.Errorf("record of %s: batch %q tenant %q cost %v, want %v", rec.Deployment, rec.Batch, rec.Tenant, rec.CostUSD, want)
		}
	}
	if forwarded != 3 {
		t.Errorf("%d forwarded requests recorded, want 3", forwarded)
	}
}
