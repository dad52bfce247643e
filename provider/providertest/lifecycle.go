package providertest

import (
	"context"
	"io"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"switchyard/llm"
)

// testCancel checks that a stalled stream ends promptly, with the right
// error, when its context ends or it is closed (goleak in the adapter's
// TestMain checks that nothing is left running).
func testCancel(t *testing.T, a Adapter) {
	f := a.Format
	stalled := script{body: f.Start + f.Text("Hel"), hold: true}
	for _, tt := range []struct {
		name string
		stop func(cancel context.CancelCauseFunc, s llm.Stream)
		kind llm.ErrorKind
	}{
		{"context canceled", func(c context.CancelCauseFunc, _ llm.Stream) { c(context.Canceled) }, llm.KindCanceled},
		{"deadline", func(c context.CancelCauseFunc, _ llm.Stream) { c(context.DeadlineExceeded) }, llm.KindTimeout},
		{"Close", func(_ context.CancelCauseFunc, s llm.Stream) { s.Close() }, llm.KindCanceled},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			s, err := open(t, a, ctx, stalled)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := next(t, s); err != nil {
				t.Fatal(err)
			}
			done := make(chan error, 1)
			go func() {
				for {
					if _, err := s.Next(); err != nil {
						done <- err
						return
					}
				}
			}()
			tt.stop(cancel, s)
			select {
			case err := <-done:
				if e := asError(t, err); e.Kind != tt.kind {
					t.Errorf("kind %q, want %q (%v)", e.Kind, tt.kind, e)
				}
			case <-time.After(wait):
				s.Close()
				<-done
				t.Fatalf("a stalled stream did not end within %v", wait)
			}
		})
	}
}

// testReuse checks that sequential streams read to their end share one
// connection, even when the caller cancels its context right after the
// end (as the gateway does), and that an upstream holding the response
// open after the end does not delay the caller.
func testReuse(t *testing.T, a Adapter) {
	f := a.Format
	u, hc := serve(t, script{body: full(f)})
	p := a.New(t, u.url, hc)
	const n = 3
	for i := range n {
		idle := make(chan error, 1)
		ctx, cancel := context.WithCancel(httptrace.WithClientTrace(context.Background(), &httptrace.ClientTrace{
			PutIdleConn: func(err error) { idle <- err },
		}))
		s, err := p.Stream(ctx, a.request())
		if err != nil {
			cancel()
			t.Fatal(err)
		}
		r := collect(t, s)
		cancel()
		if r.err != io.EOF || r.text != "Hello" {
			t.Fatalf("stream %d: %q, %v", i, r.text, r.err)
		}
		select {
		case err := <-idle:
			if err != nil {
				t.Fatalf("stream %d: connection not reused: %v", i, err)
			}
		case <-time.After(wait):
			t.Fatalf("stream %d: the connection did not go back to the pool within %v", i, wait)
		}
	}
	if c := u.conns.Load(); c != 1 {
		t.Errorf("%d sequential streams opened %d connections, want 1", n, c)
	}
	if f.End == "" {
		return // the body's end is the stream's end
	}
	t.Run("held open after the end", func(t *testing.T) {
		s, err := open(t, a, context.Background(), script{body: full(f), hold: true})
		if err != nil {
			t.Fatal(err)
		}
		if r := collect(t, s); r.err != io.EOF || r.text != "Hello" {
			t.Fatalf("got %q, %v; want \"Hello\", io.EOF", r.text, r.err)
		}
	})
}

// testReady checks llm.Readier: true when a chunk or the end is buffered,
// false when only an event that yields no chunk is.
func testReady(t *testing.T, a Adapter) {
	f := a.Format
	ready := func(t *testing.T, body string) llm.Stream {
		t.Helper()
		s, err := open(t, a, context.Background(), script{body: body, hold: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		if _, ok := s.(llm.Readier); !ok {
			t.Fatalf("%T does not implement llm.Readier", s)
		}
		return s
	}
	// upTo reads until the text so far ends with want.
	upTo := func(t *testing.T, s llm.Stream, text *string, want string) {
		t.Helper()
		for !strings.HasSuffix(*text, want) {
			c, err := next(t, s)
			if err != nil {
				t.Fatalf("after %q: %v", *text, err)
			}
			for _, ch := range c.Choices {
				*text += ch.Delta.Content
			}
		}
	}
	t.Run("a chunk behind a keep-alive is ready", func(t *testing.T) {
		s := ready(t, f.Start+f.Text("a")+f.Noop+f.Text("b"))
		var text string
		upTo(t, s, &text, "a")
		if !llm.Ready(s) {
			t.Error("Ready() = false with a chunk buffered")
		}
		upTo(t, s, &text, "b")
		if llm.Ready(s) {
			t.Error("Ready() = true with nothing buffered and the upstream stalled")
		}
	})
	t.Run("a keep-alive alone is not ready", func(t *testing.T) {
		s := ready(t, f.Start+f.Text("a")+f.Noop)
		var text string
		upTo(t, s, &text, "a")
		if llm.Ready(s) {
			t.Error("Ready() = true with only an event that yields no chunk buffered")
		}
	})
	if f.End == "" {
		return
	}
	t.Run("a whole response is ready to its end", func(t *testing.T) {
		s := ready(t, full(f))
		if _, err := next(t, s); err != nil {
			t.Fatal(err)
		}
		for {
			if !llm.Ready(s) {
				t.Fatal("Ready() = false with the rest of the response buffered")
			}
			if _, err := s.Next(); err != nil {
				if err != io.EOF {
					t.Fatal(err)
				}
				return
			}
		}
	})
}
