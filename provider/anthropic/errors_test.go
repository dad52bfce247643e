package anthropic

import (
	"context"
	"net/http"
	"strings"
	"switchyard/llm/llmtest"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/sim"
	wire "switchyard/wire/anthropic"
)

// TestErrorClasses drives every failure the simulator can produce before
// the first byte, through Chat and Stream alike.
func TestErrorClasses(t *testing.T) {
	tests := []struct {
		name       string
		key        string
		prompt     string
		model      string
		kind       llm.ErrorKind
		status     int
		retryable  bool
		retryAfter time.Duration
		msg        string
	}{
		{"401 is our credentials", "", "Hi", testModel, llm.KindUpstream, 502, false, 0, "rejected the configured credentials"},
		{"429 rate limit", testKey, "Hi [[sim:rate_limit=3]]", testModel, llm.KindRateLimit, 429, true, 3 * time.Second, "rate_limit_error"},
		{"529 overloaded", testKey, "Hi [[sim:unavailable]]", testModel, llm.KindUnavailable, 503, true, 0, "overloaded_error: Overloaded"},
		{"500 api error", testKey, "Hi [[sim:server_error]]", testModel, llm.KindUpstream, 502, true, 0, "api_error"},
		{"reset", testKey, "Hi [[sim:reset]]", testModel, llm.KindUpstream, 502, true, 0, "upstream claude-test"},
		{"404 model", testKey, "Hi", "claude-none", llm.KindNotFound, 404, false, 0, "not_found_error: model: claude-none"},
	}
	for _, tt := range tests {
		for _, stream := range []bool{false, true} {
			name := tt.name + map[bool]string{false: "/chat", true: "/stream"}[stream]
			t.Run(name, func(t *testing.T) {
				f := newFixture(t, tt.key)
				req := chatReq(tt.prompt)
				req.Model = tt.model
				var err error
				if stream {
					var s llm.Stream
					if s, err = f.c.Stream(context.Background(), req); s != nil {
						s.Close()
						t.Fatal("Stream returned a stream for a failed request")
					}
				} else {
					_, err = llmtest.Complete(context.Background(), f.c, req)
				}
				le := asError(t, err)
				if le.Kind != tt.kind || le.HTTPStatus() != tt.status || le.Retryable != tt.retryable || le.RetryAfter != tt.retryAfter || le.Provider != "claude-test" {
					t.Errorf("got kind %s status %d retryable %v retry-after %v provider %q; want %s %d %v %v",
						le.Kind, le.HTTPStatus(), le.Retryable, le.RetryAfter, le.Provider, tt.kind, tt.status, tt.retryable, tt.retryAfter)
				}
				if !strings.Contains(le.Message, tt.msg) {
					t.Errorf("message %q lacks %q", le.Message, tt.msg)
				}
			})
		}
	}
}

func TestMaxTokensOverModelLimit(t *testing.T) {
	f := newFixture(t, testKey)
	req := chatReq("Hi")
	n := 100000
	req.MaxTokens = &n
	_, err := llmtest.Complete(context.Background(), f.c, req)
	le := asError(t, err)
	if le.Kind != llm.KindInvalidRequest || le.Retryable || !strings.Contains(le.Message, "invalid_request_error: max_tokens: 100000 > 8192") {
		t.Errorf("err %+v", le)
	}
}

func TestKeyNeverInErrors(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write(wire.EncodeError(wire.AuthenticationError, "invalid x-api-key: "+r.Header.Get("x-api-key"), "req_1"))
	})
	c := clientFor(t, srv.URL, testKey)
	_, err := llmtest.Complete(context.Background(), c, chatReq("Hi"))
	le := asError(t, err)
	if msg := strings.ReplaceAll(le.Error(), "[REDACTED:secret]", ""); strings.Contains(msg, testKey) || strings.Contains(msg, "secret") {
		t.Errorf("key leaked: %s", le.Error())
	}
	if le.Kind != llm.KindUpstream || le.Retryable {
		t.Errorf("err %+v", le)
	}
}

func TestShouldRetryHeader(t *testing.T) {
	srv := serve(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("x-should-retry", "false")
		w.WriteHeader(http.StatusInternalServerError)
		w.Write(wire.EncodeError(wire.APIError, "do not retry this", ""))
	})
	c := clientFor(t, srv.URL, testKey)
	_, err := llmtest.Complete(context.Background(), c, chatReq("Hi"))
	if le := asError(t, err); le.Retryable {
		t.Errorf("x-should-retry: false ignored: %+v", le)
	}
}

func TestSlowFaultHonoursContext(t *testing.T) {
	f := newFixture(t, testKey)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	var err error
	within(t, 5*time.Second, "Chat", func() { _, err = llmtest.Complete(ctx, f.c, chatReq("Hi [[sim:slow=10s]]")) })
	if le := asError(t, err); le.Kind != llm.KindTimeout || !le.Retryable {
		t.Errorf("err %+v", le)
	}
	f.faults.Add(sim.Fault{Kind: sim.FaultSlow, Delay: 10 * time.Second})
	ctx, cancel2 := context.WithCancel(context.Background())
	time.AfterFunc(20*time.Millisecond, cancel2)
	within(t, 5*time.Second, "Stream", func() { _, err = f.c.Stream(ctx, chatReq("Hi")) })
	if le := asError(t, err); le.Kind != llm.KindCanceled {
		t.Errorf("err %+v", le)
	}
}

// TestFastLimitHit: a 429 to a request in fast mode is fast mode's own
// limit when a fast header says so or none says which, and one of the
// model's standard limits when a standard header is at 0 and no fast one.
func TestFastLimitHit(t *testing.T) {
	for _, tt := range []struct {
		headers map[string]string
		fast    bool
	}{
		{map[string]string{"anthropic-fast-output-tokens-remaining": "0", "anthropic-ratelimit-requests-remaining": "0"}, true},
		{map[string]string{"anthropic-fast-input-tokens-remaining": "0"}, true},
		{map[string]string{}, true},
		{map[string]string{"anthropic-ratelimit-requests-remaining": "0", "anthropic-fast-input-tokens-remaining": "1200"}, false},
		{map[string]string{"anthropic-ratelimit-output-tokens-remaining": "0"}, false},
	} {
		h := http.Header{}
		for k, v := range tt.headers {
			h.Set(k, v)
		}
		if got := fastLimitHit(h); got != tt.fast {
			t.Errorf("%v: fast limit %v, want %v", tt.headers, got, tt.fast)
		}
	}
}
