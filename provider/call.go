package provider

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"switchyard/llm"

	"github.com/prometheus/client_golang/prometheus"
)

// Call is the context of one streamed upstream call. It follows the
// caller's context until the stream's proper end; after that the end of
// the body can still be read (so the connection is reused) when the
// caller has already moved on and cancelled its context.
type Call struct {
	ctx    context.Context
	cancel context.CancelCauseFunc
	detach func() bool // stops the caller's cancellation from reaching ctx
}

// NewCall returns the Call of a stream opened for a caller whose context
// is ctx. Its cancellation or deadline reaches the call with its cause.
func NewCall(ctx context.Context) *Call {
	rctx, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	detach := context.AfterFunc(ctx, func() { cancel(context.Cause(ctx)) })
	return &Call{ctx: rctx, cancel: cancel, detach: detach}
}

// Context returns the context the upstream request must be made with.
func (c *Call) Context() context.Context { return c.ctx }

// End cancels the call and releases its resources. An adapter calls it
// when opening the stream failed; an EventStream calls it itself. It is
// safe to call more than once.
func (c *Call) End() {
	c.detach()
	c.cancel(nil)
}

// BadEvents counts the undecodable events skipped in upstream streams, by
// provider name. Register it with the registry that serves /metrics.
var BadEvents = prometheus.NewCounterVec(prometheus.CounterOpts{
	Name: "switchyard_upstream_stream_bad_events_total",
	Help: "Undecodable events skipped in upstream streams, by provider.",
}, []string{"provider"})

// badEvent counts and logs one skipped event: its name and size, never
// its content.
func badEvent(log *slog.Logger, provider, event string, size, n int) {
	BadEvents.WithLabelValues(provider).Inc()
	log.Warn("skipped an undecodable upstream stream event",
		"provider", provider, "event", event, "bytes", size, "skipped_in_stream", n, "limit", MaxBadEvents)
}

// IsEventStream reports whether resp's body may be read as server-sent
// events: its Content-Type is text/event-stream, text/plain (what a
// server that sets none is sniffed as) or absent. JSON, HTML and anything
// else are not.
func IsEventStream(resp *http.Response) bool {
	ct := resp.Header.Get("Content-Type")
	switch ct {
	case "", "text/event-stream", "text/event-stream; charset=utf-8":
		return true // what upstreams send, without ParseMediaType's allocations
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "text/event-stream" || mt == "text/plain"
}

// NotAStream maps a 2xx answer to a streamed request that is not an event
// stream (JSON, HTML) and closes its body: the error it holds when parse,
// given its first 64 KiB, finds one in the upstream's error shape (stamped
// with name and redacted of secrets), or a malformed-response error naming
// the Content-Type. parse may be nil.
func NotAStream(name string, secrets []string, resp *http.Response, parse func([]byte) *llm.Error) *llm.Error {
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if parse != nil {
		if e := parse(data); e != nil {
			e.Provider = name
			e.Message = Redact(e.Message, secrets...)
			e.Code = Redact(e.Code, secrets...)
			e.Param = Redact(e.Param, secrets...)
			if e.RetryAfter == 0 {
				e.RetryAfter = RetryAfter(resp.Header)
			}
			return e
		}
	}
	return Garbage(name, fmt.Errorf("expected an event stream, got content-type %q", resp.Header.Get("Content-Type")))
}
