package gemini

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"switchyard/llm/llmtest"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
	wire "switchyard/wire/gemini"
)

func TestChatErrors(t *testing.T) {
	tests := []struct {
		name       string
		key, model string
		prompt     string
		kind       llm.ErrorKind
		status     int
		retryable  bool
		retryAfter time.Duration
		msg        string
		code       string
	}{
		{name: "rate limit", prompt: "[[sim:rate_limit=3]]", kind: llm.KindRateLimit, status: 429, retryable: true, retryAfter: 3 * time.Second, msg: "RESOURCE_EXHAUSTED"},
		{name: "unavailable", prompt: "[[sim:unavailable]]", kind: llm.KindUnavailable, status: 503, retryable: true, msg: "overloaded"},
		{name: "server error", prompt: "[[sim:server_error]]", kind: llm.KindUpstream, status: 502, retryable: true, msg: "INTERNAL"},
		{name: "reset", prompt: "[[sim:reset]]", kind: llm.KindUpstream, status: 502, retryable: true},
		// One undecodable event is skipped; the stream then ends cut.
		{name: "malformed", prompt: "[[sim:malformed]]", kind: llm.KindUpstream, status: 502, retryable: true, msg: "finishReason"},
		{name: "invalid key", key: "invalid-" + testKey, kind: llm.KindUpstream, status: 502, msg: "credentials", code: llm.CodeUpstreamAuth},
		{name: "missing key", key: "", kind: llm.KindUpstream, status: 502, msg: "credentials", code: llm.CodeUpstreamAuth},
		{name: "unknown model", model: "gemini-0", kind: llm.KindNotFound, status: 404, msg: "NOT_FOUND"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := testKey
			if tt.key != "" || strings.HasPrefix(tt.name, "missing") {
				key = tt.key
			}
			model := tt.model
			if model == "" {
				model = "gemini-2.0-flash"
			}
			_, err := llmtest.Complete(context.Background(), newSim(t, key), chatReq(model, "hello "+tt.prompt))
			var le *llm.Error
			if !errors.As(err, &le) {
				t.Fatalf("err = %v (%T), want *llm.Error", err, err)
			}
			if le.Kind != tt.kind || le.HTTPStatus() != tt.status || le.Retryable != tt.retryable || le.RetryAfter != tt.retryAfter {
				t.Errorf("got kind %s status %d retryable %v retryAfter %v; want %s %d %v %v",
					le.Kind, le.HTTPStatus(), le.Retryable, le.RetryAfter, tt.kind, tt.status, tt.retryable, tt.retryAfter)
			}
			if tt.code != "" && le.Code != tt.code {
				t.Errorf("code %q, want %q", le.Code, tt.code)
			}
			if !strings.Contains(le.Message, tt.msg) || le.Provider != "gem" {
				t.Errorf("message %q provider %q, want %q", le.Message, le.Provider, tt.msg)
			}
			if key != "" && strings.Contains(le.Error(), key) {
				t.Errorf("key leaked: %v", le)
			}
		})
	}
}

func TestUpstreamRejectsRequest(t *testing.T) {
	req := chatReq("gemini-2.0-flash", "hi")
	req.Stop = []string{"1", "2", "3", "4", "5", "6"}
	_, err := llmtest.Complete(context.Background(), newSim(t, testKey), req)
	if kindOf(err) != llm.KindInvalidRequest || !strings.Contains(err.Error(), "INVALID_ARGUMENT") {
		t.Errorf("err = %v", err)
	}
	req = chatReq("gemini-2.0-flash", "hi")
	req.Temperature = ptrTo(3.0)
	if _, err := llmtest.Complete(context.Background(), newSim(t, testKey), req); kindOf(err) != llm.KindInvalidRequest {
		t.Errorf("temperature 3: %v", err)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestStreamErrors(t *testing.T) {
	tests := []struct {
		prompt string
		kind   llm.ErrorKind
		atOpen bool // the error comes from Stream, before any chunk
	}{
		{"[[sim:rate_limit]]", llm.KindRateLimit, true},
		{"[[sim:unavailable]]", llm.KindUnavailable, true},
		{"[[sim:reset]]", llm.KindUpstream, true},
		{"[[sim:cut]]", llm.KindUpstream, false},
		{"[[sim:malformed]]", llm.KindUpstream, false},
	}
	for _, tt := range tests {
		t.Run(tt.prompt, func(t *testing.T) {
			st, err := newSim(t, testKey).Stream(context.Background(), chatReq("gemini-2.0-flash", "tell me more "+tt.prompt))
			if tt.atOpen {
				if kindOf(err) != tt.kind {
					t.Fatalf("Stream err = %v, want %s", err, tt.kind)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			for {
				_, err = st.Next()
				if err != nil {
					break
				}
			}
			if err == io.EOF || kindOf(err) != tt.kind {
				t.Fatalf("end = %v, want a %s error", err, tt.kind)
			}
			var le *llm.Error
			errors.As(err, &le)
			if !le.Retryable || le.Provider != "gem" {
				t.Errorf("retryable %v provider %q", le.Retryable, le.Provider)
			}
		})
	}
}

func TestRequestShape(t *testing.T) {
	type seen struct {
		path, query, key, auth, custom, accept string
	}
	got := make(chan seen, 2)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- seen{r.URL.Path, r.URL.RawQuery, r.Header.Get("x-goog-api-key"), r.Header.Get("Authorization"), r.Header.Get("X-Custom"), r.Header.Get("Accept")}
		const frag = `{"candidates":[{"content":{"parts":[{"text":"ok"}],"role":"model"},"finishReason":"STOP","index":0}]}`
		if r.URL.Query().Get("alt") == "sse" {
			w.Header().Set("Content-Type", "text/event-stream")
			io.WriteString(w, "data: "+frag+"\r\n\r\n")
			return
		}
		io.WriteString(w, frag)
	}))
	defer srv.Close()
	c, err := New(provider.Config{Name: "gem", BaseURL: srv.URL + "/v1beta/", APIKey: testKey, HTTPClient: srv.Client(),
		Headers: map[string]string{"X-Custom": "yes", "Authorization": "Bearer client-token"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := llmtest.Complete(context.Background(), c, chatReq("models/gemini-2.0-flash", "hi")); err != nil {
		t.Fatal(err)
	}
	st, err := c.Stream(context.Background(), chatReq("gemini-2.0-flash", "hi"))
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	chat, stream := <-got, <-got
	for _, stream := range []seen{chat, stream} {
		if stream.path != "/v1beta/models/gemini-2.0-flash:streamGenerateContent" || stream.query != "alt=sse" || stream.accept != "text/event-stream" {
			t.Errorf("stream URL %s?%s accept %q", stream.path, stream.query, stream.accept)
		}
	}
	for _, s := range []seen{chat, stream} {
		if s.key != testKey || s.auth != "" || s.custom != "yes" || strings.Contains(s.query, testKey) {
			t.Errorf("headers: %+v", s)
		}
	}
}

func TestKeyRedactedFromUpstreamMessage(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusBadRequest)
		io.WriteString(w, `{"error":{"code":400,"message":"bad request for key `+r.Header.Get("x-goog-api-key")+`","status":"INVALID_ARGUMENT"}}`)
	}))
	defer srv.Close()
	_, err := llmtest.Complete(context.Background(), newClient(t, srv, testKey), chatReq("m", "hi"))
	if err == nil || strings.Contains(err.Error(), testKey) || !strings.Contains(err.Error(), "[REDACTED:secret]") {
		t.Errorf("err = %v", err)
	}
}

func TestEmbedUsageFromUpstream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"embeddings":[{"values":[0.6,0.8]}],"usageMetadata":{"promptTokenCount":11}}`)
	}))
	defer srv.Close()
	resp, err := newClient(t, srv, testKey).Embed(context.Background(), &llm.EmbeddingRequest{Model: "m", Input: []string{"x"}})
	if err != nil || resp.Usage.PromptTokens != 11 {
		t.Errorf("usage %+v, %v", resp, err)
	}
	srv2 := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"embeddings":[]}`)
	}))
	defer srv2.Close()
	if _, err := newClient(t, srv2, testKey).Embed(context.Background(), &llm.EmbeddingRequest{Model: "m", Input: []string{"x"}}); kindOf(err) != llm.KindUpstream {
		t.Errorf("count mismatch: %v", err)
	}
}

func TestRegistered(t *testing.T) {
	p, err := provider.New(provider.Config{Name: "g", Kind: "gemini", APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	c := p.(*Client)
	if c.root != DefaultBaseURL+"/v1beta" {
		t.Errorf("root = %q", c.root)
	}
	for base, want := range map[string]string{
		"http://h/":        "http://h/v1beta",
		"http://h/v1":      "http://h/v1",
		"http://h/v1beta/": "http://h/v1beta",
	} {
		c, err := New(provider.Config{BaseURL: base})
		if err != nil || c.root != want {
			t.Errorf("base %q: root %q, %v", base, c.root, err)
		}
	}
	if _, err := New(provider.Config{BaseURL: "ftp://h"}); err == nil {
		t.Error("ftp base URL accepted")
	}
}

// TestRetryInfo: Gemini says when to retry a 429 in its body (a
// google.rpc.RetryInfo detail), not in a Retry-After header.
func TestRetryInfo(t *testing.T) {
	const body = `{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[` +
		`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37s"}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t, srv, testKey).Stream(context.Background(), chatReq("gemini-2.0-flash", "hi"))
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindRateLimit || le.RetryAfter != 37*time.Second {
		t.Fatalf("err = %v, want a rate limit with RetryAfter 37s", err)
	}
}

// TestDailyQuota: a 429 for a spent daily quota asks the router to keep
// away until midnight Pacific, when Gemini resets it, not for the seconds
// of its RetryInfo.
func TestDailyQuota(t *testing.T) {
	const body = `{"error":{"code":429,"message":"You exceeded your current quota.","status":"RESOURCE_EXHAUSTED","details":[` +
		`{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},` +
		`{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"47s"}]}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	_, err := newClient(t, srv, testKey).Stream(context.Background(), chatReq("gemini-2.0-flash", "hi"))
	var le *llm.Error
	if !errors.As(err, &le) || le.Kind != llm.KindRateLimit {
		t.Fatalf("err = %v, want a rate limit", err)
	}
	if want := wire.UntilQuotaReset(time.Now()); le.RetryAfter < want || le.RetryAfter > want+time.Minute {
		t.Errorf("RetryAfter = %v, want about %v (midnight Pacific)", le.RetryAfter, want)
	}
}
