package anthropic

import (
	"errors"
	"fmt"
	"io"

	"switchyard/llm"
	"switchyard/provider/sse"
)

// The StreamDecoder below drives a StreamTranslator over a whole SSE body
// for this package's tests and fuzz targets; the provider adapter has its
// own loop (provider.EventStream).

// StreamDecoder reads an Anthropic SSE body and yields translated chunks.
// It is not safe for concurrent use.
type StreamDecoder struct {
	r       *sse.Reader
	t       StreamTranslator
	pending []*llm.Chunk
	err     error
}

// NewStreamDecoder returns a decoder of r that stamps chunks with created.
func NewStreamDecoder(r io.Reader, created int64) *StreamDecoder {
	d := &StreamDecoder{r: sse.NewReader(r)}
	d.t.Created = created
	return d
}

// Next returns the next chunk. It returns io.EOF only after message_stop
// was seen. A stream that ends before it (cleanly or mid-event) is an
// *llm.Error of kind upstream whose cause is ErrPrematureEnd; the stream's
// error events, malformed events and oversized events are *llm.Error too.
// Other read errors (network, cancellation) are returned as they are, for
// the caller to classify. After an error, Next keeps returning it.
func (d *StreamDecoder) Next() (*llm.Chunk, error) {
	for len(d.pending) == 0 {
		if d.err != nil {
			return nil, d.err
		}
		if d.t.Done() {
			d.err = io.EOF
			return nil, io.EOF
		}
		ev, err := d.r.Next()
		if err != nil {
			d.err = readError(err)
			return nil, d.err
		}
		chunks, err := d.t.Translate(ev.Name, ev.Data)
		if err != nil {
			d.err = err
			return nil, err
		}
		d.pending = chunks
	}
	c := d.pending[0]
	d.pending = d.pending[1:]
	return c, nil
}

func readError(err error) error {
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		e := llm.Wrap(llm.KindUpstream, fmt.Errorf("%w: %w", ErrPrematureEnd, err), "upstream stream ended before message_stop")
		return e
	case errors.Is(err, sse.ErrTooLarge):
		return llm.Wrap(llm.KindUpstream, err, "upstream sent an oversized stream event")
	}
	return err
}
