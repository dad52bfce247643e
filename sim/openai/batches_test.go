package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	sdk "github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/sim"
)

// The Files and Batch APIs with openai-go: an input uploaded, a batch
// created on it, in_progress until the control's delay passed, then
// completed with the 2xx answers in its output file and the others in
// its error file; the counters count it; a cancel; a creation refused.
func TestSDKBatches(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ctx := context.Background()
	control(t, hc, url, sim.BatchControl{Delay: 300 * time.Millisecond})
	input := `{"custom_id":"a","method":"POST","url":"/v1/chat/completions","body":{"model":"gpt-sim","messages":[{"role":"user","content":"Hello"}]}}
{"custom_id":"b","method":"POST","url":"/v1/chat/completions","body":{"model":"no-such-model","messages":[{"role":"user","content":"Hello"}]}}
`
	f, err := c.Files.New(ctx, sdk.FileNewParams{File: sdk.File(strings.NewReader(input), "in.jsonl", "application/jsonl"), Purpose: sdk.FilePurposeBatch})
	if err != nil || f.Purpose != sdk.FileObjectPurposeBatch || f.Bytes != int64(len(input)) {
		t.Fatalf("upload: %+v, %v", f, err)
	}
	b, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h})
	if err != nil || b.Status != sdk.BatchStatusInProgress || b.RequestCounts.Total != 2 {
		t.Fatalf("create: %+v, %v", b, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for b.Status != sdk.BatchStatusCompleted && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if b, err = c.Batches.Get(ctx, b.ID); err != nil {
			t.Fatal(err)
		}
	}
	if b.Status != sdk.BatchStatusCompleted || b.RequestCounts.Completed != 1 || b.RequestCounts.Failed != 1 || b.OutputFileID == "" || b.ErrorFileID == "" {
		t.Fatalf("ended: %s", b.RawJSON())
	}
	out := content(t, c, b.OutputFileID)
	var line struct {
		CustomID string `json:"custom_id"`
		Response struct {
			StatusCode int                `json:"status_code"`
			Body       sdk.ChatCompletion `json:"body"`
		} `json:"response"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &line); err != nil || line.CustomID != "a" || line.Response.StatusCode != 200 ||
		line.Response.Body.Object != "chat.completion" || line.Response.Body.Choices[0].Message.Content == "" {
		t.Fatalf("output file: %s (%v)", out, err)
	}
	if errs := content(t, c, b.ErrorFileID); !bytes.Contains(errs, []byte(`"custom_id":"b"`)) || !bytes.Contains(errs, []byte(`"status_code":404`)) {
		t.Fatalf("error file: %s", errs)
	}
	if got := control(t, hc, url, sim.BatchControl{Delay: time.Hour, FailCreate: 1}); got.Polls == 0 || withoutPolls(got) != (sim.BatchCounts{Created: 1, Lines: 2}) {
		t.Fatalf("counts = %+v", got)
	}
	if _, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h}); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("a refused creation: %v", err)
	}
	pending, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h})
	if err != nil {
		t.Fatal(err)
	}
	if cancelled, err := c.Batches.Cancel(ctx, pending.ID); err != nil || cancelled.Status != sdk.BatchStatusCancelling {
		t.Fatalf("cancel: %+v, %v", cancelled, err)
	}
	if got, err := c.Batches.Get(ctx, pending.ID); err != nil || got.Status != sdk.BatchStatusCancelled || got.OutputFileID != "" {
		t.Fatalf("after the cancel: %+v, %v", got, err)
	}
	control(t, hc, url, sim.BatchControl{RefuseCreate: 1})
	if _, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h}); err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("a creation refused as invalid: %v", err)
	}
	if got := control(t, hc, url, sim.BatchControl{}); got.Polls == 0 || withoutPolls(got) != (sim.BatchCounts{Created: 2, Lines: 4, Cancelled: 1, Failed: 2}) {
		t.Fatalf("counts = %+v", got)
	}
	if _, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: "file-nope", Endpoint: sdk.BatchNewParamsEndpointV1ChatCompletions, CompletionWindow: sdk.BatchNewParamsCompletionWindow24h}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("an unknown input file: %v", err)
	}
}

// control posts ctl to /_sim/batches and returns the counts.
func control(t *testing.T, hc *http.Client, url string, ctl sim.BatchControl) sim.BatchCounts {
	t.Helper()
	body, _ := json.Marshal(ctl)
	resp, err := hc.Post(url+"/_sim/batches", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var n sim.BatchCounts
	if err := json.NewDecoder(resp.Body).Decode(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// content downloads the file id.
func content(t *testing.T, c sdk.Client, id string) []byte {
	t.Helper()
	resp, err := c.Files.Content(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return b
}

// An embeddings batch is answered by the embeddings handler, its
// metadata kept; the listing is paged (limit, after, has_more), newest
// first, with openai-go's auto-paging.
func TestSDKBatchesEmbeddingsListed(t *testing.T) {
	url, hc := start(t, New(testCatalog(), nil))
	c := sdk.NewClient(option.WithBaseURL(url+"/v1/"), option.WithAPIKey("sk-sim"), option.WithHTTPClient(hc), option.WithMaxRetries(0))
	ctx := context.Background()
	input := `{"custom_id":"e","method":"POST","url":"/v1/embeddings","body":{"model":"embed-sim","input":["tide","moon"]}}` + "\n"
	f, err := c.Files.New(ctx, sdk.FileNewParams{File: sdk.File(strings.NewReader(input), "in.jsonl", "application/jsonl"), Purpose: sdk.FilePurposeBatch})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 3 {
		b, err := c.Batches.New(ctx, sdk.BatchNewParams{InputFileID: f.ID, Endpoint: sdk.BatchNewParamsEndpointV1Embeddings,
			CompletionWindow: sdk.BatchNewParamsCompletionWindow24h, Metadata: map[string]string{"n": strconv.Itoa(i)}})
		if err != nil {
			t.Fatal(err)
		}
		ids = append([]string{b.ID}, ids...)
	}
	var listed []string
	iter := c.Batches.ListAutoPaging(ctx, sdk.BatchListParams{Limit: sdk.Int(2)})
	for iter.Next() {
		b := iter.Current()
		listed = append(listed, b.ID)
		if b.Metadata["n"] != strconv.Itoa(len(ids)-len(listed)) {
			t.Errorf("batch %s metadata %v", b.ID, b.Metadata)
		}
	}
	if iter.Err() != nil || !slices.Equal(listed, ids) {
		t.Fatalf("listed %v (%v), want %v", listed, iter.Err(), ids)
	}
	b, err := c.Batches.Get(ctx, ids[0])
	if err != nil || b.Status != sdk.BatchStatusCompleted {
		t.Fatalf("%+v, %v", b, err)
	}
	var line struct {
		Response struct {
			StatusCode int                         `json:"status_code"`
			Body       sdk.CreateEmbeddingResponse `json:"body"`
		} `json:"response"`
	}
	out := content(t, c, b.OutputFileID)
	if err := json.Unmarshal(bytes.TrimSpace(out), &line); err != nil || line.Response.StatusCode != 200 || len(line.Response.Body.Data) != 2 || len(line.Response.Body.Data[1].Embedding) == 0 {
		t.Fatalf("output file: %s (%v)", out, err)
	}
}

// withoutPolls is n with no polls: how often an SDK polls varies.
func withoutPolls(n sim.BatchCounts) sim.BatchCounts {
	n.Polls = 0
	return n
}
