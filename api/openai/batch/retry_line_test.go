package batch

import (
	"testing"
	"time"

	"switchyard/store"
)

// A line answered with a retryable 429 (a budget held by the batch's
// own lines in flight, a rate limit: a Retry-After and no
// x-should-retry: false) is sent again after that wait, with backoff, a
// few times; a 429 that says not to retry (a spent budget) is kept at
// once. Before, every such line failed at once: 38 of a 40-line batch
// against a budget 0.3% spent, refused for the holds of the 3 lines
// running beside them.
func TestRunnerRetriesARetryable429(t *testing.T) {
	e := newRunnerEnv(t, 1)
	e.reply = func(n int32) Result {
		switch n {
		case 1, 2: // the first line, twice held
			return Result{Status: 429, RequestID: "req_held", RetryAfter: 5 * time.Millisecond, Body: []byte(`{"error":{"code":"budget_exceeded"}}`)}
		case 4: // the second line, refused for good
			return Result{Status: 429, RequestID: "req_spent", Body: []byte(`{"error":{"code":"budget_exceeded"}}`)}
		}
		return Result{Status: 200, RequestID: "req_ok", Body: []byte(`{"usage":{"prompt_tokens":2,"completion_tokens":3}}`)}
	}
	id := e.submit(t, 2)
	o := e.await(t, id, store.BatchCompleted)
	if e.sent.Load() != 4 || o.RequestCounts != (Counts{Total: 2, Completed: 1, Failed: 1}) {
		t.Fatalf("sent %d, counts %+v; want 4 sent, the first line answered on its third try, the second failed", e.sent.Load(), o.RequestCounts)
	}
}
