package gemini

import (
	"errors"
	"io"

	"switchyard/llm"
	"switchyard/provider/sse"
)

// The StreamReader below drives a StreamTranslator over a whole alt=sse
// body for this package's tests and fuzz targets; the provider adapter has
// its own loop (provider.EventStream).

// StreamReader reads an alt=sse body and yields translated chunks.
type StreamReader struct {
	r       *sse.Reader
	t       *StreamTranslator
	pending []*llm.Chunk
	err     error // sticky: returned by every call once set
}

// NewStreamReader returns a reader of the SSE body r.
func NewStreamReader(r io.Reader, model string) *StreamReader {
	return &StreamReader{r: sse.NewReader(r), t: NewStreamTranslator(model)}
}

// Next returns the next chunk; io.EOF only after a clean end (see
// StreamTranslator.End). A body that stops inside an event, an oversized
// event, an error event, undecodable data and an early end are *llm.Error
// values; other read errors of r are returned as they come, so the caller
// can tell a canceled context from a failed upstream.
func (s *StreamReader) Next() (*llm.Chunk, error) {
	for len(s.pending) == 0 {
		if s.err != nil {
			return nil, s.err
		}
		s.pending, s.err = s.read()
	}
	c := s.pending[0]
	s.pending = s.pending[1:]
	return c, nil
}

// read reads one event; it returns its chunks, or the error that ends the
// stream (with any final chunk).
func (s *StreamReader) read() ([]*llm.Chunk, error) {
	ev, err := s.r.Next()
	switch {
	case err == io.EOF:
		final, err := s.t.End()
		if err != nil {
			return nil, err
		}
		if final != nil {
			return []*llm.Chunk{final}, io.EOF
		}
		return nil, io.EOF
	case errors.Is(err, io.ErrUnexpectedEOF):
		return nil, llm.Wrap(llm.KindUpstream, err, "gemini: stream cut mid-event")
	case errors.Is(err, sse.ErrTooLarge):
		return nil, llm.Wrap(llm.KindUpstream, err, "gemini: stream event too large")
	case err != nil:
		return nil, err
	}
	if len(ev.Data) == 0 {
		return nil, nil
	}
	return s.t.Translate(ev.Data)
}
