package llmtest

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"

	"switchyard/llm"
)

// Event is one step of a scripted Stream: Next first waits as the event
// says (Gate, then Delay), then returns its Chunk or, when Err is set, its
// Err (and the same Err from every later call).
type Event struct {
	// Chunk is what Next returns; ignored when Err is set.
	Chunk *llm.Chunk
	// Err ends the stream: io.EOF for a clean end, anything else for a
	// failure.
	Err error
	// Gate, if not nil, is received from (or seen closed) before the
	// event: a test releases a first token, or holds a stream forever by
	// never closing it.
	Gate <-chan struct{}
	// Delay is waited on the stream's clock (After) before the event.
	Delay time.Duration
	// Repeat makes the event the stream's last: Next returns it again on
	// every later call (waiting again each time), an endless stream.
	Repeat bool
}

// Chunks returns one event per chunk, with no waits.
func Chunks(cs ...*llm.Chunk) []Event {
	ev := make([]Event, len(cs))
	for i, c := range cs {
		ev[i] = Event{Chunk: c}
	}
	return ev
}

// TextChunk returns a chunk of one choice whose delta is text, from model.
func TextChunk(model, text string) *llm.Chunk {
	return &llm.Chunk{ID: "chatcmpl-" + model, Model: model, Choices: []llm.ChunkChoice{{Delta: llm.Delta{Content: text}}}}
}

// Stream is a scripted llm.Stream and llm.Readier. It is safe for
// concurrent use (beyond llm.Stream's contract, so a test can call a
// wrapper's Next from several goroutines): concurrent Nexts take events
// in turn. Close may be called any number of times and unblocks a Next
// that waits.
type Stream struct {
	next   sync.Mutex // held by Next and Ready
	ctx    context.Context
	after  func(time.Duration) <-chan time.Time
	events []Event
	n      int
	err    error

	done    chan struct{}
	once    sync.Once
	onClose func()

	mu      sync.Mutex
	closes  int
	aborted error
}

var (
	_ llm.Stream  = (*Stream)(nil)
	_ llm.Readier = (*Stream)(nil)
	_ llm.Aborter = (*Stream)(nil)
)

// NewStream returns a stream that plays events, then ends with io.EOF
// (unless an event ended it first). A wait is cut short when ctx ends
// (an *llm.Error of kind timeout or canceled, wrapping ctx.Err()) or the
// stream is closed (kind canceled). Delays wait on time.After.
func NewStream(ctx context.Context, events ...Event) *Stream {
	return newStream(ctx, nil, events)
}

func newStream(ctx context.Context, after func(time.Duration) <-chan time.Time, events []Event) *Stream {
	if after == nil {
		after = time.After
	}
	return &Stream{ctx: ctx, after: after, events: events, done: make(chan struct{})}
}

// Next waits as the next event says and returns its chunk or error.
func (s *Stream) Next() (*llm.Chunk, error) {
	s.next.Lock()
	defer s.next.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	if s.n == len(s.events) {
		s.err = io.EOF
		return nil, s.err
	}
	e := s.events[s.n]
	if err := s.wait(e); err != nil {
		s.err = err
		return nil, err
	}
	if !e.Repeat {
		s.n++
	}
	if e.Err != nil {
		s.err = e.Err
		return nil, e.Err
	}
	return e.Chunk, nil
}

func (s *Stream) wait(e Event) error {
	if e.Gate != nil {
		select {
		case <-e.Gate:
		case <-s.ctx.Done():
			return ctxError(s.ctx)
		case <-s.done:
			return &llm.Error{Kind: llm.KindCanceled, Message: "stream closed"}
		}
	}
	if e.Delay > 0 {
		select {
		case <-s.after(e.Delay):
		case <-s.ctx.Done():
			return ctxError(s.ctx)
		case <-s.done:
			return &llm.Error{Kind: llm.KindCanceled, Message: "stream closed"}
		}
	}
	if s.ctx.Err() != nil {
		return ctxError(s.ctx)
	}
	return nil
}

// ctxError maps an ended context as a provider does: a deadline is a
// timeout, anything else a cancellation.
func ctxError(ctx context.Context) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return &llm.Error{Kind: llm.KindTimeout, Retryable: true, Message: "deadline", Err: ctx.Err()}
	}
	return &llm.Error{Kind: llm.KindCanceled, Message: "canceled", Err: ctx.Err()}
}

// Ready reports whether Next would return without waiting: the stream has
// ended, or the next event has neither Gate nor Delay.
func (s *Stream) Ready() bool {
	s.next.Lock()
	defer s.next.Unlock()
	if s.err != nil || s.n == len(s.events) {
		return true
	}
	e := s.events[s.n]
	return e.Gate == nil && e.Delay <= 0
}

// Close ends the stream, unblocking a waiting Next. It always returns nil.
func (s *Stream) Close() error {
	s.mu.Lock()
	s.closes++
	s.mu.Unlock()
	s.once.Do(func() {
		close(s.done)
		if s.onClose != nil {
			s.onClose()
		}
	})
	return nil
}

// Abort records err as the reason the stream was ended (the first one
// given), then closes it.
func (s *Stream) Abort(err error) error {
	s.mu.Lock()
	if s.aborted == nil {
		s.aborted = err
	}
	s.mu.Unlock()
	return s.Close()
}

// Aborted returns the reason Abort was first given; nil if it never was.
func (s *Stream) Aborted() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.aborted
}

// Closes returns how many times Close was called.
func (s *Stream) Closes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closes
}

// Closed reports whether Close was called.
func (s *Stream) Closed() bool { return s.Closes() > 0 }

// Done returns a channel closed by the first Close.
func (s *Stream) Done() <-chan struct{} { return s.done }
