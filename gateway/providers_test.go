package gateway

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/provider"
)

// A provider's timeout bounds each call to it, short of the request's
// deadline: an upstream that never answers ends in a timeout error after
// it (which the route's next deployment follows), not at the deadline.
func TestProviderTimeoutBoundsACall(t *testing.T) {
	done := make(chan struct{})
	stalled := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-done:
		}
	}))
	defer stalled.Close()
	defer close(done)
	for _, timeout := range []time.Duration{200 * time.Millisecond, 0} {
		p, err := buildProvider(&config.Provider{Name: "p", Kind: "openai", BaseURL: stalled.URL + "/v1", APIKey: "k", Timeout: timeout}, slog.Default(), nil)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		start := time.Now()
		_, err = p.(provider.Embedder).Embed(ctx, &llm.EmbeddingRequest{Model: "m", Input: []string{"x"}})
		took := time.Since(start)
		cancel()
		e := llm.AsError(err)
		switch {
		case timeout > 0 && (e.Kind != llm.KindTimeout || !e.Retryable || took > 2*time.Second):
			t.Errorf("timeout %s: %v (kind %s, retryable %v) after %s; want a retryable timeout after about %s", timeout, err, e.Kind, e.Retryable, took, timeout)
		case timeout == 0 && took < 2*time.Second:
			t.Errorf("no timeout: the call ended after %s (%v), before the request's deadline", took, err)
		}
	}
}
