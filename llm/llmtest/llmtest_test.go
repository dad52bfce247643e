package llmtest

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/llm"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestProviderPlaysScripts: calls take the scripts in order, the last one
// repeating; requests, streams and open streams are counted.
func TestProviderPlaysScripts(t *testing.T) {
	boom := &llm.Error{Kind: llm.KindUpstream, Message: "boom"}
	p := &Provider{Scripts: []Script{{Err: boom}, {Events: Chunks(TextChunk("m", "a"), TextChunk("m", "b"))}}}
	ctx := context.Background()
	if _, err := p.Stream(ctx, &llm.Request{Model: "one"}); err != boom {
		t.Fatalf("first call: %v", err)
	}
	for i := 0; i < 2; i++ {
		resp, err := Complete(ctx, p, &llm.Request{Model: "two"})
		if err != nil || resp.Choices[0].Message.Text() != "ab" {
			t.Fatalf("call %d: %v %+v", i+2, err, resp)
		}
	}
	if got := p.Models(); len(got) != 3 || got[0] != "one" || got[2] != "two" {
		t.Errorf("models %v", got)
	}
	if p.Calls() != 3 || len(p.Streams()) != 2 || p.Active() != 0 || p.Closes() != 2 {
		t.Errorf("calls %d streams %d active %d closes %d", p.Calls(), len(p.Streams()), p.Active(), p.Closes())
	}
}

// TestStreamWaits: a wait ends with its gate, its delay on the injected
// clock, the context or Close, and Ready tells which chunks need one.
func TestStreamWaits(t *testing.T) {
	expired, cancel := context.WithDeadline(context.Background(), time.Unix(1, 0))
	defer cancel()
	tests := []struct {
		name string
		ctx  context.Context
		gate bool  // the event waits for a gate
		ev   Event // the event, without Gate
		act  func(s *Stream, gate chan struct{}, tick chan time.Time)
		kind llm.ErrorKind // "" for a chunk
	}{
		{"gate opens", context.Background(), true, Event{}, func(_ *Stream, g chan struct{}, _ chan time.Time) { close(g) }, ""},
		{"delay passes", context.Background(), false, Event{Delay: time.Hour}, func(_ *Stream, _ chan struct{}, c chan time.Time) { c <- time.Time{} }, ""},
		{"close unblocks", context.Background(), true, Event{}, func(s *Stream, _ chan struct{}, _ chan time.Time) { s.Close() }, llm.KindCanceled},
		{"deadline", expired, false, Event{Delay: time.Hour}, func(*Stream, chan struct{}, chan time.Time) {}, llm.KindTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tick := make(chan time.Time, 1)
			p := &Provider{After: func(time.Duration) <-chan time.Time { return tick }}
			gate := make(chan struct{})
			ev := tt.ev
			ev.Chunk = TextChunk("m", "x")
			if tt.gate {
				ev.Gate = gate
			}
			p.Scripts = []Script{{Events: []Event{ev}}}
			ls, _ := p.Stream(tt.ctx, &llm.Request{})
			s := ls.(*Stream)
			defer s.Close()
			if s.Ready() {
				t.Error("Ready before a chunk that waits")
			}
			go tt.act(s, gate, tick)
			c, err := s.Next()
			if tt.kind == "" {
				if err != nil || c == nil || !s.Ready() {
					t.Fatalf("chunk %v err %v ready %v", c, err, s.Ready())
				}
				if _, err := s.Next(); err != io.EOF {
					t.Errorf("end %v", err)
				}
				return
			}
			if e := llm.AsError(err); e == nil || e.Kind != tt.kind {
				t.Fatalf("err %v, want kind %s", err, tt.kind)
			}
			if _, again := s.Next(); !errors.Is(again, err) {
				t.Errorf("the error is not sticky: %v then %v", err, again)
			}
		})
	}
}

// TestRepeat: a repeating event is returned until the stream is closed.
func TestRepeat(t *testing.T) {
	s := NewStream(context.Background(), Event{Chunk: TextChunk("m", "a")}, Event{Chunk: TextChunk("m", "b"), Repeat: true})
	for i := 0; i < 100; i++ {
		c, err := s.Next()
		if err != nil || (i > 0) != (c.Choices[0].Delta.Content == "b") {
			t.Fatalf("chunk %d: %v %v", i, c, err)
		}
	}
	if s.Close(); s.Closes() != 1 || !s.Closed() {
		t.Errorf("closes %d", s.Closes())
	}
}

// TestClock: timers fire when the clock is advanced past them, not
// before; Stop disarms and Reset re-arms from the present time.
func TestClock(t *testing.T) {
	c := NewClock(time.Unix(100, 0))
	fired := make(chan string, 3)
	c.AfterFunc(time.Second, func() { fired <- "a" })
	stopped := c.AfterFunc(time.Second, func() { fired <- "stopped" })
	after := c.After(2 * time.Second)
	if !stopped.Stop() || stopped.Stop() {
		t.Fatal("Stop did not report the armed timer once")
	}
	c.WaitTimers(t, 2)
	c.Advance(999 * time.Millisecond)
	if c.Pending() != 2 {
		t.Fatalf("%d timers armed before their time, want 2", c.Pending())
	}
	c.Advance(time.Millisecond)
	if got := <-fired; got != "a" {
		t.Fatalf("fired %q", got)
	}
	if stopped.Reset(time.Second) {
		t.Error("Reset reported a stopped timer as armed")
	}
	c.Advance(time.Second)
	if at := <-after; !at.Equal(time.Unix(102, 0)) || <-fired != "stopped" || c.Pending() != 0 {
		t.Errorf("After at %v, %d timers armed", at, c.Pending())
	}
}
