package provider

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchyard/llm"
)

// dripServer answers after wait with contentType, then 8 bytes every
// 20 ms for about 200 ms.
func dripServer(t *testing.T, wait time.Duration, contentType string) *httptest.Server {
	t.Helper()
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-time.After(wait):
		case <-r.Context().Done():
			return
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		for range 10 {
			io.WriteString(w, "data: x\n")
			w.(http.Flusher).Flush()
			select {
			case <-time.After(20 * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
	}))
	t.Cleanup(s.Close)
	return s
}

// read calls url with hc and reads the whole body.
func read(ctx context.Context, hc *http.Client, url, accept string) ([]byte, error) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	req.Header.Set("Accept", accept)
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func TestCallTimeout(t *testing.T) {
	const timeout = 100 * time.Millisecond
	hc := WithCallTimeout(&http.Client{Transport: NewTransport()}, timeout)
	tests := []struct {
		name        string
		wait        time.Duration
		contentType string
		accept      string
		timedOut    bool
		// streamedCall marks the call WithStreamedAnswer.
		streamedCall bool
	}{
		{"a stream flowing past it", 0, "text/event-stream", "text/event-stream", false, false},
		{"a stream without its type, to a request that accepts one", 0, "", "text/event-stream", false, false},
		{"a stream's late headers", 2 * timeout, "text/event-stream", "text/event-stream", true, false},
		{"a JSON body dripping past it", 0, "application/json", "application/json", true, false},
		{"a body without a type, not asked as a stream", 0, "", "application/json", true, false},
		{"late headers of JSON", 2 * timeout, "application/json", "application/json", true, false},
		{"audio flowing past it", 0, "audio/mpeg", "*/*", true, false},
		{"audio flowing past it, to a streamed call", 0, "audio/mpeg", "*/*", false, true},
		{"audio's late headers, to a streamed call", 2 * timeout, "audio/mpeg", "*/*", true, true},
		{"a JSON body dripping past it, to a streamed call", 0, "application/json", "*/*", true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := dripServer(t, tt.wait, tt.contentType)
			ctx := context.Background()
			if tt.streamedCall {
				ctx = WithStreamedAnswer(ctx)
			}
			body, err := read(ctx, hc, s.URL, tt.accept)
			if !tt.timedOut {
				if err != nil || len(body) != 80 {
					t.Fatalf("read %d bytes, %v; want the whole body", len(body), err)
				}
				return
			}
			var te *CallTimeoutError
			if !errors.As(err, &te) || te.After != timeout {
				t.Fatalf("read %d bytes, %v; want a CallTimeoutError", len(body), err)
			}
			e := TransportError("p", context.Background(), err)
			if e.Kind != llm.KindTimeout || !e.Retryable {
				t.Errorf("mapped to %+v, want a retryable timeout", e)
			}
		})
	}
}

// The caller's own cancellation is not the provider's timeout.
func TestCallTimeoutCallerCancels(t *testing.T) {
	hc := WithCallTimeout(nil, time.Hour)
	s := dripServer(t, time.Hour, "text/event-stream")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.URL, nil)
	_, err := hc.Do(req)
	var te *CallTimeoutError
	if err == nil || errors.As(err, &te) {
		t.Fatalf("err %v, want the caller's deadline", err)
	}
	if e := TransportError("p", ctx, err); e.Kind != llm.KindTimeout {
		t.Errorf("mapped to %+v", e)
	}
}

// A zero timeout leaves the client as it is; a client's own Timeout,
// which would bound streams whole, is cleared.
func TestWithCallTimeoutClient(t *testing.T) {
	hc := &http.Client{Timeout: time.Second}
	if got := WithCallTimeout(hc, 0); got != hc {
		t.Error("a zero timeout changed the client")
	}
	got := WithCallTimeout(hc, time.Second)
	if got.Timeout != 0 || hc.Timeout != time.Second {
		t.Errorf("Timeout %v (given client's now %v), want 0 on the copy alone", got.Timeout, hc.Timeout)
	}
}
