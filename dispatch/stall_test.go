package dispatch

import (
	"context"
	"errors"
	"fmt"
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

// readyStream is an upstream stream whose Ready answers from a script,
// and which notes how many timers run on clk while each Next runs.
type readyStream struct {
	clk     *clock
	ready   []bool // Ready before chunk i
	i       int
	pending []int // timers running during Next i
}

func (s *readyStream) Next() (*llm.Chunk, error) {
	if s.i == len(s.ready) {
		return nil, io.EOF
	}
	s.pending = append(s.pending, s.clk.Pending())
	s.i++
	return &llm.Chunk{ID: "r", Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: "x"}}}}, nil
}

func (s *readyStream) Ready() bool  { return s.i == len(s.ready) || s.ready[s.i] }
func (s *readyStream) Close() error { return nil }

type streamOf struct{ s llm.Stream }

func (p streamOf) Stream(context.Context, *llm.Request) (llm.Stream, error) { return p.s, nil }

// A chunk already there (Ready) is not waited for, so the stall timer
// is not armed for it; a chunk still to come is waited for under it.
func TestStallTimerOnlyForChunksWaitedFor(t *testing.T) {
	clk := newClock()
	up := &readyStream{clk: clk, ready: []bool{false, true, false, true, true, false}}
	plan := &Plan{Tiers: []Tier{{Targets: []*Target{{Deployment: llm.Deployment{Name: "a", Provider: "a"}, Provider: streamOf{up}}}}}}
	s, err := New(Options{Now: clk.Now, AfterFunc: clk.AfterFunc, StallTimeout: time.Second}).
		Stream(context.Background(), req(), plan, &llm.Served{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := drain(s); err != nil {
		t.Fatal(err)
	}
	// The first chunk is read before the stream is returned, with no
	// stall timer; the others through it.
	want := []int{0, 0, 1, 0, 0, 1}
	if fmt.Sprint(up.pending) != fmt.Sprint(want) {
		t.Fatalf("timers running during each Next: %v, want %v", up.pending, want)
	}
}
