package server

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	apiopenai "switchyard/api/openai"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/llm/llmtest"
	"switchyard/route"
)

func httptestRequest(body string, chunked bool) *http.Request {
	r := httptest.NewRequest("POST", "/v1/chat/completions", strings.NewReader(body))
	if chunked {
		r.ContentLength = -1
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// runServer serves s on a loopback listener until the test ends.
func runServer(t *testing.T, s *Server) string {
	t.Helper()
	ln, _, _ := listen(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln, time.Second) }()
	t.Cleanup(func() { cancel(); <-done })
	return ln.Addr().String()
}

// dial opens a raw client connection, with a safety deadline so a broken
// server fails the test instead of hanging it.
func dial(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	c.SetDeadline(time.Now().Add(5 * time.Second))
	return c
}

// closedByServer reports whether the server closed c (a read sees EOF
// or a reset) rather than leaving it open until the safety deadline.
func closedByServer(br *bufio.Reader) bool {
	_, err := io.ReadAll(br)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		return false
	}
	return true
}

func errorCode(t *testing.T, resp *http.Response) string {
	t.Helper()
	var body struct {
		Error struct {
			Message string `json:"message"`
			Code    string `json:"code"`
		} `json:"error"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || body.Error.Message == "" {
		t.Fatalf("not an OpenAI error body (%v)", err)
	}
	return body.Error.Code
}

// A body trickled slower than server.read_timeout allows is cut there:
// 408 in OpenAI's shape and the connection closed. A request answered
// before its body was read (401, 413) gets its answer at once and its
// connection closed once the router stopped lingering (lingerTime), even
// while the client keeps trickling.
func TestSlowBodyIsCutAtTheReadDeadline(t *testing.T) {
	const readTimeout = 200 * time.Millisecond
	b := &backend{ChatFunc: func(context.Context, *llm.Request) (*llm.Response, error) {
		return nil, llm.Errorf(llm.KindInternal, "a trickled body reached the backend")
	}}
	s := newServer(b, Options{Keys: []config.Key{{Key: "k"}}, Limits: Limits{ReadTimeout: readTimeout, WriteTimeout: time.Second},
		API: &apiopenai.Handler{MaxBodyBytes: 1000}})
	addr := runServer(t, s)
	tests := []struct {
		name   string
		header string
		status int
		code   string
	}{
		{"authenticated", "Authorization: Bearer k\r\nContent-Length: 500\r\n", http.StatusRequestTimeout, "read_timeout"},
		{"no key", "Content-Length: 500\r\n", http.StatusUnauthorized, ""},
		{"declared too large", "Authorization: Bearer k\r\nContent-Length: 5000\r\n", http.StatusRequestEntityTooLarge, ""},
		{"chunked", "Authorization: Bearer k\r\nTransfer-Encoding: chunked\r\n", http.StatusRequestTimeout, "read_timeout"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s\r\n", tt.header)
			stop := trickle(c, strings.HasPrefix(tt.header, "Authorization: Bearer k\r\nTransfer"))
			defer stop()
			start := time.Now()
			br := bufio.NewReader(c)
			resp, err := http.ReadResponse(br, nil)
			if err != nil {
				t.Fatalf("no response: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
			}
			if code := errorCode(t, resp); code != tt.code && tt.code != "" {
				t.Errorf("error code %q, want %q", code, tt.code)
			}
			if !resp.Close {
				t.Error("the response does not say Connection: close")
			}
			if !closedByServer(br) || time.Since(start) > lingerTime+time.Second {
				t.Fatalf("the connection is still open %s after the request started", time.Since(start))
			}
		})
	}
}

// trickle writes a byte of body every 20 ms (a chunk of one byte when
// chunked) until the connection fails or stop is called.
func trickle(c net.Conn, chunked bool) (stop func()) {
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		b := []byte("{")
		if chunked {
			b = []byte("1\r\n{\r\n")
		}
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if _, err := c.Write(b); err != nil {
				return
			}
		}
	}()
	return func() { close(done); <-finished }
}

// endless streams big chunks as fast as they are taken (the shared
// llmtest.Stream, repeating one chunk), until closed.
type endless struct {
	backend
	streams chan *llmtest.Stream
	ctx     chan context.Context
}

func (b *endless) Stream(ctx context.Context, _ *llm.Request, _ *route.Overrides, _ *llm.Served) (llm.Stream, error) {
	b.ctx <- ctx
	s := llmtest.NewStream(ctx, llmtest.Event{Chunk: bigChunk, Repeat: true})
	b.streams <- s
	return s, nil
}

var bigChunk = &llm.Chunk{ID: "c", Model: "m", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: strings.Repeat("lorem ipsum ", 1400)}}}}

// A client that stops reading a stream releases its handler within
// server.write_timeout: the stream (and so the upstream call) is closed.
func TestStreamReaderThatStopsReadingIsCut(t *testing.T) {
	const writeTimeout = 200 * time.Millisecond
	b := &endless{ctx: make(chan context.Context, 1), streams: make(chan *llmtest.Stream, 1)}
	s := newServer(b, Options{Limits: Limits{ReadTimeout: time.Second, WriteTimeout: writeTimeout}})
	addr := runServer(t, s)
	c := dial(t, addr).(*net.TCPConn)
	c.SetReadBuffer(4096)
	body := `{"model":"m","stream":true,"messages":[{"role":"user","content":"hi"}]}`
	fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
	// The client reads nothing from here on.
	ctx := receive(t, "the stream to start", b.ctx)
	// The write deadline is a real socket's: no clock to inject, so
	// receive's 5s hang detector (far past writeTimeout) is the bound.
	receive(t, "the stream to be closed", receive(t, "the stream", b.streams).Done())
	if ctx.Err() == nil {
		t.Error("the request's context is still live after its handler gave up")
	}
}

// An idle keep-alive connection is closed after server.idle_timeout.
func TestIdleConnectionIsClosed(t *testing.T) {
	s := newServer(&backend{}, Options{Limits: Limits{IdleTimeout: 100 * time.Millisecond}})
	c := dial(t, runServer(t, s))
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
	br := bufio.NewReader(c)
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if !closedByServer(br) {
		t.Fatal("an idle connection was kept past the idle timeout")
	}
}

// Past max_concurrent_requests or max_inflight_bytes, requests are turned
// away at once with 503, Retry-After and OpenAI's error shape; once the
// held request ends, the next one is served.
func TestAdmissionLimits(t *testing.T) {
	tests := []struct {
		name    string
		limits  Limits
		chunked bool // the second request's body has no declared length
		field   string
	}{
		{"concurrent requests", Limits{MaxConcurrentRequests: 1}, false, "server.max_concurrent_requests"},
		{"bytes in flight", Limits{MaxInflightBytes: int64(len(chatBody)) + 10}, false, "server.max_inflight_bytes"},
		{"bytes in flight, chunked", Limits{MaxInflightBytes: int64(len(chatBody)) + 10}, true, "server.max_inflight_bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := newSlowBackend()
			s := newServer(&b.backend, Options{Limits: tt.limits})
			first := make(chan int, 1)
			go func() { first <- do(s, "POST", "/v1/chat/completions", chatBody, nil).Code }()
			receive(t, "the first request to reach the backend", b.entered)

			r := httptestRequest(chatBody, tt.chunked)
			w := serve(s, r)
			if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" {
				t.Fatalf("second request: %d Retry-After %q, want 503 and 1: %s", w.Code, w.Header().Get("Retry-After"), w.Body)
			}
			msg, _, code := openAIError(t, w)
			if code != "server_overloaded" || !strings.Contains(msg, tt.field) {
				t.Errorf("error %q (%v), want code server_overloaded naming %s", msg, code, tt.field)
			}
			close(b.release)
			if c := receive(t, "the first response", first); c != 200 {
				t.Fatalf("first request: %d", c)
			}
			if w := serve(s, httptestRequest(chatBody, tt.chunked)); w.Code != 200 {
				t.Fatalf("request after the first ended: %d %s", w.Code, w.Body)
			}
		})
	}
}

// A body larger than server.max_inflight_bytes could never be admitted:
// it is a 413 in OpenAI's error shape, not a 503 that tells the client to
// send it again. Declared, with Expect: 100-continue, the answer comes
// before the body is asked for; chunked, once it grew past the budget.
func TestBodyPastTheInflightBudgetIsTooLarge(t *testing.T) {
	s := newServer(&backend{}, Options{Limits: Limits{MaxInflightBytes: 1000, ReadTimeout: time.Second, WriteTimeout: time.Second}})
	addr := runServer(t, s)
	chunk := "7d0\r\n" + strings.Repeat(" ", 2000) + "\r\n0\r\n\r\n"
	for _, tt := range []struct{ name, header, body string }{
		{"declared", "Content-Length: 100000000\r\nExpect: 100-continue\r\n", ""},
		{"chunked", "Transfer-Encoding: chunked\r\n", chunk},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := dial(t, addr)
			fmt.Fprintf(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n%s\r\n%s", tt.header, tt.body)
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			if err != nil {
				t.Fatalf("no response: %v", err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Fatalf("status %d, want 413", resp.StatusCode)
			}
			var body struct {
				Error struct {
					Type    string `json:"type"`
					Message string `json:"message"`
				} `json:"error"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if body.Error.Type != "invalid_request_error" || !strings.Contains(body.Error.Message, "server.max_inflight_bytes") {
				t.Errorf("error %+v, want an invalid_request_error naming server.max_inflight_bytes", body.Error)
			}
		})
	}
}

// A request whose headers are dribbled (slowloris) is cut at
// server.read_header_timeout: net/http answers its plain-text 400 and
// closes the connection, which holds no goroutine after.
func TestDribbledHeadersAreCut(t *testing.T) {
	s := newServer(&backend{}, Options{Limits: Limits{ReadHeaderTimeout: 200 * time.Millisecond}})
	c := dial(t, runServer(t, s))
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		io.WriteString(c, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nX-Slow: ")
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			if _, err := io.WriteString(c, "a"); err != nil {
				return
			}
		}
	}()
	if !closedByServer(bufio.NewReader(c)) {
		t.Fatal("a connection dribbling its headers was kept past server.read_header_timeout")
	}
}
