package store

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// The errors a Store returns; test them with errors.Is.
var (
	// ErrNotFound: Get found no row with that id in the scope (a row of
	// another tenant is not found either).
	ErrNotFound = errors.New("store: request not found")
	// ErrBadCursor: List was given a cursor it did not issue.
	ErrBadCursor = errors.New("store: invalid cursor")
	// ErrBadQuery: a filter or stats query is malformed (an unknown
	// dimension, Until before Since, a negative limit).
	ErrBadQuery = errors.New("store: invalid query")
	// ErrClosed: the Store or Writer was closed.
	ErrClosed = errors.New("store: closed")
)

// Store is a request log. Implementations are safe for concurrent use.
// Every read takes a Scope: a tenant's scope never sees another tenant's
// rows.
type Store interface {
	// Write inserts rows; a row whose ID is already stored is skipped, so
	// a batch may be retried after a failure. Either every row is written
	// or none is.
	Write(ctx context.Context, rows []*Request) error
	// Get returns the row with id in scope, or ErrNotFound.
	Get(ctx context.Context, scope Scope, id string) (*Request, error)
	// List returns the rows in scope that match f, newest first (ties by
	// id, descending). Page.Next continues the listing: rows written
	// after the first page never shift later pages. It returns
	// ErrBadCursor or ErrBadQuery for a malformed f.
	List(ctx context.Context, scope Scope, f Filter) (Page, error)
	// Stats aggregates the rows in scope with Since <= Time < Until,
	// one Stats per group of q.By, ordered by the group's values. It
	// returns ErrBadQuery for an unknown dimension.
	Stats(ctx context.Context, scope Scope, q StatsQuery) ([]Stats, error)
	// DeleteBefore deletes every row older than t, of all tenants, and
	// the feedback given before t, and returns how many requests it
	// deleted.
	DeleteBefore(ctx context.Context, t time.Time) (int64, error)
	// FeedbackLog keeps the ratings and signals of the answers.
	FeedbackLog
	// Snapshots keeps the learned statistics' snapshots.
	Snapshots
	// AuditLog keeps the audit trail.
	AuditLog
	// ConfigHistory keeps every configuration applied.
	ConfigHistory
	// HistoryPruner deletes the audit events and configuration versions
	// past their retention.
	HistoryPruner
	// DriftLog keeps the golden sets' runs and reads the signals the
	// live drift monitor watches.
	DriftLog
	// KeyStore keeps the managed API keys (docs/tenants.md).
	KeyStore
	// Close releases the database; later calls return ErrClosed or fail.
	Close() error
}

// Scope is whose rows a read sees: one tenant's (Tenant, "" being the
// rows recorded without a tenant) or, with All, every tenant's.
type Scope struct {
	Tenant string
	All    bool
}

// TenantScope returns the scope of one tenant.
func TenantScope(tenant string) Scope { return Scope{Tenant: tenant} }

// AllTenants returns the scope of an operator who sees every tenant.
func AllTenants() Scope { return Scope{All: true} }

// Filter selects rows for List. Zero fields do not filter.
type Filter struct {
	// Since <= Time < Until.
	Since, Until time.Time
	Route        string
	Category     string
	Deployment   string
	// Batch selects the lines of one batch (Request.BatchID); empty
	// means every row.
	Batch string
	// Status filters by HTTP status; StatusError selects failed rows
	// (Request.Failed) and StatusOK the others.
	Status int
	// Stream, when non-nil, selects streamed (true) or unstreamed rows.
	Stream *bool
	// Limit bounds the page; zero means DefaultLimit, above MaxLimit
	// means MaxLimit.
	Limit int
	// Cursor is a previous Page.Next; empty starts at the newest row.
	Cursor string
}

// Pseudo-statuses of Filter.Status.
const (
	StatusOK    = -1 // not failed
	StatusError = -2 // failed: status >= 400 or a stream cut
)

// Page limits.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// PageLimit returns the effective limit of f, or ErrBadQuery.
func (f *Filter) PageLimit() (int, error) {
	switch {
	case f.Limit < 0:
		return 0, fmt.Errorf("%w: negative limit %d", ErrBadQuery, f.Limit)
	case f.Limit == 0:
		return DefaultLimit, nil
	}
	return min(f.Limit, MaxLimit), nil
}

// Page is one page of a listing.
type Page struct {
	Requests []*Request
	// Next is the cursor of the next page; empty on the last one.
	Next string
}

// Cursor is the position after a row in newest-first order.
type Cursor struct {
	Time time.Time
	ID   string
}

// Encode returns the opaque text of c.
func (c Cursor) Encode() string {
	b := binary.BigEndian.AppendUint64(nil, uint64(c.Time.UnixNano()))
	return base64.RawURLEncoding.EncodeToString(append(b, c.ID...))
}

// DecodeCursor parses a Page.Next, or returns ErrBadCursor.
func DecodeCursor(s string) (Cursor, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) < 9 {
		return Cursor{}, ErrBadCursor
	}
	return Cursor{Time: time.Unix(0, int64(binary.BigEndian.Uint64(b))).UTC(), ID: string(b[8:])}, nil
}

// Dimension is what Stats groups by.
type Dimension string

// The dimensions of StatsQuery.By.
const (
	ByRoute      Dimension = "route"
	ByCategory   Dimension = "category"
	ByDeployment Dimension = "deployment"
	// ByTime groups by the start of each Interval (UTC, from the Unix
	// epoch): the group's value is that time in RFC 3339.
	ByTime Dimension = "time"
)

// Bounds of StatsQuery.Interval: buckets of at least a minute, and at
// most MaxBuckets of them in the range.
const (
	MinInterval = time.Minute
	MaxBuckets  = 1500
)

// StatsQuery asks for aggregates over Since <= Time < Until, grouped by
// the dimensions in By (none: one group of everything). A zero Until
// means no upper bound. Grouping by ByTime needs an Interval.
type StatsQuery struct {
	Since, Until time.Time
	By           []Dimension
	// Interval is the width of ByTime's buckets: a whole number of
	// seconds, at least MinInterval; zero without ByTime.
	Interval time.Duration
}

// Check returns ErrBadQuery for an unknown or repeated dimension, an
// Until before Since, or ByTime without a valid Interval (or the
// reverse).
func (q *StatsQuery) Check() error {
	seen := map[Dimension]bool{}
	for _, d := range q.By {
		if d != ByRoute && d != ByCategory && d != ByDeployment && d != ByTime || seen[d] {
			return fmt.Errorf("%w: group by %q (route, category, deployment or time, once each)", ErrBadQuery, d)
		}
		seen[d] = true
	}
	if !q.Until.IsZero() && q.Until.Before(q.Since) {
		return fmt.Errorf("%w: until is before since", ErrBadQuery)
	}
	return q.checkInterval(seen[ByTime], time.Now())
}

// checkInterval checks Interval against grouping by time (byTime), and
// that the range, up to Until or now, holds at most MaxBuckets.
func (q *StatsQuery) checkInterval(byTime bool, now time.Time) error {
	switch {
	case !byTime && q.Interval != 0:
		return fmt.Errorf("%w: an interval groups by time: add time to by", ErrBadQuery)
	case !byTime:
		return nil
	case q.Interval < MinInterval || q.Interval%time.Second != 0:
		return fmt.Errorf("%w: grouping by time needs an interval of whole seconds, at least %s", ErrBadQuery, MinInterval)
	case q.Since.IsZero():
		return fmt.Errorf("%w: grouping by time needs since", ErrBadQuery)
	}
	end := q.Until
	if end.IsZero() {
		end = now
	}
	if n := end.Sub(q.Since) / q.Interval; n > MaxBuckets {
		return fmt.Errorf("%w: %d intervals of %s in the range; at most %d (a longer interval or a shorter range)", ErrBadQuery, n, q.Interval, MaxBuckets)
	}
	return nil
}

// Column returns the SQL expression of d in the requests table: its
// column, or for ByTime the bucket's start in Unix nanoseconds (interval
// a checked, positive whole number of nanoseconds, so formatting it into
// the query is safe).
func (d Dimension) Column(interval time.Duration) string {
	if d == ByTime {
		n := strconv.FormatInt(int64(interval), 10)
		return "(time_ns - time_ns % " + n + ")"
	}
	return string(d)
}

// FormatTime turns the ByTime values of stats, bucket starts in Unix
// nanoseconds as the back ends read them, into RFC 3339 times (UTC).
func FormatTime(stats []Stats) {
	for i := range stats {
		v, ok := stats[i].Group[ByTime]
		if !ok {
			continue
		}
		if ns, err := strconv.ParseInt(v, 10, 64); err == nil {
			stats[i].Group[ByTime] = time.Unix(0, ns).UTC().Format(time.RFC3339)
		}
	}
}

// Stats are the aggregates of one group of rows.
type Stats struct {
	// Group holds the value of each dimension of StatsQuery.By.
	Group map[Dimension]string
	// Count rows, of which Errors failed and Fallbacks fell back.
	Count, Errors, Fallbacks int64
	// ErrorRate and FallbackRate are Errors and Fallbacks over Count.
	ErrorRate, FallbackRate float64
	// Latency over all rows; TTFT over rows that sent a first byte.
	Latency, TTFT Percentiles
	Tokens        Tokens
	// CostUSD sums the rows' cost (every billed attempt), ServedCostUSD
	// their served cost; CostUnknown counts the rows with a cost_unknown
	// part, which both sums leave out.
	CostUSD       float64
	ServedCostUSD float64
	CostUnknown   int64
	// Signal rates, over Count (FormatFailed over rows with a format
	// checked).
	RefusalRate, ContentFilterRate, TruncatedRate, EmptyRate float64
	FormatFailedRate, InvalidToolCallRate                    float64
}

// Percentiles of a duration: nearest-rank.
type Percentiles struct {
	P50, P90, P99 time.Duration
}
