package sqlstore

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"switchyard/store"
)

// FeedbackColumns are the feedback table's columns in the order of
// FeedbackValues and ScanFeedback.
var FeedbackColumns = []string{"request_id", "kind", "tenant", "time_ns", "value", "tags", "cost_usd", "evidence"}

var feedbackColumnList = strings.Join(FeedbackColumns, ", ")

// FeedbackValues returns f's column values, tags and evidence as JSON
// strings. It returns ErrBadQuery for an unknown kind.
func FeedbackValues(f *store.Feedback) ([]any, error) {
	if !f.Kind.Known() {
		return nil, fmt.Errorf("%w: feedback on %s of unknown kind %q", store.ErrBadQuery, f.RequestID, f.Kind)
	}
	tags := f.Tags
	if tags == nil {
		tags = []string{}
	}
	tb, err := json.Marshal(tags)
	if err != nil {
		return nil, fmt.Errorf("store: encode feedback tags: %w", err)
	}
	eb, err := json.Marshal(f.Evidence)
	if err != nil {
		return nil, fmt.Errorf("store: encode feedback evidence: %w", err)
	}
	return []any{f.RequestID, string(f.Kind), f.Tenant, f.Time.UnixNano(), f.Value, string(tb), f.CostUSD, string(eb)}, nil
}

// DedupeFeedback returns rows with at most one row per request and kind,
// as WriteFeedback would leave them: the last explicit row, the first
// implicit one. One statement may not touch a row twice.
func DedupeFeedback(rows []*store.Feedback) []*store.Feedback {
	type key struct {
		id   string
		kind store.FeedbackKind
	}
	at := make(map[key]int, len(rows))
	out := make([]*store.Feedback, 0, len(rows))
	for _, f := range rows {
		k := key{f.RequestID, f.Kind}
		i, seen := at[k]
		switch {
		case !seen:
			at[k] = len(out)
			out = append(out, f)
		case f.Kind == store.KindExplicit:
			out[i] = f
		}
	}
	return out
}

// InsertFeedback returns the statement writing n feedback rows: an
// explicit row replaces the stored one, an implicit row is skipped when
// one of its kind is stored.
func InsertFeedback(n int, ph Placeholder) string {
	var b strings.Builder
	b.WriteString("INSERT INTO feedback (" + feedbackColumnList + ") VALUES ")
	k := 0
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		for j := range FeedbackColumns {
			if j > 0 {
				b.WriteString(", ")
			}
			k++
			b.WriteString(ph(k))
		}
		b.WriteByte(')')
	}
	b.WriteString(" ON CONFLICT (request_id, kind) DO UPDATE SET tenant = excluded.tenant, time_ns = excluded.time_ns, " +
		"value = excluded.value, tags = excluded.tags, cost_usd = excluded.cost_usd, evidence = excluded.evidence " +
		"WHERE feedback.kind = 'explicit'")
	return b.String()
}

// ScanFeedback reads one row of a ListFeedback query.
func ScanFeedback(scan func(dest ...any) error) (*store.Feedback, error) {
	var (
		f        store.Feedback
		kind     string
		ns       int64
		tags, ev string
	)
	if err := scan(&f.RequestID, &kind, &f.Tenant, &ns, &f.Value, &tags, &f.CostUSD, &ev); err != nil {
		return nil, fmt.Errorf("store: scan feedback: %w", err)
	}
	f.Kind, f.Time = store.FeedbackKind(kind), time.Unix(0, ns).UTC()
	if err := json.Unmarshal([]byte(tags), &f.Tags); err != nil {
		return nil, fmt.Errorf("store: decode feedback tags of %s: %w", f.RequestID, err)
	}
	if len(f.Tags) == 0 {
		f.Tags = nil
	}
	if err := json.Unmarshal([]byte(ev), &f.Evidence); err != nil {
		return nil, fmt.Errorf("store: decode feedback evidence of %s: %w", f.RequestID, err)
	}
	return &f, nil
}

// feedbackCursorID joins a row's request id and kind into a cursor's id.
func feedbackCursorID(id string, kind store.FeedbackKind) string { return id + "\x00" + string(kind) }

// ListFeedback returns the query of a page of f (one row more than its
// limit, see PaginateFeedback) and the limit.
func ListFeedback(s store.Scope, f store.FeedbackFilter, ph Placeholder) (string, []any, int, error) {
	if err := f.Check(); err != nil {
		return "", nil, 0, err
	}
	limit, err := (&store.Filter{Limit: f.Limit}).PageLimit()
	if err != nil {
		return "", nil, 0, err
	}
	q := &query{ph: ph}
	q.scope(s)
	q.between(f.Since, f.Until)
	if f.RequestID != "" {
		q.where("request_id = %s", f.RequestID)
	}
	if f.Kind != "" {
		q.where("kind = %s", string(f.Kind))
	}
	if f.Cursor != "" {
		c, err := store.DecodeCursor(f.Cursor)
		if err != nil {
			return "", nil, 0, err
		}
		id, kind, ok := strings.Cut(c.ID, "\x00")
		if !ok {
			return "", nil, 0, store.ErrBadCursor
		}
		ns := c.Time.UnixNano()
		q.where("(time_ns < %s OR (time_ns = %s AND (request_id < %s OR (request_id = %s AND kind < %s))))",
			ns, ns, id, id, kind)
	}
	sql := fmt.Sprintf("SELECT %s FROM feedback%s ORDER BY time_ns DESC, request_id DESC, kind DESC LIMIT %d",
		feedbackColumnList, q.clause(), limit+1)
	return sql, q.args, limit, nil
}

// FeedbackPage scans every row of a ListFeedback query and cuts the page
// at limit. The caller closes rows.
func FeedbackPage(rows Rows, limit int) (store.FeedbackPage, error) {
	var out []*store.Feedback
	for rows.Next() {
		f, err := ScanFeedback(rows.Scan)
		if err != nil {
			return store.FeedbackPage{}, err
		}
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return store.FeedbackPage{}, err
	}
	if len(out) <= limit {
		return store.FeedbackPage{Feedback: out}, nil
	}
	last := out[limit-1]
	next := store.Cursor{Time: last.Time, ID: feedbackCursorID(last.RequestID, last.Kind)}.Encode()
	return store.FeedbackPage{Feedback: out[:limit], Next: next}, nil
}

// kindBits is the SQL expression of a feedback row's kind bit.
func kindBits() string {
	var b strings.Builder
	b.WriteString("CASE kind")
	for _, k := range store.FeedbackKinds {
		fmt.Fprintf(&b, " WHEN '%s' THEN %d", k, k.Bit()) // constants: no user text
	}
	b.WriteString(" ELSE 0 END")
	return b.String()
}

// Outcomes returns the query of Store.Outcomes: each chat request of the
// range with its feedback summed in SQL (one row per request); scan its
// rows with ScanOutcome. Feedback given before Since is not read: it
// cannot be about a request of the range.
func Outcomes(s store.Scope, oq store.OutcomeQuery, ph Placeholder) (string, []any) {
	fq := &query{ph: ph}
	fq.scope(s)
	if !oq.Since.IsZero() {
		fq.where("time_ns >= %s", oq.Since.UnixNano())
	}
	sub := "SELECT request_id, " +
		"COUNT(CASE WHEN kind = 'explicit' THEN 1 END) AS explicit_n, " +
		"MAX(CASE WHEN kind = 'explicit' THEN value END) AS explicit_value, " +
		"SUM(CASE WHEN kind = 'explicit' THEN cost_usd END) AS correction_usd, " +
		"COUNT(CASE WHEN kind <> 'explicit' THEN 1 END) AS implicit_n, " +
		"SUM(CASE WHEN kind <> 'explicit' THEN value END) AS implicit_sum, " +
		"SUM(CASE WHEN kind <> 'explicit' THEN cost_usd END) AS reprompt_usd, " +
		"SUM(" + kindBits() + ") AS kinds " +
		"FROM feedback" + fq.clause() + " GROUP BY request_id"
	rq := &query{ph: ph, args: fq.args}
	rq.where("r.endpoint = %s", "chat")
	if !s.All {
		rq.where("r.tenant = %s", s.Tenant)
	}
	if !oq.Since.IsZero() {
		rq.where("r.time_ns >= %s", oq.Since.UnixNano())
	}
	if !oq.Until.IsZero() {
		rq.where("r.time_ns < %s", oq.Until.UnixNano())
	}
	sql := "SELECT r.id, r.time_ns, r.route, r.category, r.deployment, r.pinned, r.cost_usd, r.cost_unknown, r.cost_estimated, " +
		"r.prompt_tokens, r.cached_read_tokens, r.cache_write_tokens, r.cache_write_1h_tokens, r.completion_tokens, r.reasoning_tokens, " +
		"COALESCE(f.kinds, 0), COALESCE(f.explicit_value, 0), COALESCE(f.correction_usd, 0), " +
		"COALESCE(f.implicit_sum, 0), COALESCE(f.implicit_n, 0), COALESCE(f.reprompt_usd, 0), " +
		// The attempts only of requests with a refused one, the few to
		// parse (the text cast reads JSONB and TEXT alike).
		"r.failed, CASE WHEN CAST(r.attempts AS TEXT) LIKE '%\"" + store.OutcomeRefused + "\"%' THEN CAST(r.attempts AS TEXT) ELSE '' END " +
		"FROM requests r LEFT JOIN (" + sub + ") f ON f.request_id = r.id" + rq.clause() +
		// A fixed order (the requests_time index's): the report sums costs
		// in floating point, and another order could round a figure apart.
		" ORDER BY r.time_ns DESC, r.id DESC"
	return sql, rq.args
}

// ScanOutcome reads one row of an Outcomes query into o.
func ScanOutcome(scan func(dest ...any) error, o *store.Outcome) error {
	var ns, implicitN int64
	var failed bool
	var attempts string
	t := &o.Tokens
	if err := scan(&o.RequestID, &ns, &o.Route, &o.Category, &o.Deployment, &o.Pinned, &o.CostUSD, &o.CostUnknown, &o.CostEstimated,
		&t.Prompt, &t.CachedRead, &t.CacheWrite, &t.CacheWrite1h, &t.Completion, &t.Reasoning,
		&o.Kinds, &o.Explicit, &o.CorrectionUSD, &o.Implicit, &implicitN, &o.RepromptUSD,
		&failed, &attempts); err != nil {
		return fmt.Errorf("store: scan outcome: %w", err)
	}
	o.Time, o.ImplicitN = time.Unix(0, ns).UTC(), int(implicitN)
	o.Refused = nil // fn may keep a copy of o: no shared array
	if attempts == "" {
		return nil
	}
	var list []store.Attempt
	if err := json.Unmarshal([]byte(attempts), &list); err != nil {
		return fmt.Errorf("store: scan outcome %s: attempts: %w", o.RequestID, err)
	}
	answered := !failed && o.Deployment != ""
	for i := range list {
		a := &list[i]
		if a.Outcome == store.OutcomeRefused && !(answered && a.Deployment == o.Deployment) {
			o.Refused = append(o.Refused, store.RefusedCall{Deployment: a.Deployment, CostUSD: a.CostUSD})
		}
	}
	return nil
}

// DeleteFeedbackBefore returns the statement deleting feedback older
// than t.
func DeleteFeedbackBefore(t time.Time, ph Placeholder) (string, []any) {
	return "DELETE FROM feedback WHERE time_ns < " + ph(1), []any{t.UnixNano()}
}
