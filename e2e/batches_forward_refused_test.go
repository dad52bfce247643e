package e2e

import (
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/sim"
	"switchyard/store"
)

// refusedEnv is forwardEnv with its store at hand.
func refusedEnv(t *testing.T) (*env, store.BatchLog) {
	t.Helper()
	st := storeBackends[0].open(t)
	e, _ := storedEnv(t, st, func(c *config.Config) { c.Batches.PollInterval = 100 * time.Millisecond })
	return e, st.(store.BatchLog)
}

// A provider batch whose creation failed leaves its lines to the router
// either way; what is kept of it depends on whether the provider may
// have made it. A 500 may hide a batch made and its answer lost: the
// row kept before the creation stays pending, for a resume to look for
// (OpenAI by its metadata key, Anthropic by its custom ids). A refusal
// (OpenAI's 400, Anthropic's 413) made nothing: the row is erased, so no
// resume lists the provider's batches for it.
func TestBatchesForwardRefusedCreationForgotten(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name        string
		control     sim.BatchControl
		keptPending bool
	}{
		{"500 kept", sim.BatchControl{FailCreate: 1}, true},
		{"400 erased", sim.BatchControl{RefuseCreate: 1}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			e, bl := refusedEnv(t)
			simBatches(t, e.SimAddr, &c.control)
			created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions,
				chatLine("a", "gpt-4o-mini", "Capital of Peru?")+chatLine("b", "gpt-4o-mini", "Capital of Chile?"), nil)
			if done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted); done.RequestCounts.Completed != 2 {
				t.Fatalf("completed = %s", done.RawJSON())
			}
			if n := simBatches(t, e.SimAddr, nil); n.Failed != 1 || n.Created != 0 {
				t.Fatalf("the provider saw %+v, want one failed creation", n)
			}
			checkForwardRow(t, bl, created.ID, c.keptPending)
		})
	}
	t.Run("anthropic 413 erased", func(t *testing.T) {
		e, bl := refusedEnv(t)
		simBatchesOf(t, e.SimAddr, "anthropic", &sim.BatchControl{RefuseCreate: 1})
		c := anthropicClient(e, respKeyA)
		created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
			batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		if done := awaitMessageBatch(t, c, created.ID); done.RequestCounts.Succeeded != 2 {
			t.Fatalf("ended = %s", done.RawJSON())
		}
		if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Failed != 1 || n.Created != 0 {
			t.Fatalf("Anthropic saw %+v, want one refused creation", n)
		}
		checkForwardRow(t, bl, created.ID, false)
	})
}

// checkForwardRow checks the provider batches kept of the batch id: one
// pending when keptPending, else none.
func checkForwardRow(t *testing.T, bl store.BatchLog, id string, keptPending bool) {
	t.Helper()
	fs, err := bl.BatchForwards(ctxT(t), respTenantA, id)
	if pending := len(fs) == 1 && fs[0].Pending(); err != nil || pending != keptPending || !keptPending && len(fs) != 0 {
		t.Errorf("provider batches kept %+v (%v), want one pending: %v", fs, err, keptPending)
	}
}
