package openai

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestStreamReusesConnection checks that streams read to [DONE] give
// their connection back even when the body's end comes a moment after
// [DONE] (as under load): closed before it, each next request would dial
// a new connection.
func TestStreamReusesConnection(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, doneStream)
		w.(http.Flusher).Flush()
		time.Sleep(5 * time.Millisecond) // then the handler returns: the body ends
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	t.Cleanup(srv.Close)
	c := newClient(t, providerConfig(KindOpenAI, srv.URL+"/v1"))
	for i := range 10 {
		s, err := c.Stream(context.Background(), userRequest("m", "hi"))
		if err != nil {
			t.Fatal(err)
		}
		if chunks, err := drain(s); err != io.EOF || streamText(chunks) != "hi" {
			t.Fatalf("stream %d: %q, %v", i, streamText(chunks), err)
		}
		time.Sleep(20 * time.Millisecond) // the body's end is read in the background
	}
	if n := conns.Load(); n > 2 {
		t.Errorf("10 sequential streams opened %d connections, want 1 (reused)", n)
	}
}

// doneStream is one content chunk and [DONE].
const doneStream = `data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n\n"

// TestStreamDoneThenHeldOpen checks that an upstream that sends [DONE]
// and then keeps the response open neither delays the caller nor leaks
// the background read (goleak checks the latter at exit).
func TestStreamDoneThenHeldOpen(t *testing.T) {
	release := make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, doneStream)
		w.(http.Flusher).Flush()
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	c := newClient(t, providerConfig(KindOpenAI, srv.URL+"/v1"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	s, err := c.Stream(ctx, userRequest("m", "hi"))
	if err != nil {
		t.Fatal(err)
	}
	chunks, err := drain(s)
	if err != io.EOF || streamText(chunks) != "hi" {
		t.Fatalf("got %q, %v; want \"hi\", io.EOF", streamText(chunks), err)
	}
	if d := time.Since(start); d > drainTimeout/2 {
		t.Errorf("the caller waited %v for a body that never ends", d)
	}
}
