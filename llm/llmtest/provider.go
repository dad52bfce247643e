package llmtest

import (
	"context"
	"sync"
	"time"

	"switchyard/llm"
)

// Script is how a Provider answers one call to Stream.
type Script struct {
	// Err, if set, is returned by Stream at once (no stream is opened).
	Err error
	// Events are what the stream's Next returns, in order; after the last
	// one the stream ends with io.EOF.
	Events []Event
}

// Provider is a scripted llm.ChatProvider for tests. It counts calls,
// keeps every request and every stream it opened, and knows how many of
// those streams are not yet closed. It is safe for concurrent use; set its
// fields before the first call.
type Provider struct {
	// Scripts answer the calls in order, the last one repeating; none
	// means every call gets an empty stream (io.EOF at once).
	Scripts []Script
	// Func, if set, is asked for each call's script instead of Scripts;
	// call counts from 0. It runs in the caller's goroutine, so it may
	// block (first-call gating), panic, or inspect ctx and req.
	Func func(ctx context.Context, req *llm.Request, call int) Script
	// After is the clock the streams' Delays wait on; nil means
	// time.After. A test with a fake clock passes its own.
	After func(time.Duration) <-chan time.Time

	mu      sync.Mutex
	calls   int
	reqs    []*llm.Request
	streams []*Stream
	active  int
}

var _ llm.ChatProvider = (*Provider)(nil)

// Stream records req and opens a stream playing the call's script, or
// returns the script's Err.
func (p *Provider) Stream(ctx context.Context, req *llm.Request) (llm.Stream, error) {
	p.mu.Lock()
	n := p.calls
	p.calls++
	p.reqs = append(p.reqs, req)
	p.mu.Unlock()
	var sc Script
	switch {
	case p.Func != nil:
		sc = p.Func(ctx, req, n)
	case len(p.Scripts) > 0:
		sc = p.Scripts[min(n, len(p.Scripts)-1)]
	}
	if sc.Err != nil {
		return nil, sc.Err
	}
	s := newStream(ctx, p.After, sc.Events)
	s.onClose = func() { p.mu.Lock(); p.active--; p.mu.Unlock() }
	p.mu.Lock()
	p.active++
	p.streams = append(p.streams, s)
	p.mu.Unlock()
	return s, nil
}

// Calls returns how many times Stream was called.
func (p *Provider) Calls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.calls
}

// Requests returns the requests of every call so far, in order.
func (p *Provider) Requests() []*llm.Request {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*llm.Request(nil), p.reqs...)
}

// Models returns the Model of every call's request so far, in order.
func (p *Provider) Models() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]string, len(p.reqs))
	for i, r := range p.reqs {
		out[i] = r.Model
	}
	return out
}

// Streams returns the streams opened so far, in order.
func (p *Provider) Streams() []*Stream {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]*Stream(nil), p.streams...)
}

// Active returns how many opened streams are not closed yet.
func (p *Provider) Active() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.active
}

// Closes returns how many times Close was called on its streams in all.
func (p *Provider) Closes() int {
	n := 0
	for _, s := range p.Streams() {
		n += s.Closes()
	}
	return n
}
