package e2e

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	sdk "github.com/anthropics/anthropic-sdk-go/v2"
	"github.com/openai/openai-go/v3"

	"switchyard/store"
)

// Anthropic's Message Batches API with anthropic-sdk-go, unchanged, run
// by the router on its batch runner: a batch created with inline
// requests (one to an Anthropic deployment, one to the route auto, one
// to an OpenAI deployment, one that errors), polled to ended, its
// results streamed (every custom_id once, in its result's type); listed
// apart from the Batch API's batches; a slow one cancelled (its requests
// not run canceled); deleted once ended; on both store back ends.

// batchItem is a request of a Message Batch asking model prompt.
func batchItem(id, model, prompt string) sdk.MessageBatchNewParamsRequest {
	p := userMessage(model, prompt, 100)
	return sdk.MessageBatchNewParamsRequest{CustomID: id, Params: sdk.MessageBatchNewParamsRequestParams{
		Model: p.Model, MaxTokens: p.MaxTokens, Messages: p.Messages}}
}

// awaitMessageBatch polls the batch id until it ended, and returns it.
func awaitMessageBatch(t *testing.T, c sdk.Client, id string) *sdk.MessageBatch {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		b, err := c.Messages.Batches.Get(ctxT(t), id, sdk.MessageBatchGetParams{})
		if err != nil {
			t.Fatalf("get message batch: %v", err)
		}
		if b.ProcessingStatus == sdk.MessageBatchProcessingStatusEnded {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("message batch %s is %s after 15 s: %s", id, b.ProcessingStatus, b.RawJSON())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// messageResults streams the results of the batch id, by custom_id.
func messageResults(t *testing.T, c sdk.Client, id string) map[string]sdk.MessageBatchIndividualResponse {
	t.Helper()
	s := c.Messages.Batches.ResultsStreaming(ctxT(t), id, sdk.MessageBatchResultsParams{})
	defer s.Close()
	out := map[string]sdk.MessageBatchIndividualResponse{}
	for s.Next() {
		r := s.Current()
		if _, dup := out[r.CustomID]; dup {
			t.Errorf("custom_id %s twice in the results", r.CustomID)
		}
		out[r.CustomID] = r
	}
	if err := s.Err(); err != nil {
		t.Fatalf("results of %s: %v", id, err)
	}
	return out
}

func TestMessageBatchesSDK(t *testing.T) {
	t.Parallel()
	for _, b := range storeBackends {
		t.Run(b.name, func(t *testing.T) {
			st := b.open(t)
			e, _ := storedEnv(t, st, localBatches)
			c, other := anthropicClient(e, respKeyA), anthropicClient(e, respKeyB)
			created, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: []sdk.MessageBatchNewParamsRequest{
				batchItem("claude", "claude-haiku-4-5", "Capital of Peru?"), batchItem("routed", "auto", "Capital of Chile?"),
				batchItem("openai", "gpt-4o-mini", "Capital of Bolivia?"), batchItem("unknown", "no-such-model", "hi"),
			}})
			if err != nil {
				t.Fatalf("create: %v", err)
			}
			if !strings.HasPrefix(created.ID, "msgbatch_") || created.Type != "message_batch" || created.ProcessingStatus != sdk.MessageBatchProcessingStatusInProgress ||
				created.RequestCounts.Processing != 4 || created.ExpiresAt.Sub(created.CreatedAt) != 24*time.Hour || created.ResultsURL != "" {
				t.Fatalf("created = %s", created.RawJSON())
			}
			done := awaitMessageBatch(t, c, created.ID)
			if n := done.RequestCounts; n.Succeeded != 3 || n.Errored != 1 || n.Processing != 0 || done.EndedAt.IsZero() ||
				!strings.HasSuffix(done.ResultsURL, "/v1/messages/batches/"+created.ID+"/results") {
				t.Fatalf("ended = %s", done.RawJSON())
			}
			res := messageResults(t, c, created.ID)
			if len(res) != 4 {
				t.Fatalf("results %v, want 4", res)
			}
			for _, id := range []string{"claude", "routed", "openai"} {
				r := res[id].Result
				if r.Type != "succeeded" || r.Message.Role != "assistant" || len(r.Message.Content) == 0 || r.Message.Content[0].Text == "" || r.Message.Usage.OutputTokens == 0 {
					t.Errorf("result %s = %s", id, res[id].RawJSON())
				}
			}
			if r := res["unknown"].Result; r.Type != "errored" || r.Error.Error.Type != "not_found_error" || r.Error.Type != "error" {
				t.Errorf("result unknown = %s", res["unknown"].RawJSON())
			}

			// Another tenant never finds it; the Batch API never lists it.
			if _, err := other.Messages.Batches.Get(ctxT(t), created.ID, sdk.MessageBatchGetParams{}); !isStatus(err, 404) {
				t.Errorf("tenant B's get = %v, want 404", err)
			}
			if bs, err := e.Client.Batches.List(ctxT(t), openaiBatchListAll()); err != nil || len(bs.Data) != 0 {
				t.Errorf("the Batch API lists %v, %v", bs, err)
			}
			if fs, err := e.Client.Files.List(ctxT(t), openai.FileListParams{}); err != nil || len(fs.Data) != 0 {
				t.Errorf("the Files API lists a Message Batch's input: %v, %v", fs, err)
			}
			// Its hidden input file is no batch input for the Batch API either.
			hidden, err := st.(store.FileLog).ListFiles(ctxT(t), store.AllTenants(), store.FileQuery{Purpose: "message_batch", Limit: 10}, time.Now())
			if err != nil || len(hidden.Files) != 1 {
				t.Fatalf("the Message Batch's input files: %v, %v", hidden, err)
			}
			if _, err := e.Client.Batches.New(ctxT(t), openai.BatchNewParams{InputFileID: hidden.Files[0].ID, Endpoint: openai.BatchNewParamsEndpointV1ChatCompletions,
				CompletionWindow: openai.BatchNewParamsCompletionWindow24h}); err == nil || !strings.Contains(err.Error(), "404") {
				t.Errorf("a batch of a Message Batch's input file = %v, want 404", err)
			}
			if _, err := e.Client.Batches.Get(ctxT(t), created.ID); err == nil || !strings.Contains(err.Error(), "404") {
				t.Errorf("the Batch API's get of a Message Batch = %v, want 404", err)
			}
			if _, err := e.Client.Batches.Cancel(ctxT(t), created.ID); err == nil || !strings.Contains(err.Error(), "404") {
				t.Errorf("the Batch API's cancel of a Message Batch = %v, want 404", err)
			}
			oai := newBatch(t, e.Client, openai.BatchNewParamsEndpointV1ChatCompletions, chatLine("x", "gpt-4o-mini", "hi"), nil)
			if _, err := c.Messages.Batches.Get(ctxT(t), oai.ID, sdk.MessageBatchGetParams{}); !isStatus(err, 404) {
				t.Errorf("a Batch API batch read as a Message Batch = %v, want 404", err)
			}

			// A slow batch, cancelled: the requests not run are canceled.
			var slow []sdk.MessageBatchNewParamsRequest
			for i := range 12 {
				slow = append(slow, batchItem(fmt.Sprint("slow-", i), "gpt-4o-mini", "Say hi. [[sim:slow=300ms]]"))
			}
			running, err := c.Messages.Batches.New(ctxT(t), sdk.MessageBatchNewParams{Requests: slow})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Messages.Batches.Delete(ctxT(t), running.ID, sdk.MessageBatchDeleteParams{}); !isStatus(err, 400) {
				t.Errorf("delete of a running batch = %v, want 400", err)
			}
			cancelled, err := c.Messages.Batches.Cancel(ctxT(t), running.ID, sdk.MessageBatchCancelParams{})
			if err != nil || cancelled.ProcessingStatus != sdk.MessageBatchProcessingStatusCanceling || cancelled.CancelInitiatedAt.IsZero() {
				t.Fatalf("cancel = %v, %v", cancelled, err)
			}
			ended := awaitMessageBatch(t, c, running.ID)
			n := ended.RequestCounts
			if n.Canceled == 0 || n.Succeeded+n.Canceled+n.Errored != 12 {
				t.Errorf("cancelled batch = %s", ended.RawJSON())
			}
			canceled := 0
			for _, r := range messageResults(t, c, running.ID) {
				if r.Result.Type == "canceled" {
					canceled++
				}
			}
			if canceled != int(n.Canceled) {
				t.Errorf("%d canceled results, the counts say %d", canceled, n.Canceled)
			}

			page, err := c.Messages.Batches.List(ctxT(t), sdk.MessageBatchListParams{Limit: sdk.Int(1)})
			if err != nil || len(page.Data) != 1 || page.Data[0].ID != running.ID || !page.HasMore || page.LastID != running.ID {
				t.Fatalf("list = %+v, %v", page, err)
			}
			next, err := c.Messages.Batches.List(ctxT(t), sdk.MessageBatchListParams{AfterID: sdk.String(page.LastID)})
			if err != nil || len(next.Data) != 1 || next.Data[0].ID != created.ID || next.HasMore {
				t.Fatalf("list after %s = %+v, %v", page.LastID, next, err)
			}
			prev, err := c.Messages.Batches.List(ctxT(t), sdk.MessageBatchListParams{BeforeID: sdk.String(created.ID)})
			if err != nil || len(prev.Data) != 1 || prev.Data[0].ID != running.ID {
				t.Fatalf("list before %s = %+v, %v", created.ID, prev, err)
			}
			if _, err := other.Messages.Batches.Delete(ctxT(t), created.ID, sdk.MessageBatchDeleteParams{}); !isStatus(err, 404) {
				t.Errorf("tenant B's delete = %v, want 404", err)
			}
			del, err := c.Messages.Batches.Delete(ctxT(t), created.ID, sdk.MessageBatchDeleteParams{})
			if err != nil || del.ID != created.ID || del.Type != "message_batch_deleted" {
				t.Fatalf("delete = %v, %v", del, err)
			}
			if _, err := c.Messages.Batches.Get(ctxT(t), created.ID, sdk.MessageBatchGetParams{}); !isStatus(err, 404) {
				t.Errorf("get after delete = %v, want 404", err)
			}
			var ids []string
			for it := c.Messages.Batches.ListAutoPaging(ctxT(t), sdk.MessageBatchListParams{}); it.Next(); {
				ids = append(ids, it.Current().ID)
			}
			if !slices.Equal(ids, []string{running.ID}) {
				t.Errorf("listed after delete %v", ids)
			}
		})
	}
}

// isStatus reports whether err is an SDK's error of HTTP status code.
func isStatus(err error, code int) bool {
	var ae *sdk.Error
	return errors.As(err, &ae) && ae.StatusCode == code
}

// openaiBatchListAll lists the Batch API's batches, 100 at once.
func openaiBatchListAll() openai.BatchListParams {
	return openai.BatchListParams{Limit: openai.Int(100)}
}
