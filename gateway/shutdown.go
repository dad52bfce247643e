package gateway

import (
	"context"

	"switchyard/llm"
)

// CodeShuttingDown is the error code of a request the router cut because
// its shutdown drain ended before the request did (HTTP 503, kind
// unavailable, retryable).
const CodeShuttingDown = "server_shutting_down"

type shutdownKey struct{}

// WithShutdown returns ctx carrying the server's hard-stop signal: once
// stop is done (the drain deadline passed), the gateway cancels the
// upstream calls of requests running under ctx and ends them with
// ShutdownError, so a stream gets an error event saying why it ended and
// the request is recorded as cut by the shutdown, not as canceled or
// timed out. The request's own context stays alive, so the answer still
// reaches the client.
func WithShutdown(ctx, stop context.Context) context.Context {
	return context.WithValue(ctx, shutdownKey{}, stop)
}

// ShutdownError returns the error of a request cut by the shutdown.
func ShutdownError() *llm.Error {
	return &llm.Error{
		Kind:      llm.KindUnavailable,
		Code:      CodeShuttingDown,
		Retryable: true,
		Message:   "The router is shutting down and its drain period ended before this request did; retry it.",
	}
}

// cut links one request to the shutdown signal in its context.
type cut struct {
	parent context.Context // the request's context
	ctx    context.Context // parent, also cancelled by the shutdown
	stop   context.Context // the shutdown signal; nil when there is none
	cancel func()
}

// cutOnShutdown derives the context the gateway runs a request under.
// Its cancel must be called when the request ends.
func cutOnShutdown(parent context.Context) *cut {
	stop, _ := parent.Value(shutdownKey{}).(context.Context)
	if stop == nil {
		return &cut{parent: parent, ctx: parent, cancel: func() {}}
	}
	ctx, cancel := context.WithCancel(parent)
	unregister := context.AfterFunc(stop, cancel)
	return &cut{parent: parent, ctx: ctx, stop: stop, cancel: func() { unregister(); cancel() }}
}

// fired reports whether the shutdown, not the client or a deadline of the
// request, cancelled the request.
func (c *cut) fired() bool {
	return c.stop != nil && c.stop.Err() != nil && c.parent.Err() == nil
}

// err returns err, or ShutdownError when err ended a request the shutdown
// cut.
func (c *cut) err(err error) error {
	if err != nil && c.fired() {
		return ShutdownError()
	}
	return err
}
