package providertest

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// wait bounds every wait of the suite; a test that hits it has hung.
const wait = 10 * time.Second

// script is the one answer an upstream gives to every request.
type script struct {
	status      int    // 0 means 200
	contentType string // "" means text/event-stream
	header      map[string]string
	body        string
	// hold keeps the response open after body until the client leaves
	// or the test ends: a stalled upstream.
	hold bool
}

// upstream is an httptest server playing a script; it counts the
// connections clients open.
type upstream struct {
	url   string
	conns atomic.Int32
}

// serve starts an upstream for sc and returns it with a client that has a
// transport of its own.
func serve(t *testing.T, sc script) (*upstream, *http.Client) {
	t.Helper()
	release := make(chan struct{})
	u := &upstream{}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		ct := sc.contentType
		if ct == "" {
			ct = "text/event-stream"
		}
		w.Header().Set("Content-Type", ct)
		for k, v := range sc.header {
			w.Header().Set(k, v)
		}
		status := sc.status
		if status == 0 {
			status = http.StatusOK
		}
		w.WriteHeader(status)
		io.WriteString(w, sc.body)
		w.(http.Flusher).Flush()
		if sc.hold {
			select {
			case <-release:
			case <-r.Context().Done():
			}
		}
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			u.conns.Add(1)
		}
	}
	tr := provider.NewTransport()
	t.Cleanup(tr.CloseIdleConnections)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(release) })
	srv.Start()
	u.url = srv.URL
	return u, &http.Client{Transport: tr}
}

// open starts a stream of a against an upstream playing sc.
func open(t *testing.T, a Adapter, ctx context.Context, sc script) (llm.Stream, error) {
	t.Helper()
	u, hc := serve(t, sc)
	return a.New(t, u.url, hc).Stream(ctx, a.request())
}

// request is the suite's request, naming a's upstream API.
func (a Adapter) request() *llm.Request {
	return &llm.Request{Model: "m", API: a.API, Messages: []llm.Message{llm.TextMessage(llm.RoleUser, "hi")}}
}

// result is what a stream yielded.
type result struct {
	text   string
	finish llm.FinishReason
	usage  *llm.Usage
	chunks int
	err    error // what ended it
}

// collect reads s to its end (closing it), failing t if that hangs.
func collect(t *testing.T, s llm.Stream) result {
	t.Helper()
	done := make(chan result, 1)
	go func() {
		var r result
		for {
			c, err := s.Next()
			if err != nil {
				r.err = err
				break
			}
			r.add(c)
		}
		done <- r
	}()
	defer s.Close()
	select {
	case r := <-done:
		return r
	case <-time.After(wait):
		s.Close()
		<-done
		t.Fatalf("the stream did not end within %v", wait)
		return result{}
	}
}

func (r *result) add(c *llm.Chunk) {
	r.chunks++
	for _, ch := range c.Choices {
		r.text += ch.Delta.Content
		if ch.FinishReason != "" {
			r.finish = ch.FinishReason
		}
	}
	if c.Usage != nil {
		r.usage = c.Usage
	}
}

// next calls s.Next, failing t if it does not return within wait.
func next(t *testing.T, s llm.Stream) (*llm.Chunk, error) {
	t.Helper()
	type ret struct {
		c   *llm.Chunk
		err error
	}
	done := make(chan ret, 1)
	go func() {
		c, err := s.Next()
		done <- ret{c, err}
	}()
	select {
	case r := <-done:
		return r.c, r.err
	case <-time.After(wait):
		s.Close()
		<-done
		t.Fatalf("Next did not return within %v", wait)
		return nil, nil
	}
}

// asError returns err as an *llm.Error, failing t if it is not one or if
// it shows Secret or HeaderSecret (whole or a piece of either) or does
// not name the provider.
func asError(t *testing.T, err error) *llm.Error {
	t.Helper()
	var le *llm.Error
	if !errors.As(err, &le) {
		t.Fatalf("error %v (%T) is not an *llm.Error", err, err)
	}
	for _, secret := range []string{Secret, HeaderSecret} {
		piece := secret[len(secret)-8:] // what a partial mask would leave
		for _, s := range []string{le.Error(), le.Message, le.Code, le.Param} {
			if strings.Contains(s, piece) {
				t.Errorf("error shows a configured secret (%q): %q", secret, s)
			}
		}
	}
	if le.Provider != Name {
		t.Errorf("error names provider %q, want %q", le.Provider, Name)
	}
	return le
}
