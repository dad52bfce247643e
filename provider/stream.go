package provider

import (
	"context"
	"errors"
	"io"
	"strings"
	"sync"

	"switchyard/llm"
)

// BodyStream is the llm.Stream of one upstream response body, shared by
// the adapters: it asks a wire decoder for chunks and turns its failures
// into *llm.Error values that name the provider, keep the key out, and say
// "canceled" after Close or the context's reason after cancellation.
type BodyStream struct {
	ctx    context.Context
	name   string
	secret string
	body   io.Closer
	next   func() (*llm.Chunk, error)

	once   sync.Once
	mu     sync.Mutex
	closed bool
}

// NewBodyStream returns a stream over body whose chunks come from next
// (which must return io.EOF only at the upstream's proper end). name is
// the provider's name, secret its key.
func NewBodyStream(ctx context.Context, name, secret string, body io.Closer, next func() (*llm.Chunk, error)) *BodyStream {
	return &BodyStream{ctx: ctx, name: name, secret: secret, body: body, next: next}
}

// Next implements llm.Stream.
func (s *BodyStream) Next() (*llm.Chunk, error) {
	ch, err := s.next()
	if err == nil || err == io.EOF {
		return ch, err
	}
	s.mu.Lock()
	closed := s.closed
	s.mu.Unlock()
	if closed {
		return nil, &llm.Error{Kind: llm.KindCanceled, Message: "stream closed", Provider: s.name, Err: err}
	}
	if s.ctx.Err() != nil {
		// A cancelled read may surface as a cut body; the context says why.
		return nil, s.transport(s.ctx.Err())
	}
	var le *llm.Error
	if errors.As(err, &le) {
		// Cut, malformed or an error event: name the upstream and keep
		// the key out of a message that might quote it.
		le.Provider = s.name
		le.Message = Redact(le.Message, s.secret)
		return nil, le
	}
	return nil, s.transport(err)
}

func (s *BodyStream) transport(err error) *llm.Error {
	e := TransportError(s.name, s.ctx, err)
	if e.Err != nil && s.secret != "" && strings.Contains(e.Err.Error(), s.secret) {
		e.Err = errors.New(Redact(e.Err.Error(), s.secret))
	}
	return e
}

// Close implements llm.Stream: it releases the connection, is safe to call
// more than once and concurrently with Next, which then fails promptly.
func (s *BodyStream) Close() error {
	s.once.Do(func() {
		s.mu.Lock()
		s.closed = true
		s.mu.Unlock()
		s.body.Close()
	})
	return nil
}
