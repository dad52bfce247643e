package anthropic

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// The Message Batches API with anthropic-sdk-go: a batch created, in
// progress until the control's delay passed, then ended with a
// succeeded (served by the Batch tier: usage.service_tier "batch") and
// an errored result; counted; a cancel; a refused creation.
func TestSDKMessageBatches(t *testing.T) {
	srv, _ := newServer(t)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	c := sdk.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-sim"), option.WithMaxRetries(0), option.WithHTTPClient(hc))
	ctx := context.Background()
	batchControl(t, hc, srv.URL, sim.BatchControl{Delay: 300 * time.Millisecond})
	item := func(id, m string) sdk.MessageBatchNewParamsRequest {
		return sdk.MessageBatchNewParamsRequest{CustomID: id, Params: sdk.MessageBatchNewParamsRequestParams{Model: sdk.Model(m), MaxTokens: 100,
			Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Capital of Peru?"))}}}
	}
	reqs := sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{item("ok", model), item("gone", "no-such-model")}}
	b, err := c.Messages.Batches.New(ctx, reqs)
	if err != nil || !strings.HasPrefix(b.ID, "msgbatch_") || b.ProcessingStatus != sdk.MessageBatchProcessingStatusInProgress || b.RequestCounts.Processing != 2 {
		t.Fatalf("create: %+v, %v", b, err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for b.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		if b, err = c.Messages.Batches.Get(ctx, b.ID, sdk.MessageBatchGetParams{}); err != nil {
			t.Fatal(err)
		}
	}
	if n := b.RequestCounts; n.Succeeded != 1 || n.Errored != 1 || b.EndedAt.IsZero() || b.ResultsURL == "" {
		t.Fatalf("ended: %s", b.RawJSON())
	}
	stream := c.Messages.Batches.ResultsStreaming(ctx, b.ID, sdk.MessageBatchResultsParams{})
	got := map[string]sdk.MessageBatchIndividualResponse{}
	for stream.Next() {
		got[stream.Current().CustomID] = stream.Current()
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if r := got["ok"].Result; r.Type != "succeeded" || r.Message.Role != "assistant" || r.Message.Content[0].Text == "" || r.Message.Usage.OutputTokens == 0 ||
		r.Message.Usage.ServiceTier != sdk.UsageServiceTierBatch {
		t.Errorf("ok = %s", got["ok"].RawJSON())
	}
	if r := got["gone"].Result; r.Type != "errored" || r.Error.Error.Type != "not_found_error" {
		t.Errorf("gone = %s", got["gone"].RawJSON())
	}
	if n := batchControl(t, hc, srv.URL, sim.BatchControl{Delay: time.Hour, FailCreate: 1}); n.Polls == 0 || withoutPolls(n) != (sim.BatchCounts{Created: 1, Lines: 2}) {
		t.Fatalf("counts = %+v", n)
	}
	if _, err := c.Messages.Batches.New(ctx, reqs); err == nil || !strings.Contains(err.Error(), "500") {
		t.Fatalf("a refused creation: %v", err)
	}
	pending, err := c.Messages.Batches.New(ctx, reqs)
	if err != nil {
		t.Fatal(err)
	}
	if cancelled, err := c.Messages.Batches.Cancel(ctx, pending.ID, sdk.MessageBatchCancelParams{}); err != nil || cancelled.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling {
		t.Fatalf("cancel: %+v, %v", cancelled, err)
	}
	if ended, err := c.Messages.Batches.Get(ctx, pending.ID, sdk.MessageBatchGetParams{}); err != nil || ended.RequestCounts.Canceled != 2 {
		t.Fatalf("after the cancel: %+v, %v", ended, err)
	}
	batchControl(t, hc, srv.URL, sim.BatchControl{RefuseCreate: 1})
	if _, err := c.Messages.Batches.New(ctx, reqs); err == nil || !strings.Contains(err.Error(), "413") || !strings.Contains(err.Error(), "request_too_large") {
		t.Fatalf("a creation refused as too large: %v", err)
	}
	if n := batchControl(t, hc, srv.URL, sim.BatchControl{}); n.Polls == 0 || withoutPolls(n) != (sim.BatchCounts{Created: 2, Lines: 4, Cancelled: 1, Failed: 2}) {
		t.Fatalf("counts = %+v", n)
	}
	if _, err := c.Messages.Batches.Get(ctx, "msgbatch_nope", sdk.MessageBatchGetParams{}); err == nil || !strings.Contains(err.Error(), "404") {
		t.Fatalf("an unknown batch: %v", err)
	}
}

// batchControl posts ctl to /_sim/batches and returns the counts.
func batchControl(t *testing.T, hc *http.Client, url string, ctl sim.BatchControl) sim.BatchCounts {
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

// withoutPolls is n with no polls: how often an SDK polls varies.
func withoutPolls(n sim.BatchCounts) sim.BatchCounts {
	n.Polls = 0
	return n
}
