package openai

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// SubmitBatch, PollBatch and BatchResults against the simulated Files and
// Batch APIs: each request encoded as a live one (max_completion_tokens
// for api.openai.com's rule is not at stake here: the sim is another
// host), the answers decoded as chat completions, an answer of 5xx a
// retryable error, of 404 one that is not; CancelBatch.
func TestBatcher(t *testing.T) {
	e := newEnv(t, KindOpenAI, testKey)
	ctx := context.Background()
	user := func(text string) *llm.Request {
		return &llm.Request{Model: "gpt-sim", Messages: []llm.Message{{Role: llm.RoleUser, Content: []llm.Part{{Type: llm.PartText, Text: text}}}}}
	}
	missing := user("Hello")
	missing.Model = "no-such-model"
	id, err := e.c.SubmitBatch(ctx, "", []provider.BatchRequest{{CustomID: "ok", Request: user("Hello there")},
		{CustomID: "flaky", Request: user("Hello [[sim:server_error]]")}, {CustomID: "gone", Request: missing}})
	if err != nil || !strings.HasPrefix(id, "batch_") {
		t.Fatalf("SubmitBatch = %q, %v", id, err)
	}
	by := awaitResults(t, e.c, id, 3)
	if r := by["ok"]; r.Response == nil || r.Response.Usage == nil || r.Response.Usage.PromptTokens == 0 || len(r.Response.Choices) != 1 {
		t.Errorf("ok = %+v", r)
	}
	if r := by["flaky"]; r.Err == nil || !r.Err.Retryable {
		t.Errorf("flaky = %+v, want a retryable error", r)
	}
	if r := by["gone"]; r.Err == nil || r.Err.Retryable || r.Err.HTTPStatus() != 404 {
		t.Errorf("gone = %+v, want a 404 not retried", r.Err)
	}
	if err := e.c.CancelBatch(ctx, id); err == nil {
		t.Error("cancelling a completed batch succeeded")
	}
	var le *llm.Error
	if _, err := e.c.PollBatch(ctx, "batch_nope"); !errors.As(err, &le) || le.HTTPStatus() != 404 || strings.Contains(err.Error(), testKey) {
		t.Errorf("an unknown batch: %v", err)
	}
}

// awaitResults polls the provider batch id of c until it ended and
// returns its n results by custom id.
func awaitResults(t *testing.T, c *Client, id string, n int) map[string]provider.BatchResult {
	t.Helper()
	ctx := context.Background()
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := c.PollBatch(ctx, id)
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
	rs, err := c.BatchResults(ctx, id)
	if err != nil || len(rs) != n {
		t.Fatalf("BatchResults = %+v, %v", rs, err)
	}
	by := map[string]provider.BatchResult{}
	for _, r := range rs {
		by[r.CustomID] = r
	}
	return by
}

// FuzzDecodeBatchObject: any bytes give a batch with an id and a status,
// or an error; never a panic.
func FuzzDecodeBatchObject(f *testing.F) {
	f.Add([]byte(`{"id":"batch_abc","object":"batch","status":"completed","output_file_id":"file-1","error_file_id":null}`))
	f.Add([]byte(`{"id":"batch_abc","status":"in_progress"}`))
	f.Add([]byte(`{"id":"","status":""}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, err := decodeBatchObject(data)
		if err == nil && (o.ID == "" || o.Status == "") {
			t.Fatalf("decoded %+v without an id or a status", o)
		}
	})
}

// FuzzUploadedFileID: any answer to a batch input's upload gives a
// non-empty file id, which the batch's create body carries unchanged
// (its id as encoding/json reads it back), or an error; never a panic.
func FuzzUploadedFileID(f *testing.F) {
	for _, s := range []string{`{"id":"file-abc","object":"file","bytes":120,"purpose":"batch","filename":"switchyard_batch.jsonl"}`,
		`{"id":""}`, `{"id":null}`, `{"id":7}`, `[]`, `{"\u0069d":"file-\u00e9"}`, `{"id":"a\u0000b"}`, `{"id":"\ud800"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		id, err := uploadedFileID(data)
		if err != nil {
			if id != "" {
				t.Fatalf("%q: id %q with error %v", data, id, err)
			}
			return
		}
		if id == "" {
			t.Fatalf("%q: an empty id", data)
		}
		body, err := json.Marshal(map[string]any{"input_file_id": id})
		if err != nil {
			t.Fatal(err)
		}
		var back struct {
			ID string `json:"input_file_id"`
		}
		if err := json.Unmarshal(body, &back); err != nil || back.ID != id {
			t.Fatalf("%q: id %q reads back from the create body as %q (%v)", data, id, back.ID, err)
		}
	})
}

// FuzzDecodeResultLine: any line gives a result with its custom id and
// exactly one of an answer and an error, or an error; never a panic, and
// never the key.
func FuzzDecodeResultLine(f *testing.F) {
	f.Add([]byte(`{"id":"batch_req_1","custom_id":"line-0","response":{"status_code":200,"request_id":"req_1","body":{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1,"total_tokens":4}}},"error":null}`))
	f.Add([]byte(`{"id":"batch_req_2","custom_id":"line-1","response":{"status_code":429,"request_id":"req_2","body":{"error":{"message":"Rate limit sk-test-Zq8vR2mN4kL7pX1cT9wB","type":"rate_limit_error"}}},"error":null}`))
	f.Add([]byte(`{"id":"batch_req_3","custom_id":"line-2","response":null,"error":{"code":"batch_expired","message":"This request could not be executed before the completion window expired."}}`))
	f.Add([]byte(`{"custom_id":"x","response":{"status_code":200,"body":"nope"}}`))
	f.Add([]byte(`{"custom_id":"line-3","response":{"status_code":200,"body":{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,-1]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}}}}`))
	f.Add([]byte(`{"custom_id":"line-4","response":{"status_code":200,"body":{"id":"resp_1","object":"response","status":"completed","model":"gpt-5.5-pro","output":[{"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"gAAAAABx"},{"id":"msg_1","type":"message","role":"assistant","content":[{"type":"output_text","text":"Hi","annotations":[]}]}],"usage":{"input_tokens":3,"output_tokens":9,"output_tokens_details":{"reasoning_tokens":8},"total_tokens":12}}}}`))
	f.Add([]byte(`{"custom_id":"line-5","response":{"status_code":200,"body":{"id":"resp_2","object":"response","status":"failed","error":{"code":"server_error","message":"boom sk-test-Zq8vR2mN4kL7pX1cT9wB"},"output":[]}}}`))
	f.Add([]byte(`{"custom_id":"line-6","response":{"status_code":200,"body":{"id":"resp_3","object":"response","status":"in_progress","output":[]}}}`))
	f.Add([]byte(`{"custom_id":"line-7","response":{"status_code":200,"body":{"id":"resp_4","object":"response","status":"failed","error":{"code":"invalid_prompt","message":"flagged"},"output":[7]}}}`))
	c := &Client{name: "openai", key: testKey}
	f.Fuzz(func(t *testing.T, data []byte) {
		endpoint := batchChat
		switch {
		case bytes.Contains(data, []byte(`"embedding"`)):
			endpoint = batchEmbeddings
		case bytes.Contains(data, []byte(`"response"`)):
			endpoint = batchResponses
		}
		r, err := c.decodeResultLine(endpoint, data)
		if err != nil {
			return
		}
		if r.CustomID == "" || (r.Response == nil && r.Embedding == nil) == (r.Err == nil) || r.Response != nil && r.Embedding != nil {
			t.Fatalf("decoded %+v", r)
		}
		if r.Err != nil && strings.Contains(r.Err.Error(), testKey) {
			t.Fatalf("the key in %v", r.Err)
		}
	})
}
