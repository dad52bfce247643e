package server

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// This file holds the server's lifecycle: serving its listeners and the
// graceful drain on shutdown.

// ErrDrainTimeout is wrapped by the error Run and Serve return when the
// drain period ended with requests still in flight: they were cut (each
// answered or ended with a 503 error, code server_shutting_down, and
// recorded) and their connections closed.
var ErrDrainTimeout = errors.New("the drain period ended with requests in flight")

// cutGrace bounds each of the two waits after the drain deadline: for
// the cut requests to answer, be recorded and have their connections
// finish, and, for those still stuck (say, on a client that does not
// read) once their connections are closed, for their handlers to return.
const cutGrace = 2 * time.Second

// Listeners are what Serve serves on.
type Listeners struct {
	// API serves every endpoint, except the operational ones when Admin is
	// set. Required.
	API net.Listener
	// Admin, if not nil, serves the operational endpoints (/metrics,
	// /admin/, /healthz, /readyz), and the API listener answers 404 on
	// /metrics and /admin/. It stays open during the drain, so /readyz
	// and /metrics can be read there until the API listener is done.
	Admin net.Listener
}

// Run serves on ln alone; see Serve.
func (s *Server) Run(ctx context.Context, ln net.Listener, drain time.Duration) error {
	return s.Serve(ctx, Listeners{API: ln}, drain)
}

// Serve serves on ls until ctx is done, then drains: /readyz turns 503,
// the API listener stops accepting connections, and in-flight requests
// and streams get until drain to finish. Requests still running then are
// cut: their upstream calls are cancelled, a complete request is answered
// 503 and a stream ends with an error event, both with code
// server_shutting_down, and each is recorded once. Serve returns when every
// handler has returned (so every record has been queued) or after the
// bounded waits of cutGrace. It returns nil after a clean drain, an error
// wrapping ErrDrainTimeout when requests had to be cut, and the listener's
// error if one fails to serve.
func (s *Server) Serve(ctx context.Context, ls Listeners, drain time.Duration) error {
	servers := []*http.Server{s.httpServer(s)}
	lns := []net.Listener{ls.API}
	if ls.Admin != nil {
		servers = append(servers, s.httpServer(s.ops))
		lns = append(lns, ls.Admin)
	}
	errc := make(chan error, len(servers))
	for i, hs := range servers {
		go func() { errc <- hs.Serve(lns[i]) }()
	}
	var err error
	pending := len(servers)
	select {
	case err = <-errc:
		pending--
		for _, hs := range servers {
			hs.Close()
		}
	case <-ctx.Done():
		if err = s.delayShutdown(errc); err != nil {
			pending--
			for _, hs := range servers {
				hs.Close()
			}
			break
		}
		err = s.drain(servers[0], drain)
		for _, hs := range servers[1:] {
			hs.Close()
		}
	}
	for ; pending > 0; pending-- {
		if e := <-errc; err == nil && !errors.Is(e, http.ErrServerClosed) {
			err = e
		}
	}
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// delayShutdown, with Options.ShutdownDelay set, marks the server
// draining (/readyz answers 503) and keeps serving for that long, so that
// load balancers take the router out of rotation before it stops
// accepting connections. It returns a listener's error if one fails
// meanwhile (read from errc), else nil.
func (s *Server) delayShutdown(errc <-chan error) error {
	d := s.opts.ShutdownDelay
	if d <= 0 {
		return nil
	}
	s.draining.Store(true)
	s.log.Info("shutting down: /readyz answers 503; still serving for server.shutdown_delay, then draining", "delay", d)
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case err := <-errc:
		return cmp.Or(err, http.ErrServerClosed)
	case <-t.C:
		return nil
	case <-s.hurry:
		return nil
	}
}

// drain shuts hs down within drain, and the background responses with
// it, then cuts what is left.
func (s *Server) drain(hs *http.Server, drain time.Duration) error {
	s.draining.Store(true)
	s.shutSockets() // Shutdown does not close hijacked connections
	start := time.Now()
	sctx, cancel := context.WithTimeout(context.Background(), drain)
	defer cancel()
	go func() {
		select {
		case <-s.hurry:
			s.log.Warn("shutting down at once: a second signal ends the drain")
			cancel()
		case <-sctx.Done():
		}
	}()
	bg := make(chan error, 1)
	go func() {
		if s.opts.Background == nil {
			bg <- nil
			return
		}
		bg <- s.opts.Background.Drain(sctx) // cuts its jobs at the deadline, as cutAll the requests
	}()
	err := hs.Shutdown(sctx)
	if err == nil && !s.inflight.wait(time.Until(deadlineOf(sctx))) {
		// Shutdown does not wait for hijacked connections (the Realtime
		// API's sessions), whose handlers still count in flight.
		err = context.DeadlineExceeded
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		err = s.cut(hs, drain)
	case errors.Is(err, context.Canceled): // hurried
		err = s.cut(hs, time.Since(start).Round(time.Millisecond))
	}
	if bgErr := <-bg; bgErr != nil && err == nil {
		s.log.Warn("drain timed out; background responses were failed", "err", bgErr)
		err = fmt.Errorf("%w: %w", ErrDrainTimeout, bgErr)
	}
	return err
}

// cut cuts the requests still in flight once the drain period ended (or
// was hurried), after drain.
func (s *Server) cut(hs *http.Server, drain time.Duration) error {
	n := s.inflight.count()
	s.log.Warn("drain timed out; cutting the requests still in flight", "drain", drain, "requests", n)
	s.cutAll()
	// The cut handlers answer at once; let their connections finish
	// sending (closing them now could lose the last bytes of an answer).
	gctx, gcancel := context.WithTimeout(context.Background(), s.grace)
	defer gcancel()
	if hs.Shutdown(gctx) != nil || !s.inflight.wait(time.Until(deadlineOf(gctx))) {
		s.log.Warn("requests still running after the cut; closing their connections", "requests", s.inflight.count())
		hs.Close()
		if !s.inflight.wait(s.grace) {
			s.log.Error("requests still running after their connections closed; their records may be lost", "requests", s.inflight.count())
		}
	}
	return fmt.Errorf("%w: %d cut after %s", ErrDrainTimeout, n, drain)
}

// inflight counts the requests being handled. The zero value is ready.
type inflight struct {
	mu   sync.Mutex
	n    int
	zero chan struct{} // closed when n drops to zero; nil when nobody waits
}

func (f *inflight) enter() {
	f.mu.Lock()
	f.n++
	f.mu.Unlock()
}

func (f *inflight) leave() {
	f.mu.Lock()
	f.n--
	if f.n == 0 && f.zero != nil {
		close(f.zero)
		f.zero = nil
	}
	f.mu.Unlock()
}

func (f *inflight) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n
}

// wait reports whether no request is in flight, waiting up to d for the
// last one to end.
func (f *inflight) wait(d time.Duration) bool {
	f.mu.Lock()
	if f.n == 0 {
		f.mu.Unlock()
		return true
	}
	if f.zero == nil {
		f.zero = make(chan struct{})
	}
	z := f.zero
	f.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-z:
		return true
	case <-t.C:
		return false
	}
}

// deadlineOf is ctx's deadline; now when it has none.
func deadlineOf(ctx context.Context) time.Time {
	if d, ok := ctx.Deadline(); ok {
		return d
	}
	return time.Now()
}

// Hurry ends the shutdown delay and the drain at once (a second SIGINT
// or SIGTERM), now or when they begin: what is in flight is cut as at
// the end of the drain period. Safe to call at any time, more than once.
func (s *Server) Hurry() { s.hurryOnce.Do(func() { close(s.hurry) }) }
