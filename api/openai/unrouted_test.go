package openai_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/route"
)

// The endpoints routed by their model alone (embeddings, moderations,
// images, audio) and a batch's creation (its lines are routed by their
// bodies) read no routing header: one sent there — or a mistyped
// x-switchyard-* header — is a 400 naming it and the endpoint, before
// the backend is called, rather than a cap or pin silently not applied;
// the session header passes.
func TestUnroutedEndpointsRefuseRoutingHeaders(t *testing.T) {
	m := mux(&fakeBackend{}, 0)
	for _, path := range []string{"/v1/embeddings", "/v1/moderations", "/v1/images/generations", "/v1/images/edits",
		"/v1/images/variations", "/v1/audio/speech", "/v1/audio/transcriptions", "/v1/audio/translations", "/v1/batches"} {
		for header, code := range map[string]string{"x-switchyard-max-cost-usd": "unsupported_header", "x-switchyard-modle": "unknown_header"} {
			w := do(m, http.MethodPost, path, `{}`, map[string]string{header: "0.01", "Content-Type": "application/json"})
			e := errorBody(t, w)
			if w.Code != 400 || str(e.Code) != code || str(e.Param) != header || !strings.Contains(e.Message, "POST "+path) {
				t.Errorf("%s with %s: %d %+v, want 400 %s", path, header, w.Code, e, code)
			}
		}
	}
	w := do(m, http.MethodPost, "/v1/embeddings", `{}`, map[string]string{"x-switchyard-session": "s1", "Content-Type": "application/json"})
	if e := errorBody(t, w); str(e.Code) == "unsupported_header" || str(e.Code) == "unknown_header" {
		t.Errorf("the session header refused: %+v", e)
	}
}

// Of the routing headers, the endpoints routed by their model alone read
// x-switchyard-timeout-ms: it reaches the backend in the request's
// context (route.TierTimeoutFrom); a bad value is a 400 naming it.
func TestModelRoutedEndpointsReadTimeout(t *testing.T) {
	var got time.Duration
	b := &fakeBackend{EmbedFunc: func(ctx context.Context, req *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
		got = route.TierTimeoutFrom(ctx)
		return &llm.EmbeddingResponse{Model: req.Model, Data: []llm.Embedding{{Vector: []float32{1}}}}, nil
	}}
	m := mux(b, 0)
	w := do(m, http.MethodPost, "/v1/embeddings", `{"model":"e","input":"hi"}`, map[string]string{"x-switchyard-timeout-ms": "1500", "Content-Type": "application/json"})
	if w.Code != 200 || got != 1500*time.Millisecond {
		t.Errorf("embeddings with the timeout header: %d, the backend saw %s; want 1.5s", w.Code, got)
	}
	w = do(m, http.MethodPost, "/v1/embeddings", `{"model":"e","input":"hi"}`, map[string]string{"x-switchyard-timeout-ms": "soon", "Content-Type": "application/json"})
	if e := errorBody(t, w); w.Code != 400 || str(e.Code) != "invalid_header" || str(e.Param) != "x-switchyard-timeout-ms" {
		t.Errorf("a bad timeout: %d %+v", w.Code, e)
	}
	w = do(m, http.MethodPost, "/v1/batches", `{}`, map[string]string{"x-switchyard-timeout-ms": "1500", "Content-Type": "application/json"})
	if e := errorBody(t, w); w.Code != 400 || str(e.Code) != "unsupported_header" {
		t.Errorf("a batch's creation with the timeout header: %d %+v, want it refused", w.Code, e)
	}
}
