package store

import (
	"context"
	"net/http"
	"time"
)

// DefaultTimeout is Timeouts.Request's default (store.timeout): the bound
// of each read or write of the store a client's request waits for (a
// stored response, chat completion, file, upload, conversation or batch;
// a rating; the admin API's reads; a configuration's change). A database
// that stopped answering — it accepts connections and sends nothing —
// fails the request within seconds with a 503 in its API's shape instead
// of holding it until server.request_timeout (10 minutes by default) and
// a 504. The request log's own writes, off the requests' path, have
// DefaultWriteTimeout. See docs/store.md.
const DefaultTimeout = 5 * time.Second

// DefaultAggregateTimeout is Timeouts.Aggregate's default
// (store.aggregate_timeout): the bound of the admin API's aggregates over
// a range of the request log (/admin/report, /admin/stats,
// /admin/scores). On a large database a week's figures may take longer
// than DefaultTimeout to compute, yet a database that stopped answering
// must still fail them well before server.request_timeout.
const DefaultAggregateTimeout = 20 * time.Second

// Timeouts bound the store I/O a client's request waits for
// (store.timeout, store.aggregate_timeout). The zero value holds the
// defaults.
type Timeouts struct {
	// Request bounds each read or write; zero means DefaultTimeout.
	Request time.Duration
	// Aggregate bounds the aggregates over a range of the request log;
	// zero means DefaultAggregateTimeout.
	Aggregate time.Duration
}

// RequestOr returns Request, or DefaultTimeout when it is zero.
func (t Timeouts) RequestOr() time.Duration {
	if t.Request > 0 {
		return t.Request
	}
	return DefaultTimeout
}

// AggregateOr returns Aggregate, or DefaultAggregateTimeout when it is
// zero.
func (t Timeouts) AggregateOr() time.Duration {
	if t.Aggregate > 0 {
		return t.Aggregate
	}
	return DefaultAggregateTimeout
}

// Bound returns ctx bounded by t.RequestOr() (or by its own deadline if
// sooner) and its cancel function, which the caller must call.
func (t Timeouts) Bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, t.RequestOr())
}

// Registrar is where routes are registered: an *http.ServeMux, or a
// wrapper of one.
type Registrar interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// BoundedMux registers each handler on Mux served with its request's
// context bounded by Timeout: the one way an HTTP route bounds the store
// I/O its request waits for. A route answers its own error, in its API's
// shape, when a store call fails with the context's deadline.
type BoundedMux struct {
	Mux Registrar
	// Timeout bounds each request; zero means DefaultTimeout.
	Timeout time.Duration
}

// HandleFunc registers h for pattern, bounded.
func (m BoundedMux) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	m.Mux.HandleFunc(pattern, Bounded(m.Timeout, h))
}

// Bounded returns h served with its request's context bounded by d (zero
// means DefaultTimeout).
func Bounded(d time.Duration, h func(http.ResponseWriter, *http.Request)) http.HandlerFunc {
	t := Timeouts{Request: d}
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := t.Bound(r.Context())
		defer cancel()
		h(w, r.WithContext(ctx))
	}
}
