package gateway

import (
	"context"
	"io"
	"sync/atomic"
	"time"

	"switchyard/llm"
)

// stallBody is an upstream body relayed as it arrives (speech audio),
// bounded by stall rather than whole: a read that waits past stall for
// the upstream's next bytes cancels the call and fails with a retryable
// timeout, as a chat stream's stall does (resilience.stall_timeout).
// Only the time a read waits counts: a caller that reads slowly does not
// make a healthy upstream look stalled. Reads are not concurrent.
type stallBody struct {
	body     io.ReadCloser
	stall    time.Duration
	timer    *time.Timer
	cancel   context.CancelFunc
	stalled  atomic.Bool
	provider string
}

// newStallBody bounds body, the answer of a call whose context cancel
// ends, by stall between its bytes; provider names the upstream in the
// error.
func newStallBody(body io.ReadCloser, stall time.Duration, cancel context.CancelFunc, provider string) *stallBody {
	b := &stallBody{body: body, stall: stall, cancel: cancel, provider: provider}
	b.timer = time.AfterFunc(stall, func() { b.stalled.Store(true); cancel() })
	b.timer.Stop()
	return b
}

func (b *stallBody) Read(p []byte) (int, error) {
	if b.stalled.Load() {
		return 0, b.stallError(nil)
	}
	b.timer.Reset(b.stall)
	n, err := b.body.Read(p)
	b.timer.Stop()
	if err != nil && err != io.EOF && b.stalled.Load() {
		err = b.stallError(err)
	}
	return n, err
}

// stallError is the error of a stalled read, caused by err.
func (b *stallBody) stallError(err error) *llm.Error {
	return &llm.Error{Kind: llm.KindTimeout, Provider: b.provider, Retryable: true, Err: err,
		Message: "upstream " + b.provider + " stalled: no data for " + b.stall.String()}
}

// Close closes the body and releases its call's context.
func (b *stallBody) Close() error {
	b.timer.Stop()
	err := b.body.Close()
	b.cancel()
	return err
}
