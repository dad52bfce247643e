package anthropic

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/route"
)

// fakeBackend answers from fixed values.
type fakeBackend struct {
	resp   *llm.Response
	chunks []*llm.Chunk
	err    error // after the chunks, for streams; instead of resp otherwise
	closed chan struct{}
}

func (b *fakeBackend) Chat(_ context.Context, _ *llm.Request, _ *route.Overrides, s *llm.Served) (*llm.Response, error) {
	s.Deployment, s.CostUSD = "dep-a", 0.0001
	return b.resp, b.err
}

func (b *fakeBackend) Stream(_ context.Context, _ *llm.Request, _ *route.Overrides, s *llm.Served) (llm.Stream, error) {
	s.Deployment = "dep-a"
	return &fakeStream{b: b}, nil
}

type fakeStream struct {
	b *fakeBackend
	i int
}

func (s *fakeStream) Next() (*llm.Chunk, error) {
	if s.i < len(s.b.chunks) {
		s.i++
		return s.b.chunks[s.i-1], nil
	}
	if s.b.err != nil {
		return nil, s.b.err
	}
	return nil, io.EOF
}

func (s *fakeStream) Close() error {
	select {
	case <-s.b.closed:
	default:
		close(s.b.closed)
	}
	return nil
}

func serve(t *testing.T, b Backend, body string) *httptest.ResponseRecorder {
	t.Helper()
	mux := http.NewServeMux()
	(&Handler{Backend: b, CountTokens: func(r *llm.Request) int { return len(r.Messages) }}).Mount(mux)
	req := httptest.NewRequest(http.MethodPost, "/v1/messages", strings.NewReader(body))
	req = req.WithContext(llm.WithRequestID(req.Context(), "req_00ff"))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, req)
	return w
}

const hiBody = `{"model":"auto","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}`

func TestMessagesComplete(t *testing.T) {
	b := &fakeBackend{resp: &llm.Response{ID: "x", Model: "gpt-4o-mini", Choices: []llm.Choice{{Message: llm.TextMessage(llm.RoleAssistant, "Hello"), FinishReason: llm.FinishStop}}}}
	w := serve(t, b, hiBody)
	if w.Code != 200 || !strings.HasPrefix(w.Body.String(), `{"id":"msg_00ff","type":"message"`) {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	h := w.Header()
	if h.Get("request-id") != "req_00ff" || h.Get("x-switchyard-deployment") != "dep-a" || h.Get("x-switchyard-cost-usd") != "0.0001" {
		t.Errorf("headers %v", h)
	}
}

func TestMessagesStreamBreaks(t *testing.T) {
	b := &fakeBackend{closed: make(chan struct{}), err: llm.Errorf(llm.KindUpstream, "the upstream cut the stream"),
		chunks: []*llm.Chunk{{ID: "c", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "Hel"}}}}}}
	w := serve(t, b, strings.Replace(hiBody, `"max_tokens"`, `"stream":true,"max_tokens"`, 1))
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "event: content_block_delta") || strings.Contains(body, "message_stop") ||
		!strings.HasSuffix(body, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"the upstream cut the stream\"}}\n\n") {
		t.Errorf("%d %s", w.Code, body)
	}
	select {
	case <-b.closed:
	default:
		t.Error("stream not closed")
	}
}

func TestWriteErrorStatuses(t *testing.T) {
	over := llm.Errorf(llm.KindUnavailable, "busy")
	over.RetryAfter = 1500 * time.Millisecond
	spent := llm.Errorf(llm.KindRateLimit, "budget spent")
	spent.Retryable = false
	for _, tt := range []struct {
		err         error
		status      int
		typ, header string
	}{
		{over, 529, "overloaded_error", "Retry-After=2"},
		{spent, 429, "rate_limit_error", "X-Should-Retry=false"},
		{llm.Errorf(llm.KindNotFound, "no model"), 404, "not_found_error", ""},
		{llm.Errorf(llm.KindAuth, "bad key"), 401, "authentication_error", ""},
		{llm.Errorf(llm.KindCanceled, "gone"), 400, "api_error", ""},
		{errors.New("boom"), 500, "api_error", ""},
	} {
		r := httptest.NewRequest(http.MethodPost, "/v1/messages", nil)
		r = r.WithContext(llm.WithRequestID(r.Context(), "req_1"))
		w := httptest.NewRecorder()
		WriteError(w, r, tt.err)
		if w.Code != tt.status || !strings.Contains(w.Body.String(), `"type":"`+tt.typ+`"`) || !strings.HasSuffix(w.Body.String(), `"request_id":"req_1"}`) || w.Header().Get("request-id") != "req_1" {
			t.Errorf("%v: %d %s", tt.err, w.Code, w.Body)
		}
		if k, v, ok := strings.Cut(tt.header, "="); ok && w.Header().Get(k) != v {
			t.Errorf("%v: %s = %q, want %q", tt.err, k, w.Header().Get(k), v)
		}
	}
}

func TestPath(t *testing.T) {
	for p, want := range map[string]bool{"/v1/messages": true, "/v1/messages/count_tokens": true, "/v1/messagesx": false, "/v1/chat/completions": false, "/v1/messages/": true} {
		if Path(p) != want {
			t.Errorf("Path(%q) = %v", p, !want)
		}
	}
}
