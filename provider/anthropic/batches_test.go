package anthropic

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// SubmitBatch, PollBatch and BatchResults against the simulated Message
// Batches API: each request translated as a live one, a succeeded
// result decoded as a message is, an overloaded one a retryable error,
// an unknown model's a 404 that is not; CancelBatch.
func TestBatcher(t *testing.T) {
	f := newFixture(t, testKey)
	ctx := context.Background()
	user := func(model, text string) *llm.Request {
		n := 100
		return &llm.Request{Model: model, MaxTokens: &n, Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: text}}}}}
	}
	id, err := f.c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "ok", Request: user(testModel, "Hello there")},
		{CustomID: "busy", Request: user(testModel, "Hello [[sim:unavailable]]")}, {CustomID: "gone", Request: user("no-such-model", "Hello")}})
	if err != nil || !strings.HasPrefix(id, "msgbatch_") {
		t.Fatalf("SubmitBatch = %q, %v", id, err)
	}
	if _, err := f.c.SubmitBatch(ctx, "k", []provider.BatchRequest{{CustomID: "e", Embedding: &llm.EmbeddingRequest{Model: testModel, Input: []string{"x"}}}}); err == nil {
		t.Error("an embeddings request was sent as a Message Batch")
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := f.c.PollBatch(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Ended {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the batch is still %s", st.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	rs, err := f.c.BatchResults(ctx, id)
	if err != nil || len(rs) != 3 {
		t.Fatalf("BatchResults = %+v, %v", rs, err)
	}
	by := map[string]provider.BatchResult{}
	for _, r := range rs {
		by[r.CustomID] = r
	}
	if r := by["ok"]; r.Response == nil || r.Response.Usage == nil || r.Response.Usage.CompletionTokens == 0 || len(r.Response.Choices) != 1 {
		t.Errorf("ok = %+v", r)
	}
	if r := by["busy"]; r.Err == nil || !r.Err.Retryable {
		t.Errorf("busy = %+v, want a retryable error", r)
	}
	if r := by["gone"]; r.Err == nil || r.Err.Retryable || r.Err.HTTPStatus() != 404 {
		t.Errorf("gone = %+v, want a 404 not retried", r.Err)
	}
	if err := f.c.CancelBatch(ctx, id); err != nil {
		t.Errorf("cancelling an ended batch: %v", err)
	}
	var le *llm.Error
	if _, err := f.c.PollBatch(ctx, "msgbatch_nope"); !errors.As(err, &le) || le.HTTPStatus() != 404 || strings.Contains(err.Error(), testKey) {
		t.Errorf("an unknown batch: %v", err)
	}
}

// FuzzDecodeMessageBatch: any bytes give a batch with an id and a
// processing status, or an error; never a panic.
func FuzzDecodeMessageBatch(f *testing.F) {
	f.Add([]byte(`{"id":"msgbatch_013Zva2CMHLNnXjNJJKqJ2EF","type":"message_batch","processing_status":"ended","request_counts":{"processing":0,"succeeded":1,"errored":0,"canceled":0,"expired":0}}`))
	f.Add([]byte(`{"id":"msgbatch_1","processing_status":"in_progress"}`))
	f.Add([]byte(`{"id":""}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := decodeMessageBatch(data)
		if err == nil && (b.ID == "" || b.ProcessingStatus == "") {
			t.Fatalf("decoded %+v", b)
		}
	})
}

// FuzzDecodeResult: any line gives a result with its custom id and one
// of an answer and an error, or an error; never a panic, never the key.
func FuzzDecodeResult(f *testing.F) {
	f.Add([]byte(`{"custom_id":"line-0","result":{"type":"succeeded","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Lima."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":3}}}}`))
	f.Add([]byte(`{"custom_id":"line-1","result":{"type":"errored","error":{"type":"error","error":{"type":"overloaded_error","message":"Overloaded sk-ant-api03-secret-test-key"}}}}`))
	f.Add([]byte(`{"custom_id":"line-2","result":{"type":"errored","error":{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}}}`))
	f.Add([]byte(`{"custom_id":"line-3","result":{"type":"expired"}}`))
	f.Add([]byte(`{"custom_id":"line-4","result":{"type":"canceled"}}`))
	f.Add([]byte(`{"custom_id":"line-5","result":{"type":"deferred"}}`))
	f.Add([]byte(`{"custom_id":"line-6","result":{"type":"succeeded","message":{"content":7}}}`))
	c := &Client{name: "anthropic", key: testKey}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := c.decodeResult(data)
		if err != nil {
			return
		}
		if r.CustomID == "" || (r.Response == nil) == (r.Err == nil) {
			t.Fatalf("decoded %+v", r)
		}
		if r.Err != nil && strings.Contains(r.Err.Error(), testKey) {
			t.Fatalf("the key in %v", r.Err)
		}
	})
}
