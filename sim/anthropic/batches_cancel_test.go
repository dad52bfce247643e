package anthropic

import (
	"context"
	"net/http"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// A Message Batch canceled after it processed some of its requests
// (sim.BatchControl.Processed) is canceling while the control holds it,
// then ended: those requests with their results, the others canceled, as
// Anthropic's Message Batches end one.
func TestSDKMessageBatchCancelKeepsProcessed(t *testing.T) {
	srv, _ := newServer(t)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	c := sdk.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-sim"), option.WithMaxRetries(0), option.WithHTTPClient(hc))
	ctx := context.Background()
	batchControl(t, hc, srv.URL, sim.BatchControl{Hold: true, Processed: 1})
	item := func(id string) sdk.MessageBatchNewParamsRequest {
		return sdk.MessageBatchNewParamsRequest{CustomID: id, Params: sdk.MessageBatchNewParamsRequestParams{Model: sdk.Model(model), MaxTokens: 100,
			Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Capital of Peru?"))}}}
	}
	b, err := c.Messages.Batches.New(ctx, sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{item("first"), item("second")}})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := c.Messages.Batches.Cancel(ctx, b.ID, sdk.MessageBatchCancelParams{}); err != nil || got.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling || got.CancelInitiatedAt.IsZero() {
		t.Fatalf("cancel: %+v, %v", got, err)
	}
	if got, err := c.Messages.Batches.Get(ctx, b.ID, sdk.MessageBatchGetParams{}); err != nil || got.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling {
		t.Fatalf("held after the cancel: %+v, %v", got, err)
	}
	batchControl(t, hc, srv.URL, sim.BatchControl{})
	got, err := c.Messages.Batches.Get(ctx, b.ID, sdk.MessageBatchGetParams{})
	if err != nil || got.ProcessingStatus != sdk.MessageBatchProcessingStatusEnded || got.EndedAt.IsZero() || got.ResultsURL == "" {
		t.Fatalf("released: %+v, %v", got, err)
	}
	if n := got.RequestCounts; n.Succeeded != 1 || n.Canceled != 1 || n.Processing != 0 || n.Errored != 0 {
		t.Fatalf("ended: %s", got.RawJSON())
	}
	stream := c.Messages.Batches.ResultsStreaming(ctx, b.ID, sdk.MessageBatchResultsParams{})
	types := map[string]string{}
	for stream.Next() {
		types[stream.Current().CustomID] = string(stream.Current().Result.Type)
		if stream.Current().CustomID == "first" && stream.Current().Result.Message.Content[0].Text == "" {
			t.Errorf("first = %s", stream.Current().RawJSON())
		}
	}
	if err := stream.Err(); err != nil {
		t.Fatal(err)
	}
	if types["first"] != "succeeded" || types["second"] != "canceled" || len(types) != 2 {
		t.Errorf("results %v, want first succeeded and second canceled", types)
	}
}
