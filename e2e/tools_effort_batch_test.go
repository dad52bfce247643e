package e2e

import (
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
	"switchyard/llm"
)

// A batch of Chat Completions lines to gpt-5.6-terra (api auto), one
// with function tools (which Chat Completions refuses at the model's
// default effort) and one without, is forwarded as two provider batches
// — one of /v1/responses, one of /v1/chat/completions, as a provider
// batch has one endpoint — and both lines are answered, the first with
// its tool call.
func TestToolsEffortBatchForwarded(t *testing.T) {
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
