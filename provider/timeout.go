package provider

import (
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"
)

// This file applies a provider's timeout (config.Provider.Timeout) to
// each upstream call until its answer starts: the connection, the
// request's writing and the response's headers, and, for an answer that
// is not an event stream, the reading of its whole body. A streamed
// answer is not bounded by it once its headers arrived: the dispatcher's
// stall timeout and the request's deadline bound it. Unlike
// http.Client.Timeout, which bounds every body whole, it does not cut a
// stream that keeps flowing.

// CallTimeoutError is the error of an upstream call past its provider's
// timeout. It is a net.Error whose Timeout reports true, so TransportError
// maps it to a retryable llm.KindTimeout.
type CallTimeoutError struct {
	// After is the provider's timeout.
	After time.Duration
}

func (e *CallTimeoutError) Error() string {
	return fmt.Sprintf("no answer within the provider's %s timeout", e.After)
}

// Timeout implements net.Error.
func (e *CallTimeoutError) Timeout() bool { return true }

// Temporary implements net.Error.
func (e *CallTimeoutError) Temporary() bool { return true }

// WithCallTimeout returns a copy of hc (nil: DefaultHTTPClient) whose
// calls are bounded by timeout until their answer starts, as this file
// says; a timeout of zero or less returns hc unchanged. Its Timeout field
// is cleared: it would bound streams whole.
func WithCallTimeout(hc *http.Client, timeout time.Duration) *http.Client {
	if timeout <= 0 {
		return hc
	}
	if hc == nil {
		hc = DefaultHTTPClient
	}
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport, c.Timeout = &callTimeout{base: base, after: timeout}, 0
	return &c
}

// callTimeout is the RoundTripper of WithCallTimeout. It starts no
// goroutine of its own: a timer cancels the call's context when it fires
// (time.AfterFunc) and is stopped when a stream's headers arrive or a
// body has been read to its end.
type callTimeout struct {
	base  http.RoundTripper
	after time.Duration
}

// RoundTrip implements http.RoundTripper.
func (t *callTimeout) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	timedOut := &CallTimeoutError{After: t.after}
	timer := time.AfterFunc(t.after, func() { cancel(timedOut) })
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		cancel(nil)
		if context.Cause(ctx) == timedOut {
			return nil, timedOut
		}
		return nil, err
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		// A WebSocket: its body is the connection, which must stay an
		// io.ReadWriteCloser; the session bounds itself. The call's
		// context is released at once: the transport hands an upgraded
		// connection over to its caller and no longer watches the
		// request's context (TestCallTimeoutUpgradeReleases), so it
		// would only hold the timer's context until the caller's ended.
		if !timer.Stop() {
			resp.Body.Close()
			cancel(nil)
			return nil, timedOut
		}
		cancel(nil)
		return resp, nil
	}
	if streamed(req, resp) {
		if !timer.Stop() { // it fired as the headers arrived
			resp.Body.Close()
			cancel(nil)
			return nil, timedOut
		}
		resp.Body = &timedBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel, timedOut: timedOut}
		return resp, nil
	}
	resp.Body = &timedBody{ReadCloser: resp.Body, ctx: ctx, cancel: cancel, timer: timer, timedOut: timedOut}
	return resp, nil
}

// streamed reports whether resp, a response to req, is a streamed
// answer: a 2xx event stream (or, to a request that accepts one, a body
// IsEventStream may read as one), or any 2xx body but JSON to a call
// under WithStreamedAnswer.
func streamed(req *http.Request, resp *http.Response) bool {
	if resp.StatusCode/100 != 2 {
		return false
	}
	ct := resp.Header.Get("Content-Type")
	mt, _, _ := mime.ParseMediaType(ct)
	if req.Context().Value(streamedAnswerKey{}) != nil && mt != "application/json" {
		return true
	}
	if !IsEventStream(resp) {
		return false
	}
	if mt == "text/event-stream" {
		return true
	}
	return strings.Contains(req.Header.Get("Accept"), "text/event-stream")
}

type streamedAnswerKey struct{}

// WithStreamedAnswer returns ctx for a call whose 2xx answer, whatever
// its type but JSON, is a stream read as it arrives (speech audio): a
// provider's timeout bounds it until its headers arrived, as it does an
// event stream, not the reading of its whole body; its caller bounds
// what follows (a stall: the gateway's stallBody).
func WithStreamedAnswer(ctx context.Context) context.Context {
	return context.WithValue(ctx, streamedAnswerKey{}, true)
}

// timedBody is the body of a call under callTimeout. Its reads fail with
// the CallTimeoutError once the timer (nil for a stream) has fired; the
// timer stops at the body's end, and Close releases the call's context.
type timedBody struct {
	io.ReadCloser
	ctx      context.Context
	cancel   context.CancelCauseFunc
	timer    *time.Timer
	timedOut *CallTimeoutError
}

func (b *timedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	switch {
	case err == io.EOF && b.timer != nil:
		b.timer.Stop()
	case err != nil && context.Cause(b.ctx) == b.timedOut:
		err = b.timedOut
	}
	return n, err
}

func (b *timedBody) Close() error {
	if b.timer != nil {
		b.timer.Stop()
	}
	err := b.ReadCloser.Close()
	b.cancel(nil)
	return err
}
