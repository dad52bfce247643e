package openai

import (
	"bytes"
	"context"
	"strings"
	"testing"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/sim"
)

// A batch cancelled after it processed some of its lines
// (sim.BatchControl.Processed) stays cancelling while the control holds
// it, then ends cancelled with those lines' answers in its output file
// and the others in no file, as OpenAI's Batch API ends one.
func TestSDKBatchCancelKeepsProcessed(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ctx := context.Background()
	control(t, hc, url, sim.BatchControl{Hold: true, Processed: 2})
	input := `{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-sim","messages":[{"role":"user","content":"Hello"}]}}
{"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"no-such-model","messages":[{"role":"user","content":"Hello"}]}}
{"custom_id":"c","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-sim","messages":[{"role":"user","content":"Hello"}]}}
`
	f, err := c.Files.New(ctx, sdk.FileNewParams{File: sdk.File(strings.NewReader(input), "in.jsonl", "application/jsonl"), Purpose: sdk.FilePurposeBatch})
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Batches.Cancel(ctx, b.ID); err != nil || got.Status != sdk.BatchStatusCancelling || got.CancellingAt == 0 {
		t.Fatalf("cancel: %+v, %v", got, err)
	}
	if got, err := c.Batches.Get(ctx, b.ID); err != nil || got.Status != sdk.BatchStatusCancelling || got.OutputFileID != "" {
		t.Fatalf("held after the cancel: %+v, %v", got, err)
	}
	control(t, hc, url, sim.BatchControl{})
	got, err := c.Batches.Get(ctx, b.ID)
	if err != nil || got.Status != sdk.BatchStatusCancelled || got.CancelledAt == 0 || got.CompletedAt != 0 {
		t.Fatalf("released: %+v, %v", got, err)
	}
	if n := got.RequestCounts; n.Total != 3 || n.Completed != 1 || n.Failed != 1 || got.OutputFileID == "" || got.ErrorFileID == "" {
		t.Fatalf("cancelled: %s", got.RawJSON())
	}
	out, errs := content(t, c, got.OutputFileID), content(t, c, got.ErrorFileID)
	if !bytes.Contains(out, []byte(`"custom_id":"a"`)) || bytes.Count(out, []byte("\n")) != 1 {
		t.Errorf("output file: %s", out)
	}
	if !bytes.Contains(errs, []byte(`"custom_id":"b"`)) || bytes.Count(errs, []byte("\n")) != 1 {
		t.Errorf("error file: %s", errs)
	}
}
