package dispatch

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"switchyard/llm"
)

// The stall timer measures the wait for the upstream's next chunk only: a
// client that takes long to write what it got (a slow reader) does not
// make a healthy upstream look stalled, and no timer runs while the
// client holds a chunk.
func TestStallTimerIgnoresTheClientsTime(t *testing.T) {
	const stall = 100 * time.Millisecond
	clk := newClock()
	a := newFake("a", script{chunks: 4})
	s, err := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc, StallTimeout: stall}).
		Stream(context.Background(), req(), planOf(time.Second, a), &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for n := 0; ; n++ {
		if p := clk.Pending(); p != 0 {
			t.Fatalf("after %d chunks, with the client writing, %d timers run", n, p)
		}
		clk.Advance(3 * stall) // the client writes slowly
		if _, err := s.Next(); err != nil {
			if n != 4 || err != io.EOF {
				t.Fatalf("after %d chunks: %v, want the end after 4", n, err)
			}
			break
		}
	}
	s.Close()
	waitIdle(t, a)
}

// The upstream's own silence still ends the stream once the timer runs
// out, on the dispatcher's clock.
func TestStallTimerCountsTheUpstreamsSilence(t *testing.T) {
	const stall = 100 * time.Millisecond
	clk := newClock()
	a := newFake("a", script{stall: time.Hour})
	a.After = clk.After
	s, err := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc, StallTimeout: stall}).
		Stream(context.Background(), req(), planOf(0, a), &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Next(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { _, err := s.Next(); done <- err }()
	clk.WaitTimers(t, 2) // the stall timer and the upstream's pause
	clk.Advance(stall)
	var e *llm.Error
	if err := <-done; !errors.As(err, &e) || e.Kind != llm.KindTimeout {
		t.Fatalf("err %v, want a stall timeout", err)
	}
	s.Close()
	waitIdle(t, a)
}
