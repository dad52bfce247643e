// Package sqlstore is the SQL the store back ends share: the requests
// table's columns, encoding rows to column values and back, and the
// queries of List, Get and Stats. Each back end supplies its placeholder
// style and runs the queries with its own driver.
package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// Columns are the requests table's columns in the order of Values and
// Scan; bodies, last, is read by Get only.
var Columns = []string{
	"id", "time_ns", "tenant", "key_name", "endpoint", "route", "pinned", "deployment",
	"category", "confidence", "status", "error_kind", "stream_failed", "failed", "stream",
	"fallback", "resumed_from", "prompt_tokens", "cached_read_tokens", "cache_write_tokens",
	"completion_tokens", "reasoning_tokens", "cost_usd", "cost_estimated", "latency_ns",
	"ttft_ns", "signal_flags", "features", "explanation", "attempts", "signals",
	"served_cost_usd", "cost_unknown", "propensity", "cache_write_1h_tokens", "batch_id", "batch",
	"bodies",
}

var (
	columnList = strings.Join(Columns, ", ")
	// listColumns are the columns List reads: all but bodies.
	listColumns = strings.Join(Columns[:len(Columns)-1], ", ")
)

// Placeholder returns the n-th (1-based) bind parameter of a dialect:
// "?" for SQLite, "$n" for PostgreSQL.
type Placeholder func(n int) string

// Values returns r's column values, JSON columns as strings (bodies as
// NULL when r has none).
func Values(r *store.Request) ([]any, error) {
	return AppendValues(make([]any, 0, len(Columns)), r)
}

// AppendValues appends r's column values to dst, as Values returns them:
// each a string, int64, float64, bool or nil, values a database/sql
// driver takes as they are.
func AppendValues(dst []any, r *store.Request) ([]any, error) {
	js := jsonColumns(r)
	var bodies any // NULL
	if r.Bodies != nil {
		b, err := json.Marshal(r.Bodies)
		if err != nil {
			return nil, fmt.Errorf("store: encode request %s bodies: %w", r.ID, err)
		}
		bodies = string(b)
	}
	t := &r.Tokens
	return append(dst,
		r.ID, r.Time.UnixNano(), r.Tenant, r.KeyName, r.Endpoint, r.Route, r.Pinned, r.Deployment,
		string(r.Category), r.Confidence, int64(r.Status), string(r.ErrorKind), r.StreamFailed, r.Failed(), r.Stream,
		r.Fallback, r.ResumedFrom, int64(t.Prompt), int64(t.CachedRead), int64(t.CacheWrite),
		int64(t.Completion), int64(t.Reasoning), r.CostUSD, r.CostEstimated, int64(r.Latency),
		int64(r.TTFT), int64(r.Signals.Flags()), js[0], js[1], js[2], js[3],
		r.ServedCostUSD, r.CostUnknown, r.Propensity, int64(t.CacheWrite1h), r.BatchID, r.Explanation.Batch,
		bodies,
	), nil
}

// Scan reads one row selected by List (every column but bodies).
func Scan(scan func(dest ...any) error) (*store.Request, error) { return scanRow(scan, false) }

// ScanWithBodies reads one row selected by Get (every column).
func ScanWithBodies(scan func(dest ...any) error) (*store.Request, error) { return scanRow(scan, true) }

func scanRow(scan func(dest ...any) error, withBodies bool) (*store.Request, error) {
	var (
		r                 store.Request
		ns, lat, ttft, fl int64
		cat, kind         string
		failed            bool
		js                [4]string
		bodies            *string
		batchMode         string
	)
	t := &r.Tokens
	dest := []any{&r.ID, &ns, &r.Tenant, &r.KeyName, &r.Endpoint, &r.Route, &r.Pinned, &r.Deployment,
		&cat, &r.Confidence, &r.Status, &kind, &r.StreamFailed, &failed, &r.Stream,
		&r.Fallback, &r.ResumedFrom, &t.Prompt, &t.CachedRead, &t.CacheWrite,
		&t.Completion, &t.Reasoning, &r.CostUSD, &r.CostEstimated, &lat,
		&ttft, &fl, &js[0], &js[1], &js[2], &js[3],
		&r.ServedCostUSD, &r.CostUnknown, &r.Propensity, &t.CacheWrite1h, &r.BatchID, &batchMode}
	if withBodies {
		dest = append(dest, &bodies)
	}
	if err := scan(dest...); err != nil {
		return nil, fmt.Errorf("store: scan request: %w", err)
	}
	r.Time = time.Unix(0, ns).UTC()
	r.Category, r.ErrorKind = llm.Category(cat), llm.ErrorKind(kind)
	r.Latency, r.TTFT = time.Duration(lat), time.Duration(ttft)
	for i, dst := range []any{&r.Features, &r.Explanation, &r.Attempts, &r.Signals} {
		if err := json.Unmarshal([]byte(js[i]), dst); err != nil {
			return nil, fmt.Errorf("store: decode request %s: %w", r.ID, err)
		}
	}
	if batchMode != "" { // the column, written from it; '' in rows older than it
		r.Explanation.Batch = batchMode
	}
	if bodies != nil {
		r.Bodies = new(store.Bodies)
		if err := json.Unmarshal([]byte(*bodies), r.Bodies); err != nil {
			return nil, fmt.Errorf("store: decode request %s bodies: %w", r.ID, err)
		}
	}
	return &r, nil
}

// Insert returns the statement inserting n rows, skipping stored ids.
func Insert(n int, ph Placeholder) string {
	var b strings.Builder
	b.WriteString("INSERT INTO requests (" + columnList + ") VALUES ")
	k := 0
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range Columns {
			if j > 0 {
				b.WriteString(", ")
			}
			k++
			b.WriteString(ph(k))
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (id) DO NOTHING")
	return b.String()
}

// query builds a WHERE clause with numbered parameters.
type query struct {
	ph    Placeholder
	conds []string
	args  []any
}

// where adds the condition cond, in which each %s is the next argument.
func (q *query) where(cond string, args ...any) {
	phs := make([]any, len(args))
	for i, a := range args {
		q.args = append(q.args, a)
		phs[i] = q.ph(len(q.args))
	}
	q.conds = append(q.conds, fmt.Sprintf(cond, phs...))
}

func (q *query) clause() string {
	if len(q.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(q.conds, " AND ")
}

func (q *query) scope(s store.Scope) {
	if !s.All {
		q.where("tenant = %s", s.Tenant)
	}
}

func (q *query) between(since, until time.Time) {
	if !since.IsZero() {
		q.where("time_ns >= %s", since.UnixNano())
	}
	if !until.IsZero() {
		q.where("time_ns < %s", until.UnixNano())
	}
}

// Get returns the query of one row by id within scope.
func Get(s store.Scope, id string, ph Placeholder) (string, []any) {
	q := &query{ph: ph}
	q.where("id = %s", id)
	q.scope(s)
	return "SELECT " + columnList + " FROM requests" + q.clause(), q.args // scanned by ScanWithBodies
}

// List returns the query of a page of f, which selects one row more than
// the page's limit (see Paginate), and the limit.
func List(s store.Scope, f store.Filter, ph Placeholder) (string, []any, int, error) {
	limit, err := f.PageLimit()
	if err != nil {
		return "", nil, 0, err
	}
	q := &query{ph: ph}
	q.scope(s)
	q.between(f.Since, f.Until)
	for _, c := range []struct{ col, v string }{{"route", f.Route}, {"category", f.Category}, {"deployment", f.Deployment}, {"batch_id", f.Batch}} {
		if c.v != "" {
			q.where(c.col+" = %s", c.v)
		}
	}
	switch {
	case f.Status == store.StatusOK || f.Status == store.StatusError:
		q.where("failed = %s", f.Status == store.StatusError)
	case f.Status > 0:
		q.where("status = %s", f.Status)
	case f.Status != 0:
		return "", nil, 0, fmt.Errorf("%w: status %d", store.ErrBadQuery, f.Status)
	}
	if f.Stream != nil {
		q.where("stream = %s", *f.Stream)
	}
	if f.Cursor != "" {
		c, err := store.DecodeCursor(f.Cursor)
		if err != nil {
			return "", nil, 0, err
		}
		ns := c.Time.UnixNano()
		q.where("(time_ns < %s OR (time_ns = %s AND id < %s))", ns, ns, c.ID)
	}
	sql := fmt.Sprintf("SELECT %s FROM requests%s ORDER BY time_ns DESC, id DESC LIMIT %d", listColumns, q.clause(), limit+1)
	return sql, q.args, limit, nil
}

// Rows is what both drivers' result sets offer (*sql.Rows, pgx.Rows).
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// Page scans every row of a List query and cuts the page at limit. The
// caller closes rows.
func Page(rows Rows, limit int) (store.Page, error) {
	var out []*store.Request
	for rows.Next() {
		r, err := Scan(rows.Scan)
		if err != nil {
			return store.Page{}, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return store.Page{}, err
	}
	return Paginate(out, limit), nil
}

// Paginate cuts the rows of a List query (at most limit+1) into a Page.
func Paginate(rows []*store.Request, limit int) store.Page {
	if len(rows) <= limit {
		return store.Page{Requests: rows}
	}
	last := rows[limit-1]
	return store.Page{Requests: rows[:limit], Next: store.Cursor{Time: last.Time, ID: last.ID}.Encode()}
}

// Range returns the WHERE clause (with its leading " WHERE", or "")
// selecting the rows of scope with since <= time < until (zero bounds do
// not bound), and its arguments.
func Range(s store.Scope, since, until time.Time, ph Placeholder) (string, []any) {
	q := &query{ph: ph}
	q.scope(s)
	q.between(since, until)
	return q.clause(), q.args
}

// Stats returns the query of the StatRows of q; scan its rows with
// ScanStat. It returns ErrBadQuery for a malformed q.
func Stats(s store.Scope, sq store.StatsQuery, ph Placeholder) (string, []any, error) {
	if err := sq.Check(); err != nil {
		return "", nil, err
	}
	q := &query{ph: ph}
	q.scope(s)
	q.between(sq.Since, sq.Until)
	cols := "failed, fallback, latency_ns, ttft_ns, prompt_tokens, cached_read_tokens, cache_write_tokens, " +
		"completion_tokens, reasoning_tokens, cost_usd, signal_flags, served_cost_usd, cost_unknown, cache_write_1h_tokens"
	for _, d := range sq.By {
		cols += ", " + d.Column(sq.Interval) // checked: a known column name, or the time bucket
	}
	return "SELECT " + cols + " FROM requests" + q.clause(), q.args, nil
}

// ScanStat reads one row of a Stats query grouped by n dimensions.
func ScanStat(scan func(dest ...any) error, n int) (store.StatRow, error) {
	var (
		r         store.StatRow
		lat, ttft int64
		fl        int64
	)
	t := &r.Tokens
	r.Group = make([]string, n)
	dest := []any{&r.Failed, &r.Fallback, &lat, &ttft, &t.Prompt, &t.CachedRead, &t.CacheWrite,
		&t.Completion, &t.Reasoning, &r.CostUSD, &fl, &r.ServedCostUSD, &r.CostUnknown, &t.CacheWrite1h}
	for i := range r.Group {
		dest = append(dest, &r.Group[i])
	}
	if err := scan(dest...); err != nil {
		return r, fmt.Errorf("store: scan stats: %w", err)
	}
	r.Latency, r.TTFT, r.Flags = time.Duration(lat), time.Duration(ttft), store.SignalFlags(fl)
	return r, nil
}

// DeleteBefore returns the statement deleting rows older than t.
func DeleteBefore(t time.Time, ph Placeholder) (string, []any) {
	return "DELETE FROM requests WHERE time_ns < " + ph(1), []any{t.UnixNano()}
}
