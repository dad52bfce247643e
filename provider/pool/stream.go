package pool

import (
	"sync/atomic"

	"switchyard/llm"
)

// stream wraps a member's stream so the member's in-flight count is
// released exactly once: on the first error from Next (io.EOF included) or
// the first Close, whichever comes first, from whichever goroutine.
type stream struct {
	inner llm.Stream
	pool  *Pool
	m     *member
	done  atomic.Bool
}

var (
	_ llm.Stream  = (*stream)(nil)
	_ llm.Readier = (*stream)(nil)
)

// Ready implements llm.Readier: it reports what the member's stream says
// (false when that one cannot tell), so write coalescing survives the
// pool.
func (s *stream) Ready() bool { return llm.Ready(s.inner) }

// Next returns the member stream's next chunk. Its first error ends the
// call: the member is released, and cooled if the error is a rate limit.
func (s *stream) Next() (*llm.Chunk, error) {
	c, err := s.inner.Next()
	if err != nil {
		s.finish(err)
	}
	return c, err
}

// Close closes the member stream and releases the member if Next has not.
// It is safe to call more than once and concurrently with Next.
func (s *stream) Close() error {
	err := s.inner.Close()
	s.finish(nil)
	return err
}

// finish releases the member the first time it is called.
func (s *stream) finish(err error) {
	if s.done.CompareAndSwap(false, true) {
		s.pool.release(s.m, err)
	}
}
