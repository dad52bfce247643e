package anthropic

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// stalledBatches is a message batch store whose database stopped
// answering: every call waits for its context's end.
type stalledBatches struct{ fakeBatches }

func (stalledBatches) List(ctx context.Context, _, _ string, _ int) ([]*MessageBatch, bool, error) {
	<-ctx.Done()
	return nil, false, ctx.Err()
}

func (stalledBatches) Get(ctx context.Context, _ string) (*MessageBatch, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

func (stalledBatches) Results(ctx context.Context, _ string, _ io.Writer) error {
	<-ctx.Done()
	return ctx.Err()
}

// stalledThreads is a thread store whose database stopped answering.
type stalledThreads struct{ memThreads }

func (*stalledThreads) Chain(ctx context.Context, _ string) ([]*store.Response, error) {
	<-ctx.Done()
	return nil, ctx.Err()
}

// serveBounded serves req on a Handler of h's stores with StoreTimeout
// timeout and returns the answer; it fails the test when none comes
// within a generous deadline (the request itself has none, as with
// server.request_timeout far away).
func serveBounded(t *testing.T, h *Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	h.Mount(mux)
	w := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		mux.ServeHTTP(w, req)
	}()
	select {
	case <-done:
		return w
	case <-time.After(30 * time.Second):
		t.Fatalf("%s %s: no answer with the store stalled and StoreTimeout %v", req.Method, req.URL.Path, h.StoreTimeout)
		return nil
	}
}

// With the store stalled, each store-bound Anthropic route answers 529
// overloaded_error (its shape, its SDKs retry it) within StoreTimeout
// (store.timeout) — the configured bound, not the default 5 s: a thread's
// continue too, which read its turns without a bound of its own and
// answered thread_not_found for a store that failed.
func TestStoreTimeoutBoundsAnthropicRoutes(t *testing.T) {
	t.Parallel()
	const timeout = 50 * time.Millisecond
	continueBody := `{"model":"auto","max_tokens":20,"thread":{"type":"continue","previous_message_id":"msg_1"},"messages":[{"role":"user","content":"Hi"}]}`
	for _, tc := range []struct{ method, path, body string }{
		{http.MethodGet, "/v1/messages/batches", ""},
		{http.MethodGet, "/v1/messages/batches/msgbatch_a", ""},
		{http.MethodGet, "/v1/messages/batches/msgbatch_a/results", ""},
		{http.MethodPost, "/v1/messages", continueBody},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			t.Parallel()
			h := &Handler{Backend: &fakeBackend{resp: textReply("ok")}, Batches: &stalledBatches{}, Threads: &stalledThreads{}, StoreTimeout: timeout}
			req := httptest.NewRequest(tc.method, tc.path, strings.NewReader(tc.body))
			req = req.WithContext(llm.WithRequestID(req.Context(), "req_1"))
			w := serveBounded(t, h, req)
			if typ, msg := errorOf(t, w); w.Code != 529 || typ != "overloaded_error" {
				t.Errorf("%d %s %q; want 529 overloaded_error", w.Code, typ, msg)
			}
		})
	}
}
