package server

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"switchyard/llm"
)

// The official OpenAI and Anthropic SDKs tell the server how long they
// wait: X-Stainless-Timeout, the request's timeout in whole seconds (the
// npm and Python clients send it always, 600 by default; openai-go when a
// request timeout is set). A client that has given up reads nothing more,
// so the router bounds the time to its answer's first byte by it: past
// it, less a margin for the answer to arrive first, no further candidate
// is tried and the request ends with a 504 (code client_timeout), which
// the SDKs retry as they retry their own timeouts. Once the first byte is
// written the bound no longer applies: a stream goes on while its
// chunks flow (the SDKs' timeouts do not cut a stream under way either:
// Python's is between reads, and the npm one ends with the headers).

// HeaderClientTimeout is the SDKs' header.
const HeaderClientTimeout = "X-Stainless-Timeout"

// maxClientTimeout bounds the header's value; larger ones are ignored.
const maxClientTimeout = 24 * time.Hour

// clientTimeout returns the time the client waits for the first byte, as
// its header says; false when it says nothing usable.
func clientTimeout(h http.Header) (time.Duration, bool) {
	v := h.Get(HeaderClientTimeout)
	if v == "" {
		return 0, false
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil || !(n > 0) || n*float64(time.Second) > float64(maxClientTimeout) { // !(n > 0): NaN too
		return 0, false
	}
	d := time.Duration(n * float64(time.Second))
	if d <= 0 { // under a nanosecond: no timeout a client could mean
		return 0, false
	}
	return d, true
}

// margin is how much earlier than the client the router gives up: a
// twentieth of the timeout, at least 250 ms and at most 5 s, so that its
// 504 arrives before the client's own timeout strikes.
func margin(d time.Duration) time.Duration {
	return min(max(d/20, 250*time.Millisecond), 5*time.Second)
}

// firstByteDeadline returns ctx, cancelled a margin before the client's
// timeout with a client_timeout cause unless w writes its first byte
// before, and the writer that disarms it; the writer's stop releases the
// timer and the context.
func firstByteDeadline(ctx context.Context, w http.ResponseWriter, timeout time.Duration) (context.Context, *firstByteWriter) {
	fw := &firstByteWriter{ResponseWriter: w, timeout: timeout}
	ctx, fw.cancel = context.WithCancelCause(ctx)
	fw.timer = time.AfterFunc(timeout-margin(timeout), fw.expire)
	return ctx, fw
}

func clientTimeoutError(timeout time.Duration) *llm.Error {
	e := llm.Errorf(llm.KindTimeout, "No answer could start within the client's timeout of %s (its %s header); the router gave up %s before it, so that this answer arrives first.", timeout, HeaderClientTimeout, margin(timeout))
	e.Code = "client_timeout"
	return e
}

// firstByteWriter disarms its deadline at the response's first byte.
type firstByteWriter struct {
	http.ResponseWriter
	timeout time.Duration
	timer   *time.Timer
	cancel  context.CancelCauseFunc
	// state is armed until the first byte goes (wrote: the deadline no
	// longer applies) or the deadline strikes first (fired); it changes
	// once. An atomic, not a lock: Write reads it for every piece of a
	// stream.
	state atomic.Int32
}

// The states of a firstByteWriter.
const (
	firstByteArmed int32 = iota
	firstByteWrote
	firstByteFired
)

// expire is the timer's: it cancels the request unless its first byte
// went.
func (w *firstByteWriter) expire() {
	if w.state.CompareAndSwap(firstByteArmed, firstByteFired) {
		w.cancel(clientTimeoutError(w.timeout))
	}
}

// stop releases the timer and the context.
func (w *firstByteWriter) stop() {
	w.timer.Stop()
	w.cancel(nil)
}

// started marks the first byte written.
func (w *firstByteWriter) started() {
	if w.state.Load() == firstByteArmed {
		w.state.CompareAndSwap(firstByteArmed, firstByteWrote)
	}
}

func (w *firstByteWriter) WriteHeader(code int) {
	w.started()
	w.ResponseWriter.WriteHeader(code)
}

func (w *firstByteWriter) Write(b []byte) (int, error) {
	w.started()
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the writers below.
func (w *firstByteWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
