package openai_test

import (
	"context"
	"errors"
	"fmt"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/llm"
)

func TestErrorKinds(t *testing.T) {
	tests := []struct {
		err        error
		status     int
		typ        string
		retryAfter string
	}{
		{llm.Errorf(llm.KindInvalidRequest, "bad"), 400, "invalid_request_error", ""},
		{llm.Errorf(llm.KindAuth, "who"), 401, "invalid_request_error", ""},
		{llm.Errorf(llm.KindPermission, "no"), 403, "permission_error", ""},
		{llm.Errorf(llm.KindNotFound, "gone"), 404, "invalid_request_error", ""},
		{llm.Errorf(llm.KindTooLarge, "big"), 413, "invalid_request_error", ""},
		{llm.Errorf(llm.KindUnprocessable, "hmm"), 422, "invalid_request_error", ""},
		{llm.Errorf(llm.KindRateLimit, "slow"), 429, "rate_limit_error", ""},
		{&llm.Error{Kind: llm.KindRateLimit, Message: "slow", RetryAfter: 1500 * time.Millisecond}, 429, "rate_limit_error", "2"},
		{&llm.Error{Kind: llm.KindRateLimit, Message: "slow", RetryAfter: 200 * time.Millisecond}, 429, "rate_limit_error", "1"},
		{&llm.Error{Kind: llm.KindRateLimit, Message: "slow", RetryAfter: 30 * time.Second}, 429, "rate_limit_error", "30"},
		{&llm.Error{Kind: llm.KindUnavailable, Message: "busy", RetryAfter: 5 * time.Second}, 503, "service_unavailable_error", "5"},
		{llm.Errorf(llm.KindUpstream, "broke"), 502, "server_error", ""},
		{llm.Errorf(llm.KindUnavailable, "busy"), 503, "service_unavailable_error", ""},
		{llm.Errorf(llm.KindTimeout, "late"), 504, "timeout_error", ""},
		{llm.Errorf(llm.KindCanceled, "gone"), 400, "request_canceled", ""},
		{llm.Errorf(llm.KindInternal, "bug"), 500, "server_error", ""},
		{&llm.Error{Kind: llm.KindUpstream, Status: 502, Message: "credentials"}, 502, "server_error", ""},
		{fmt.Errorf("dispatch: %w", llm.Errorf(llm.KindNotFound, "wrapped")), 404, "invalid_request_error", ""},
		{errors.New("plain error"), 500, "server_error", ""},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d %v", tt.status, tt.err), func(t *testing.T) {
			for _, stream := range []bool{false, true} {
				b := &fakeBackend{
					ChatFunc:   func(context.Context, *llm.Request) (*llm.Response, error) { return nil, tt.err },
					StreamFunc: func(context.Context, *llm.Request) (llm.Stream, error) { return nil, tt.err },
				}
				body := chatBody
				if stream {
					body = `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`
				}
				w := do(mux(b, 0), "POST", "/v1/chat/completions", body, nil)
				if w.Code != tt.status {
					t.Fatalf("stream=%v: status %d, want %d", stream, w.Code, tt.status)
				}
				e := errorBody(t, w)
				if e.Type != tt.typ {
					t.Errorf("type = %s, want %s", e.Type, tt.typ)
				}
				if got := w.Header().Get("Retry-After"); got != tt.retryAfter {
					t.Errorf("Retry-After = %q, want %q", got, tt.retryAfter)
				}
				if got, want := w.Header().Get("retry-after-ms"), retryAfterMs(tt.err); got != want {
					t.Errorf("retry-after-ms = %q, want %q", got, want)
				}
				if strings.Contains(w.Body.String(), "plain error") {
					t.Error("the cause of an internal error reached the client")
				}
			}
		})
	}
	t.Run("embeddings", func(t *testing.T) {
		b := &fakeBackend{EmbedFunc: func(context.Context, *llm.EmbeddingRequest) (*llm.EmbeddingResponse, error) {
			return nil, &llm.Error{Kind: llm.KindRateLimit, Message: "slow", RetryAfter: 3 * time.Second}
		}}
		w := do(mux(b, 0), "POST", "/v1/embeddings", `{"model":"e","input":"x"}`, nil)
		if w.Code != 429 || w.Header().Get("Retry-After") != "3" {
			t.Fatalf("%d %v", w.Code, w.Header())
		}
	})
}

// retryAfterMs is the retry-after-ms header err must give: its wait in
// milliseconds, or none.
func retryAfterMs(err error) string {
	var e *llm.Error
	if !errors.As(err, &e) || e.RetryAfter == 0 {
		return ""
	}
	return strconv.FormatInt(e.RetryAfter.Milliseconds(), 10)
}

func TestWriteErrorMessageFields(t *testing.T) {
	w := httptest.NewRecorder()
	e := llm.Errorf(llm.KindNotFound, "The model `x` does not exist.")
	e.Param, e.Code = "model", "model_not_found"
	apiopenai.WriteError(w, e)
	got := errorBody(t, w)
	if w.Code != 404 || got.Message != "The model `x` does not exist." || str(got.Param) != "model" || str(got.Code) != "model_not_found" {
		t.Fatalf("%d %+v", w.Code, got)
	}
	w = httptest.NewRecorder()
	apiopenai.WriteError(w, llm.Errorf(llm.KindTimeout, ""))
	if got := errorBody(t, w); got.Message != "Gateway Timeout" || got.Param != nil || got.Code != nil {
		t.Fatalf("empty message: %+v", got)
	}
}
