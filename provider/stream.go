package provider

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/llm"
	"switchyard/provider/sse"
)

// Decoder translates the events of one upstream stream format into
// chunks; every adapter has one, and EventStream does the rest. It is used
// by one goroutine at a time.
type Decoder interface {
	// Event translates one event, appending the chunks it yields (possibly
	// none) to out. end reports that the event is the format's proper end
	// ("data: [DONE]", message_stop). An error wrapping ErrBadEvent is an
	// event that could not be decoded, which the stream may skip; any
	// other error (an *llm.Error for an error event) ends the stream.
	Event(ev sse.Event, out []*llm.Chunk) (_ []*llm.Chunk, end bool, err error)
	// Finish is called when the body ends cleanly between events before
	// a proper end. It returns any final chunks (usage) and nil when the
	// stream is complete anyway (a finish reason arrived for every
	// choice), or an *llm.Error when it was cut.
	Finish(out []*llm.Chunk) ([]*llm.Chunk, error)
}

// ErrBadEvent marks an event a Decoder could not decode.
var ErrBadEvent = errors.New("undecodable stream event")

// BadEvent wraps err, the reason an event could not be decoded, so that
// errors.Is(result, ErrBadEvent) holds.
func BadEvent(err error) error { return fmt.Errorf("%w: %w", ErrBadEvent, err) }

// MaxBadEvents is how many undecodable events one stream skips (each
// counted in BadEvents and logged without its content); the next one fails
// the stream as malformed.
const MaxBadEvents = 3

// Draining after the proper end: the end of the HTTP body follows it at
// once, but only a body read to its end gives its connection back to the
// pool; closed before that, the connection is dropped.
const (
	drainTimeout = time.Second // longest wait for the body's end
	drainMax     = 4 << 10     // most bytes read looking for it
)

// EventStream is the llm.Stream of one upstream server-sent event body,
// shared by every adapter. It reads events, asks the adapter's Decoder for
// chunks, skips up to MaxBadEvents undecodable events, drops usage reports
// no upstream can mean (PlausibleUsage; an event undecodable for its usage
// alone is kept without it), accepts a clean end of body the Decoder calls
// complete, turns every failure into an
// *llm.Error that names the provider and never quotes its key, reads the
// body to its end after a proper end so the connection is reused, and
// implements llm.Readier.
type EventStream struct {
	ctx     context.Context // the caller's
	call    *Call
	name    string
	secrets []string // masked in every error (Secrets)
	body    io.ReadCloser
	sniff   jsonSniffer // body, read through: a JSON document instead of events
	events  int         // events read
	r       *sse.Reader
	dec     Decoder
	pending []*llm.Chunk
	head    int   // pending[head:] are still to return
	err     error // sticky: io.EOF at the end, or the failure
	bad     int
	// answered reports that a chunk held some of the answer (deltaHolds).
	answered bool
	log      *slog.Logger
	// usageDropped reports that the stream sent an implausible usage
	// report: none of its reports is passed on (usage.go).
	usageDropped bool

	once   sync.Once
	closed atomic.Bool
}

// NewEventStream returns a stream over body, the 2xx answer to a request
// made with call's context; ctx is the caller's context, name the
// provider's name and secrets its Secrets (its key and header values),
// masked in every error. The stream owns body and call.
//
// Warnings (an undecodable event skipped) go to log; nil means
// slog.Default().
func NewEventStream(ctx context.Context, call *Call, name string, secrets []string, body io.ReadCloser, dec Decoder, log *slog.Logger) *EventStream {
	if log == nil {
		log = slog.Default()
	}
	s := &EventStream{ctx: ctx, call: call, name: name, secrets: secrets, body: body, sniff: jsonSniffer{ReadCloser: body}, dec: dec, log: log}
	s.r = sse.NewReader(&s.sniff)
	return s
}

// Next implements llm.Stream: it returns the next chunk, io.EOF after the
// proper end (or a clean end the Decoder accepts), and otherwise an
// *llm.Error: canceled after Close or the context's end, the upstream's
// error event, a malformed stream (too many undecodable or an oversized
// event) or a cut one (kind upstream, retryable).
func (s *EventStream) Next() (*llm.Chunk, error) {
	for s.head == len(s.pending) && s.err == nil {
		s.step()
	}
	if s.head < len(s.pending) {
		c := s.pending[s.head]
		s.pending[s.head] = nil
		s.head++
		return c, nil
	}
	return nil, s.err
}

// Ready implements llm.Readier: it reports whether Next would return at
// once. It decodes the complete events already buffered (never reading
// from the network), so an event that yields no chunk (a ping) does not
// count. Like Next, it must not be called concurrently with Next.
func (s *EventStream) Ready() bool {
	for s.head == len(s.pending) && s.err == nil && s.r.Ready() {
		s.step()
	}
	return s.head < len(s.pending) || s.err != nil
}

// step reads and decodes one event, leaving chunks in pending or setting
// err. Once err is set the reader is done with: its buffers go back to
// their pool here, on the goroutine that reads (never in Close, which may
// run while Next reads), after the last event is decoded — the chunks
// hold no byte of it.
func (s *EventStream) step() {
	s.readEvent()
	if s.err != nil {
		s.r.Release()
	}
}

// readEvent is step's work.
func (s *EventStream) readEvent() {
	s.pending, s.head = s.pending[:0], 0
	ev, err := s.r.Next()
	if err == nil {
		s.events++
	} else if e := s.bodyError(); e != nil {
		s.fail(e)
		return
	}
	if err == io.EOF {
		var ferr error
		s.pending, ferr = s.dec.Finish(s.pending)
		if ferr != nil {
			s.fail(ferr)
			return
		}
		s.pending = s.screenUsage(s.pending)
		if s.lostAnswer() {
			return
		}
		s.end()
		return
	}
	if err != nil {
		if errors.Is(err, sse.ErrTooLarge) {
			err = Garbage(s.name, err)
		}
		s.fail(err)
		return
	}
	end, err := s.decode(ev)
	if err == nil && s.lostAnswer() {
		return
	}
	switch {
	case err == nil && end:
		s.end()
	case err == nil:
	case errors.Is(err, ErrBadEvent) && s.bad < MaxBadEvents:
		s.bad++
		badEvent(s.log, s.name, ev.Name, len(ev.Data), s.bad)
	case errors.Is(err, ErrBadEvent):
		s.fail(Garbage(s.name, fmt.Errorf("more than %d undecodable events: %w", MaxBadEvents, err)))
	default:
		s.fail(err)
	}
}

// errLostAnswer is the cause of a stream that finished with nothing
// answered after skipping an undecodable event: the answer was in it.
var errLostAnswer = errors.New("the answer finished with nothing in it but undecodable events")

// lostAnswer fails the stream, and reports true, when a chunk of pending
// finishes the answer before any chunk held some of it and an undecodable
// event was skipped: the answer was in that event, and an empty answer
// passed on as whole would lose it (the next candidate may answer). It
// looks at no chunk once one held some of the answer.
func (s *EventStream) lostAnswer() bool {
	for _, c := range s.pending {
		if s.answered {
			return false
		}
		for i := range c.Choices {
			ch := &c.Choices[i]
			if deltaHolds(&ch.Delta) {
				s.answered = true
			} else if ch.FinishReason != "" && s.bad > 0 && !s.answered {
				s.pending = s.pending[:0]
				s.fail(Garbage(s.name, errLostAnswer))
				return true
			}
		}
	}
	return false
}

// deltaHolds reports whether d holds some of the answer: text, a refusal,
// a tool call, thinking, a citation or an output item.
func deltaHolds(d *llm.Delta) bool {
	return d.Content != "" || d.Refusal != "" || len(d.ToolCalls) > 0 || d.Thinking != nil || d.TextBlock != nil || d.Output != nil
}

// decode translates ev into pending, giving an event that did not decode
// a second chance without the bytes after its JSON value (LeadingJSON),
// and a third without its usage (see WithoutUsage).
func (s *EventStream) decode(ev sse.Event) (end bool, err error) {
	s.pending, end, err = s.dec.Event(ev, s.pending)
	if errors.Is(err, ErrBadEvent) {
		if data, ok := LeadingJSON(ev.Data); ok {
			ev.Data = data
			if p, e, err2 := s.dec.Event(ev, s.pending); err2 == nil {
				s.log.Warn("ignored bytes after the JSON of an upstream stream event",
					"provider", s.name, "event", ev.Name, "bytes", len(data))
				s.pending, end, err = p, e, nil
			}
		}
	}
	if errors.Is(err, ErrBadEvent) {
		if data, ok := WithoutUsage(ev.Data); ok {
			ev.Data = data
			if p, e, err2 := s.dec.Event(ev, s.pending); err2 == nil {
				s.noteUsageDropped("undecodable counts")
				s.pending, end, err = p, e, nil
			}
		}
	}
	if err == nil || !errors.Is(err, ErrBadEvent) { // an error event may bring the usage so far
		s.pending = s.screenUsage(s.pending)
	}
	return end, err
}

// end records the proper end and drains the body in the background.
func (s *EventStream) end() {
	s.err = io.EOF
	s.once.Do(func() {
		s.call.detach()
		go drainAndClose(s.body, s.call.cancel)
	})
}

func drainAndClose(body io.ReadCloser, cancel context.CancelCauseFunc) {
	t := time.AfterFunc(drainTimeout, func() { cancel(nil) })
	io.CopyN(io.Discard, body, drainMax)
	t.Stop()
	body.Close()
	cancel(nil)
}

// fail records err, mapped to the *llm.Error the caller sees, and
// releases the connection.
func (s *EventStream) fail(err error) {
	s.err = s.mapError(err)
	s.Close()
}

func (s *EventStream) mapError(err error) *llm.Error {
	if s.closed.Load() {
		return &llm.Error{Kind: llm.KindCanceled, Message: "stream closed", Provider: s.name, Err: err}
	}
	if s.ctx.Err() != nil {
		// A cancelled read may surface as a cut body; the context says why.
		return s.transport(s.ctx, s.ctx.Err())
	}
	var le *llm.Error
	if errors.As(err, &le) {
		le.Provider = s.name
		le.Message = Redact(le.Message, s.secrets...)
		le.Code = Redact(le.Code, s.secrets...)
		le.Param = Redact(le.Param, s.secrets...)
		Classify(le)
		return le
	}
	return s.transport(s.call.ctx, err)
}

func (s *EventStream) transport(ctx context.Context, err error) *llm.Error {
	e := TransportError(s.name, ctx, err)
	if cause := RedactCause(e.Err, s.secrets); cause != e.Err {
		e.Err = cause // written only when it changes: e may be shared
	}
	return e
}

// Close implements llm.Stream: it releases the connection, is safe to call
// more than once and concurrently with Next, which then fails promptly.
func (s *EventStream) Close() error {
	s.once.Do(func() {
		s.closed.Store(true)
		s.body.Close()
		s.call.End()
	})
	return nil
}

var (
	_ llm.Stream  = (*EventStream)(nil)
	_ llm.Readier = (*EventStream)(nil)
)
