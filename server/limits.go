package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// Limits bound what clients can hold: how long a request body may take to
// arrive, how long one write of a response may take, how long an idle
// connection stays open, and how much work is admitted at once. The zero
// value bounds nothing (and keeps Run's idle timeout at 120 s).
type Limits struct {
	// ReadTimeout bounds reading a request's body, from the start of the
	// request to the body's end; zero means no bound. A body that has not
	// arrived by then is answered 408 and its connection closed.
	ReadTimeout time.Duration
	// WriteTimeout bounds each write and flush of a response, so a client
	// that stops reading (a stream, say) releases its handler and the
	// upstream call; zero means no bound.
	WriteTimeout time.Duration
	// IdleTimeout is how long a keep-alive connection may wait for its
	// next request; zero means 120 s.
	IdleTimeout time.Duration
	// ReadHeaderTimeout bounds reading a request's headers, from the
	// connection's first byte (or the end of its previous request); zero
	// means 10 s. Past it net/http answers its own plain-text 400 and
	// closes the connection.
	ReadHeaderTimeout time.Duration
	// MaxConcurrentRequests bounds the API requests (/v1/) being served
	// at once; zero means no bound. Past it, 503 with Retry-After.
	MaxConcurrentRequests int
	// MaxInflightBytes bounds the body bytes of the API requests being
	// served at once, with the bytes of the stored files they name by id
	// (reserveBytes); zero means no bound. Past it, 503 with Retry-After.
	MaxInflightBytes int64
}

// LimitsFrom returns the limits configured in the server section.
func LimitsFrom(s *config.Server) Limits {
	return Limits{
		ReadTimeout: s.ReadTimeout, WriteTimeout: s.WriteTimeout, IdleTimeout: s.IdleTimeout, ReadHeaderTimeout: s.ReadHeaderTimeout,
		MaxConcurrentRequests: s.MaxConcurrentRequests, MaxInflightBytes: s.MaxInflightBytes,
	}
}

func (l *Limits) readHeader() time.Duration {
	if l.ReadHeaderTimeout > 0 {
		return l.ReadHeaderTimeout
	}
	return config.DefaultReadHeaderTimeout
}

func (l *Limits) idle() time.Duration {
	if l.IdleTimeout > 0 {
		return l.IdleTimeout
	}
	return 120 * time.Second
}

// edge puts deadlines on the connection of each request: the body must
// arrive within ReadTimeout, each write must complete within WriteTimeout.
// A request answered before its body was read (401, 413, 404…) gets
// "Connection: close"; the rest of its body is read and dropped for a
// moment (linger) so that a client still sending it reads the answer,
// and its connection is closed.
func (s *Server) edge(next http.Handler) http.Handler {
	l := s.opts.Limits
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		var body *edgeBody
		if r.Body != nil && r.Body != http.NoBody && r.ContentLength != 0 {
			body = &edgeBody{ReadCloser: r.Body, rc: rc, timeout: l.ReadTimeout}
			if l.ReadTimeout > 0 {
				rc.SetReadDeadline(time.Now().Add(l.ReadTimeout))
			}
			r.Body = body
		}
		ew := &edgeWriter{ResponseWriter: w, rc: rc, timeout: l.WriteTimeout, body: body}
		ew.extend() // a 100 Continue is written under it
		next.ServeHTTP(ew, r)
		ew.extend() // net/http writes what is buffered after the handler returns
		if body != nil && !body.done {
			linger(ew, r, body)
			// Expire the read deadline: net/http gives up on the unread
			// rest of the body at once and closes the connection.
			rc.SetReadDeadline(time.Now())
		}
	})
}

// edgeBody is a request body that notes its end (and then lifts the read
// deadline, which would otherwise cancel the request while net/http
// watches the idle connection for the client going away) and turns a
// passed read deadline into a 408.
type edgeBody struct {
	io.ReadCloser
	rc      *http.ResponseController
	timeout time.Duration
	done    bool
	read    int64 // bytes read
	failed  bool  // a read failed other than at the body's end
}

func (b *edgeBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.read += int64(n)
	if err != nil && err != io.EOF {
		b.failed = true
	}
	switch {
	case err == io.EOF:
		if !b.done && b.timeout > 0 {
			b.rc.SetReadDeadline(time.Time{})
		}
		b.done = true
	case err != nil && errors.Is(err, os.ErrDeadlineExceeded):
		e := llm.Errorf(llm.KindTimeout, "The request body did not arrive within %s (server.read_timeout); the connection is closed.", b.timeout)
		e.Status, e.Code, e.Err = http.StatusRequestTimeout, "read_timeout", err
		return n, e
	}
	return n, err
}

// edgeWriter extends the write deadline before each write and flush, and
// asks to close the connection when the answer comes before the body was
// read.
type edgeWriter struct {
	http.ResponseWriter
	rc      *http.ResponseController
	timeout time.Duration
	body    *edgeBody
	wrote   bool
	renewAt time.Time // the next write pushes the deadline from here on
}

// extend pushes the write deadline timeout ahead, at most once per quarter
// of timeout: a write always starts with at least three quarters of it
// left, and a stream of many small writes does not reset the connection's
// timer for each one.
func (w *edgeWriter) extend() {
	if w.timeout <= 0 {
		return
	}
	now := time.Now()
	if now.Before(w.renewAt) {
		return
	}
	w.rc.SetWriteDeadline(now.Add(w.timeout))
	w.renewAt = now.Add(w.timeout / 4)
}

func (w *edgeWriter) WriteHeader(code int) {
	if !w.wrote {
		w.wrote = true
		if w.body != nil && !w.body.done && code >= 200 {
			w.Header().Set("Connection", "close")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *edgeWriter) Write(b []byte) (int, error) {
	if !w.wrote {
		w.WriteHeader(http.StatusOK)
	}
	w.extend()
	return w.ResponseWriter.Write(b)
}

// FlushError flushes under a fresh write deadline (http.ResponseController
// finds it first).
func (w *edgeWriter) FlushError() error {
	w.extend()
	return w.rc.Flush()
}

// Flush implements http.Flusher for callers that assert it directly.
func (w *edgeWriter) Flush() { w.FlushError() }

// Unwrap lets http.ResponseController reach the connection's deadlines.
func (w *edgeWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// admission counts the API requests being served and their body bytes.
type admission struct {
	lim   Limits
	n     atomic.Int64
	bytes atomic.Int64
}

// admit turns requests away with 503 and Retry-After while
// MaxConcurrentRequests are being served, or while admitting the body
// would take the bytes in flight past MaxInflightBytes. A body of unknown
// length (chunked) is counted as it arrives.
func (s *Server) admit(next http.Handler) http.Handler {
	a := &admission{lim: s.opts.Limits}
	if a.lim.MaxConcurrentRequests <= 0 && a.lim.MaxInflightBytes <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n := a.n.Add(1); a.lim.MaxConcurrentRequests > 0 && n > int64(a.lim.MaxConcurrentRequests) {
			a.n.Add(-1)
			s.writeError(w, r, overloaded(fmt.Sprintf("%d requests at once (server.max_concurrent_requests)", a.lim.MaxConcurrentRequests)))
			return
		}
		defer a.n.Add(-1)
		if a.lim.MaxInflightBytes <= 0 {
			next.ServeHTTP(w, r)
			return
		}
		cb := &countedBody{a: a}
		if r.ContentLength > a.lim.MaxInflightBytes {
			s.writeError(w, r, a.tooLarge(r.ContentLength))
			return
		}
		if r.ContentLength > 0 && !a.reserve(r.ContentLength) {
			s.writeError(w, r, a.full())
			return
		}
		cb.held = max(r.ContentLength, 0)
		if r.ContentLength < 0 {
			cb.ReadCloser, r.Body = r.Body, cb
		}
		ex := exchangeFrom(r.Context())
		ex.admission = a
		defer func() { a.bytes.Add(-cb.held - ex.extraBytes) }()
		next.ServeHTTP(w, r)
	})
}

// reserveBytes takes n more bytes of the in-flight budget for the
// request of ctx (the files it names, put in it: apiopenai.Handler's
// ReserveBytes), given back when the request ends; the 503 of a full
// budget. A request the budget does not hold (none is kept, a batch's
// line) takes nothing.
func (s *Server) reserveBytes(ctx context.Context, n int64) error {
	ex := exchangeFrom(ctx)
	if ex.admission == nil {
		return nil
	}
	if !ex.admission.reserve(n) {
		return ex.admission.full()
	}
	ex.extraBytes += n
	return nil
}

// reserve takes n bytes of the in-flight budget, if they fit.
func (a *admission) reserve(n int64) bool {
	if a.bytes.Add(n) > a.lim.MaxInflightBytes {
		a.bytes.Add(-n)
		return false
	}
	return true
}

func (a *admission) full() *llm.Error {
	return overloaded(fmt.Sprintf("%d bytes of requests in flight (server.max_inflight_bytes)", a.lim.MaxInflightBytes))
}

// tooLarge is the 413 of a body of n bytes (-1: a body of unknown length
// that grew past the budget) that the in-flight budget could never hold,
// however idle the router: a 503 would have the client send it again.
func (a *admission) tooLarge(n int64) *llm.Error {
	size := "The request body"
	if n >= 0 {
		size = fmt.Sprintf("The request body (%d bytes)", n)
	}
	return llm.Errorf(llm.KindTooLarge, "%s is larger than any request this router accepts: %d bytes (server.max_inflight_bytes).", size, a.lim.MaxInflightBytes)
}

func overloaded(limit string) *llm.Error {
	e := llm.Errorf(llm.KindUnavailable, "This router is serving its limit of %s; retry shortly.", limit)
	e.Code, e.RetryAfter = "server_overloaded", time.Second
	return e
}

// countedBody is a body of unknown length, counted against the in-flight
// budget as it is read.
type countedBody struct {
	io.ReadCloser
	a    *admission
	held int64
}

func (b *countedBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		if b.held+int64(n) > b.a.lim.MaxInflightBytes {
			return 0, b.a.tooLarge(-1)
		}
		if !b.a.reserve(int64(n)) {
			return 0, b.a.full()
		}
		b.held += int64(n)
	}
	return n, err
}
