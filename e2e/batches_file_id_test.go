package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/openai/openai-go/v3"

	"switchyard/config"
)

// A batch's line naming a file uploaded to the router by id runs on the
// router, where the file's bytes are put in it as in a live request (a
// provider's batch could not read the router's file): Claude reads the
// PDF; a line naming no file still goes to OpenAI's batch.
func TestBatchesFileID(t *testing.T) {
	t.Parallel()
	e, ul := storedEnv(t, storeBackends[0].open(t), func(c *config.Config) { c.Batches.PollInterval = 100 * time.Millisecond })
	f := uploadPDF(t, e.Client)
	fileLine := func(id, model string) string {
		return batchLine(id, "/v1/chat/completions", `{"model":"`+model+`","messages":[{"role":"user","content":[{"type":"file","file":{"file_id":"`+f.ID+`"}},{"type":"text","text":"Summarize."}]}]}`)
	}
	input := fileLine("claude", "claude-haiku-4-5") + fileLine("gpt", "gpt-4o-mini") + chatLine("plain", "gpt-4o-mini", "Capital of Peru?")
	created := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, input, nil)
	done := awaitBatch(t, e.Client, created.ID, openai.BatchStatusCompleted)
	if done.RequestCounts.Completed != 3 || done.ErrorFileID != "" {
		t.Fatalf("completed = %s", done.RawJSON())
	}
	if n := simBatches(t, e.SimAddr, nil); n.Created != 1 || n.Lines != 1 {
		t.Errorf("OpenAI saw %+v, want one batch of the plain line only", n)
	}
	if n := simBatchesOf(t, e.SimAddr, "anthropic", nil); n.Created != 0 {
		t.Errorf("Anthropic saw %+v, want no Message Batch", n)
	}
	out := fileLines(t, e.Client, done.OutputFileID)
	status, body, _ := lineBody(out["claude"])
	choices, _ := body["choices"].([]any)
	if status != 200 || len(choices) != 1 {
		t.Fatalf("claude line: %v", out["claude"])
	}
	msg, _ := choices[0].(map[string]any)["message"].(map[string]any)
	if text, _ := msg["content"].(string); !strings.HasPrefix(text, claudeReadTiny) {
		t.Errorf("claude line answered %q, want its reading of the PDF", text)
	}
	if status, _, _ := lineBody(out["gpt"]); status != 200 {
		t.Errorf("gpt line: %v", out["gpt"])
	}
	pdf := tinyPDF(t)
	found := false
	for _, b := range ul.all("openai") {
		found = found || strings.Contains(b, `"file_data":"data:application/pdf;base64,`+pdf+`"`)
	}
	if !found {
		t.Error("OpenAI was never sent the PDF's bytes for the gpt line")
	}
}
