package store

import (
	"context"
	"time"
)

// RequestTimeout bounds each read or write of the store a client's
// request waits for (a stored response, chat completion, file, upload,
// conversation or batch; a rating; the admin API's reads): a database
// that stopped answering — it accepts connections and sends nothing —
// fails the request within seconds with a 503 in its API's shape instead
// of holding it until server.request_timeout (10 minutes by default) and
// a 504. The request log's own writes, off the requests' path, have
// DefaultWriteTimeout. See docs/store.md.
const RequestTimeout = 5 * time.Second

// AggregateTimeout bounds the admin API's aggregates over a range of the
// request log (/admin/report, /admin/stats, /admin/scores): on a large
// database a week's figures may take longer than RequestTimeout to
// compute, yet a database that stopped answering must still fail them
// well before server.request_timeout.
const AggregateTimeout = 20 * time.Second

// Bound returns ctx bounded by RequestTimeout (or by its own deadline if
// sooner) and its cancel function, which the caller must call.
func Bound(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeout(ctx, RequestTimeout)
}
