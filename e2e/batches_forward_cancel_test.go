package e2e

import (
	"encoding/json"
	"math"
	"net/http"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/record"
	"switchyard/sim"
	"switchyard/state"
)

// A batch cancelled while its provider batch runs keeps the answers the
// provider gave before the cancel (it bills them): the router's batch is
// cancelling until the provider batch is final, then cancelled (ended,
// for a Message Batch) with those answers in its output, recorded once
// at the batch price and charged to the budget, the others' holds
// released. The simulators hold their batches (sim.BatchControl.Hold)
// having processed the first lines (Processed) until the test lets go.

// awaitSim waits until the simulator of wire at simAddr says done.
func awaitSim(t *testing.T, simAddr, wire, what string, done func(sim.BatchCounts) bool) sim.BatchCounts {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if n := simBatchesOf(t, simAddr, wire, nil); done(n) {
			return n
		}
		if time.Now().After(deadline) {
			t.Fatalf("the %s simulator never %s", wire, what)
		}
	}
}

// awaitCancelling waits until the router asked the provider of wire to
// cancel its batch and polled it after, and returns the polls then.
func awaitCancelling(t *testing.T, simAddr, wire string) {
	t.Helper()
	n := awaitSim(t, simAddr, wire, "got the cancel", func(n sim.BatchCounts) bool { return n.Cancelled > 0 })
	awaitSim(t, simAddr, wire, "was polled after the cancel", func(m sim.BatchCounts) bool { return m.Polls > n.Polls })
}

// requestRow reads the request log's row of the request id (written off
// the request's path: polled until it is) and returns its key name and
// explanation.batch.
func requestRow(t *testing.T, e *env, id string) (keyName, batch string) {
	t.Helper()
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests/"+id, forwardAdmin)
	for deadline := time.Now().Add(5 * time.Second); code == 404 && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		code, b = callAs(t, http.MethodGet, e.URL+"/admin/requests/"+id, forwardAdmin)
	}
	var row struct {
		KeyName     string `json:"key_name"`
		Explanation struct {
			Batch string `json:"batch"`
		} `json:"explanation"`
	}
	if code != 200 || json.Unmarshal(b, &row) != nil {
		t.Fatalf("GET /admin/requests/%s: %d %s", id, code, b)
	}
	return row.KeyName, row.Explanation.Batch
}

func TestBatchesForwardCancelKeepsAnswers(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Batches.PollInterval = 100 * time.Millisecond
		c.Budgets = []config.Budget{holdBudget(holdLimit)}
		c.Auth.AdminKeys = []config.AdminKey{{Key: forwardAdmin, Name: "ops", Role: config.RoleAdmin}}
	})
	simBatches(t, e.SimAddr, &sim.BatchControl{Hold: true, Processed: 2})
	b := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, heldLine("a")+heldLine("b")+heldLine("c"), nil)
	awaitUsage(t, e.Router, "holding the batch", func(u state.Usage) bool { return u.Reserved >= 3000 })
	awaitPolls(t, e.SimAddr, 0)
	if got, err := e.Client.Batches.Cancel(ctxT(t), b.ID); err != nil || got.Status != openai.BatchStatusCancelling {
		t.Fatalf("cancel: %v %v", got, err)
	}
	awaitCancelling(t, e.SimAddr, "openai")
	if got, err := e.Client.Batches.Get(ctxT(t), b.ID); err != nil || got.Status != openai.BatchStatusCancelling {
		t.Fatalf("while the provider batch is cancelling: %v %v", got.RawJSON(), err)
	}
	simBatches(t, e.SimAddr, &sim.BatchControl{})
	done := awaitBatch(t, e.Client, b.ID, openai.BatchStatusCancelled)
	if n := done.RequestCounts; n.Total != 3 || n.Completed != 2 || n.Failed != 0 || done.ErrorFileID != "" || done.CancellingAt == 0 || done.CancelledAt == 0 {
		t.Fatalf("cancelled = %s", done.RawJSON())
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	if _, ok := out["c"]; ok || len(out) != 2 {
		t.Fatalf("output %v, want the lines a and b the provider answered", out)
	}
	ids := map[string]bool{}
	var total float64
	for id, l := range out {
		status, body, rid := lineBody(l)
		if want := livePrice(body) / 2; status != 200 || want == 0 || math.Abs(lineCost(l)-want) > 1e-12 {
			t.Errorf("line %s = %v, want an answer at half the live price %v", id, l, want)
		}
		total += lineCost(l)
		ids[rid] = true
		if key, batch := requestRow(t, e, rid); key != "acme-app" || batch != "provider" {
			t.Errorf("the request log's row of line %s: key %q batch %q", id, key, batch)
		}
	}
	var sum struct {
		CostUSD float64 `json:"cost_usd"`
	}
	if json.Unmarshal([]byte(done.RawJSON()), &sum); math.Abs(sum.CostUSD-total) > 1e-12 {
		t.Errorf("the batch's cost_usd %v, its lines' %v", sum.CostUSD, total)
	}
	recorded := 0
	for _, rec := range e.recorded(t, 2) {
		if rec.Batch == record.BatchProvider {
			recorded++
			if !ids[rec.RequestID] || rec.CostUSD <= 0 {
				t.Errorf("a forwarded line's record %+v is not one of the output's", rec)
			}
		}
	}
	if recorded != 2 {
		t.Errorf("%d forwarded lines recorded, want 2", recorded)
	}
	if u := budgetUsage(t, e.Router); u.Reserved != 0 || u.Spent != usedTokens(t, e.Client, done) {
		t.Errorf("after the cancel %+v, want the two answers' tokens spent and nothing held", u)
	}
}

// A Message Batch canceled while its provider batch runs: canceling
// until the provider's batch ended, then ended with the request the
// provider answered succeeded and the other canceled.
func TestMessageBatchesForwardCancelKeepsAnswers(t *testing.T) {
	t.Parallel()
	e := forwardEnv(t)
	c := anthropicClient(e, respKeyA)
	simBatchesOf(t, e.SimAddr, "anthropic", &sim.BatchControl{Hold: true, Processed: 1})
	created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
		batchItem("c1", "claude-haiku-4-5", "Capital of Peru?"), batchItem("c2", "claude-haiku-4-5", "Capital of Chile?"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	awaitSim(t, e.SimAddr, "anthropic", "was polled", func(n sim.BatchCounts) bool { return n.Polls > 0 })
	if got, err := c.Messages.Batches.Cancel(ctxT(t), created.ID, sdk.MessageBatchCancelParams{}); err != nil || got.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling {
		t.Fatalf("cancel: %v %v", got, err)
	}
	awaitCancelling(t, e.SimAddr, "anthropic")
	if got, err := c.Messages.Batches.Get(ctxT(t), created.ID, sdk.MessageBatchGetParams{}); err != nil || got.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling {
		t.Fatalf("while the provider batch is canceling: %v %v", got.RawJSON(), err)
	}
	simBatchesOf(t, e.SimAddr, "anthropic", &sim.BatchControl{})
	done := awaitMessageBatch(t, c, created.ID)
	if n := done.RequestCounts; n.Succeeded != 1 || n.Canceled != 1 || n.Errored != 0 || n.Processing != 0 {
		t.Fatalf("ended = %s", done.RawJSON())
	}
	res := messageResults(t, c, created.ID)
	if r := res["c1"].Result; r.Type != "succeeded" || r.Message.Content[0].Text == "" || r.Message.Usage.OutputTokens == 0 {
		t.Errorf("c1 = %s", res["c1"].RawJSON())
	}
	if r := res["c2"].Result; r.Type != "canceled" {
		t.Errorf("c2 = %s", res["c2"].RawJSON())
	}
	forwarded := 0
	for _, rec := range e.recorded(t, 1) {
		if rec.Batch == record.BatchProvider {
			forwarded++
			if want := (float64(rec.Usage.PromptTokens)*1 + float64(rec.Usage.CompletionTokens)*5) / 1e6 / 2; rec.Deployment != "claude-haiku-4-5" || math.Abs(rec.CostUSD-want) > 1e-12 {
				t.Errorf("record %+v, want claude-haiku-4-5 at half its price %v", rec, want)
			}
		}
	}
	if forwarded != 1 {
		t.Errorf("%d forwarded requests recorded, want 1", forwarded)
	}
}
