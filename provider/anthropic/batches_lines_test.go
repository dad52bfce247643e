package anthropic

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/provider"
)

// TestBatchResultsLines: a Message Batch's result line that cannot be
// read — a result type this adapter does not know, a succeeded one
// without its message, a message of the wrong shape — is that line's
// retryable error (it runs again on the router), not the whole file's:
// the provider's other answers, answered and billed, are kept. A line
// naming no request answers none and fails nothing.
func TestBatchResultsLines(t *testing.T) {
	lines := []string{
		`{"custom_id":"answer","result":{"type":"succeeded","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[{"type":"text","text":"Lima."}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":10,"output_tokens":3}}}}`,
		`{"custom_id":"new","result":{"type":"deferred"}}`,
		`{"custom_id":"empty","result":{"type":"succeeded"}}`,
		`{"custom_id":"shape","result":{"type":"succeeded","message":{"content":7}}}`,
		`{"custom_id":"","result":{"type":"expired"}}`,
		`{"custom_id":"torn","result":{"ty`,
	}
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-jsonl")
		io.WriteString(w, strings.Join(lines, "\n")+"\n")
	})
	c, err := New(provider.Config{Name: "claude-test", Kind: "anthropic", BaseURL: srv.URL, APIKey: testKey})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.BatchResults(t.Context(), "msgbatch_1")
	if err != nil {
		t.Fatalf("BatchResults: %v", err)
	}
	by := map[string]provider.BatchResult{}
	for _, r := range rs {
		by[r.CustomID] = r
	}
	if len(by) != 4 || by["answer"].Response == nil || by["answer"].Response.Usage == nil {
		t.Fatalf("results %+v, want 4, the answer's read", rs)
	}
	for _, id := range []string{"new", "empty", "shape"} {
		if r := by[id]; r.Err == nil || !r.Err.Retryable || r.Response != nil {
			t.Errorf("%s: %+v, want a retryable error", id, r)
		}
	}
}
