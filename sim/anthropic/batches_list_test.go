package anthropic

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/anthropics/anthropic-sdk-go/v2/option"

	"switchyard/sim"
)

// List Message Batches with anthropic-sdk-go: an empty list (null ends),
// then five batches listed newest first, paged by after_id (the SDK's
// auto-paging) and by before_id, each with its request counts and
// creation time; an ended one listed ended; a limit out of range refused.
func TestSDKListMessageBatches(t *testing.T) {
	srv, _ := newServer(t)
	hc := &http.Client{Transport: &http.Transport{}}
	t.Cleanup(hc.CloseIdleConnections)
	c := sdk.NewClient(option.WithBaseURL(srv.URL), option.WithAPIKey("sk-ant-sim"), option.WithMaxRetries(0), option.WithHTTPClient(hc))
	ctx := context.Background()
	empty, err := c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{})
	if err != nil || len(empty.Data) != 0 || empty.HasMore || empty.RawJSON() != `{"data":[],"has_more":false,"first_id":null,"last_id":null}` {
		t.Fatalf("empty list: %v %v", empty, err)
	}
	batchControl(t, hc, srv.URL, sim.BatchControl{Hold: true})
	var made []string
	for i := range 5 {
		var reqs []sdk.MessageBatchNewParamsRequest
		for j := range i + 1 {
			reqs = append(reqs, sdk.MessageBatchNewParamsRequest{CustomID: "r" + strings.Repeat("x", j), Params: sdk.MessageBatchNewParamsRequestParams{
				Model: sdk.Model(model), MaxTokens: 50, Messages: []sdk.MessageParam{sdk.NewUserMessage(sdk.NewTextBlock("Hi"))}}})
		}
		b, err := c.Messages.Batches.New(ctx, sdk.MessageBatchNewParams{Requests: reqs})
		if err != nil {
			t.Fatal(err)
		}
		made = append(made, b.ID)
	}
	newest := slices.Clone(made)
	slices.Reverse(newest)
	var listed []string
	pager := c.Messages.Batches.ListAutoPaging(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(2)})
	for pager.Next() {
		b := pager.Current()
		if n := slices.Index(made, b.ID); n < 0 || b.RequestCounts.Processing != int64(n+1) || b.CreatedAt.IsZero() || b.Type != "message_batch" {
			t.Errorf("listed %s", b.RawJSON())
		}
		listed = append(listed, b.ID)
	}
	if err := pager.Err(); err != nil || !slices.Equal(listed, newest) {
		t.Fatalf("listed %v, %v; want %v", listed, err, newest)
	}
	page, err := c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(2), AfterID: sdk.String(newest[1])})
	if err != nil || len(page.Data) != 2 || page.FirstID != newest[2] || page.LastID != newest[3] || !page.HasMore {
		t.Fatalf("after_id: %s, %v", page.RawJSON(), err)
	}
	page, err = c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(2), BeforeID: sdk.String(newest[4])})
	if err != nil || page.FirstID != newest[2] || page.LastID != newest[3] || !page.HasMore {
		t.Fatalf("before_id: %s, %v", page.RawJSON(), err)
	}
	page, err = c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(3), BeforeID: sdk.String(newest[3])})
	if err != nil || page.FirstID != newest[0] || page.LastID != newest[2] || page.HasMore {
		t.Fatalf("before_id from the start: %s, %v", page.RawJSON(), err)
	}
	batchControl(t, hc, srv.URL, sim.BatchControl{})
	page, err = c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(1)})
	if err != nil || len(page.Data) != 1 || page.Data[0].ProcessingStatus != sdk.MessageBatchProcessingStatusEnded || page.Data[0].RequestCounts.Succeeded != 5 {
		t.Fatalf("an ended batch listed: %v, %v", page, err)
	}
	if _, err := c.Messages.Batches.List(ctx, sdk.MessageBatchListParams{Limit: sdk.Int(1001)}); err == nil || !strings.Contains(err.Error(), "400") {
		t.Fatalf("limit 1001: %v", err)
	}
}
