package e2e

import (
	"strconv"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/sim"
)

// A batch of Chat Completions lines to gpt-5.6-terra (api auto), one
// with function tools (which Chat Completions refuses at the model's
// default effort) and one without, is forwarded as two provider batches
// — one of /v1/responses, one of /v1/chat/completions, as a provider
// batch has one endpoint — and both lines are answered, the first with
// its tool call.
func TestToolsEffortBatchForwarded(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Deployments["terra"] = &config.Deployment{Name: "terra", Provider: "openai", Model: "gpt-5.6-terra",
			Capabilities: []llm.Capability{llm.CapTools, llm.CapStreaming, llm.CapBatch}}
		c.Batches.PollInterval = 100 * time.Millisecond
	})
	tools := `{"custom_id":"tools","method":"POST","url":"/v1/chat/completions","body":{"model":"terra","messages":[{"role":"user","content":"call get_weather for Oslo"}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}}` + "\n"
	input := tools + chatLine("plain", "terra", "Capital of Peru?")
	done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil).ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 2 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 2 || n.Lines != 2 {
		t.Fatalf("OpenAI saw %+v, want two provider batches of one line", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	status, body, _ := lineBody(out["tools"])
	choices, _ := body["choices"].([]any)
	if status != 200 || len(choices) != 1 {
		t.Fatalf("tools line = %v", out["tools"])
	}
	msg, _ := choices[0].(map[string]any)["message"].(map[string]any)
	if calls, _ := msg["tool_calls"].([]any); len(calls) != 1 {
		t.Errorf("tools line message %v, want a tool call", msg)
	}
	if status, _, _ := lineBody(out["plain"]); status != 200 {
		t.Errorf("plain line = %v", out["plain"])
	}
}

// A line a provider batch of /v1/responses answered with a response that
// failed on the way (server_error, its usage reported: OpenAI bills it)
// runs again on the router, and the line's record bills that failed
// call as its first attempt, at the batch price: the record's cost adds
// it to the served answer's. Before, its usage was lost.
func TestBatchFailedResponseBilledOnRetriedLine(t *testing.T) {
	t.Parallel()
	e, _ := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) {
		c.Deployments["terra"] = &config.Deployment{Name: "terra", Provider: "openai", Model: "gpt-5.6-terra",
			Capabilities: []llm.Capability{llm.CapTools, llm.CapStreaming, llm.CapBatch}}
		c.Batches.PollInterval = 100 * time.Millisecond
	})
	simBatches(t, e.SimAddr, &sim.BatchControl{FailResponses: 1})
	input := `{"custom_id":"tools","method":"POST","url":"/v1/chat/completions","body":{"model":"terra","messages":[{"role":"user","content":"call get_weather for Oslo"}],` +
		`"tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}}}}]}}` + "\n"
	done := awaitBatch(t, e.Client, newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil).ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 1 {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 {
		t.Fatalf("OpenAI saw %+v, want one provider batch", n)
	}
	status, _, id := lineBody(fileLines(t, e.Client, done.OutputFileID)["tools"])
	if status != 200 || id == "" {
		t.Fatalf("line: status %v, request id %q", status, id)
	}
	rec := recordOf(t, e, id)
	if len(rec.Trail) != 2 || rec.Trail[0].Deployment != "terra" || rec.Trail[0].Outcome != "error" || rec.Trail[0].ErrorCode != "server_error" ||
		rec.Trail[0].Usage.PromptTokens == 0 || rec.Trail[0].CostUSD <= 0 || rec.Trail[1].Outcome != "ok" {
		t.Fatalf("trail %+v, want the provider batch's failed call billed, then the answer", rec.Trail)
	}
	if len(rec.Billed) != 2 || rec.CostUSD <= rec.ServedCostUSD || rec.ServedCostUSD <= 0 {
		t.Errorf("billed %+v: cost %v, served %v", rec.Billed, rec.CostUSD, rec.ServedCostUSD)
	}
	if total := done.JSON.ExtraFields["total_cost_usd"].Raw(); total != strconv.FormatFloat(rec.CostUSD, 'f', -1, 64) || done.JSON.ExtraFields["cost_usd"].Raw() == total {
		t.Errorf("batch total_cost_usd %s, cost_usd %s; want the record's total %v beside the served cost", total, done.JSON.ExtraFields["cost_usd"].Raw(), rec.CostUSD)
	}
}
