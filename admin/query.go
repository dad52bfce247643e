package admin

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// This file parses the query strings of the request log endpoints. A bad
// parameter is a 400 in OpenAI's error shape whose param names it; an
// unknown or repeated parameter is one too, so a typo never widens a
// listing silently. An empty value counts as not given.

// RequestQuery is a parsed GET /admin/requests query.
type RequestQuery struct {
	Filter store.Filter
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
}

// StatsRequest is a parsed GET /admin/stats query.
type StatsRequest struct {
	Query store.StatsQuery
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
}

func (q RequestQuery) tenant() *string { return q.Tenant }
func (q StatsRequest) tenant() *string { return q.Tenant }

var (
	requestParams = []string{"since", "until", "tenant", "route", "category", "deployment", "batch", "status", "stream", "limit", "cursor"}
	statsParams   = []string{"since", "until", "tenant", "by", "interval"}
)

// ParseRequestQuery parses the parameters of GET /admin/requests; times
// relative to now ("1h": an hour before now) are resolved against now.
// Its errors are *llm.Error (invalid_request, Param set).
func ParseRequestQuery(v url.Values, now time.Time) (RequestQuery, error) {
	var q RequestQuery
	p := params{v: v, now: now}
	p.only(requestParams)
	f := &q.Filter
	f.Since, f.Until = p.time("since"), p.time("until")
	p.order(f.Since, f.Until)
	q.Tenant = p.optional("tenant")
	f.Route, f.Category, f.Deployment = p.str("route"), p.str("category"), p.str("deployment")
	f.Batch = p.str("batch")
	f.Status = p.status("status")
	f.Stream = p.boolean("stream")
	f.Limit = p.limit("limit")
	f.Cursor = p.cursor("cursor")
	return q, p.err
}

// ParseGetQuery parses the parameters of GET /admin/requests/{id}: only
// tenant, which narrows the scope as on a listing.
func ParseGetQuery(v url.Values) (tenant *string, err error) {
	p := params{v: v}
	p.only([]string{"tenant"})
	return p.optional("tenant"), p.err
}

// ParseStatsQuery parses the parameters of GET /admin/stats, as
// ParseRequestQuery does; by is a comma-separated list of route,
// category and deployment.
func ParseStatsQuery(v url.Values, now time.Time) (StatsRequest, error) {
	var q StatsRequest
	p := params{v: v, now: now}
	p.only(statsParams)
	q.Query.Since, q.Query.Until = p.time("since"), p.time("until")
	p.order(q.Query.Since, q.Query.Until)
	q.Tenant = p.optional("tenant")
	q.Query.By = p.dimensions("by")
	q.Query.Interval = p.interval("interval")
	if p.err == nil {
		if err := q.Query.Check(); err != nil {
			p.fail("interval", "%s", strings.TrimPrefix(err.Error(), store.ErrBadQuery.Error()+": "))
		}
	}
	return q, p.err
}

// interval parses the width of stats' time buckets: a duration (15m, 1h)
// or days (1d); zero when not given.
func (p *params) interval(name string) time.Duration {
	s := p.str(name)
	if s == "" {
		return 0
	}
	if m := relativeDays.FindStringSubmatch(s); m != nil {
		days, _ := strconv.Atoi(m[1])
		return time.Duration(days) * 24 * time.Hour
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		p.fail(name, "%q is not a duration: use 1m, 15m, 1h or 1d", llm.Clip(s))
		return 0
	}
	return d
}

// params reads one query string, keeping the first error.
type params struct {
	v   url.Values
	now time.Time
	err error
}

func (p *params) fail(name, format string, args ...any) {
	if p.err != nil {
		return
	}
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid query parameter %s: %s", name, fmt.Sprintf(format, args...))
	e.Param = name
	p.err = e
}

// only fails on a parameter not in names, or given twice.
func (p *params) only(names []string) {
	keys := make([]string, 0, len(p.v))
	for k := range p.v {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		switch {
		case !slices.Contains(names, k):
			p.fail(k, "unknown parameter (known: %s)", strings.Join(names, ", "))
		case len(p.v[k]) > 1:
			p.fail(k, "given %d times; give it once", len(p.v[k]))
		}
	}
}

func (p *params) str(name string) string { return strings.TrimSpace(p.v.Get(name)) }

func (p *params) optional(name string) *string {
	if s := p.str(name); s != "" {
		return &s
	}
	return nil
}

// relativeDays matches a relative time in days, such as "7d".
var relativeDays = regexp.MustCompile(`^([0-9]{1,5})d$`)

// time parses an RFC 3339 time, a date (midnight UTC), Unix seconds, or
// a duration before now ("90m", "24h", "7d").
func (p *params) time(name string) time.Time {
	s := p.str(name)
	if s == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t.UTC()
	}
	if t, err := time.Parse(time.DateOnly, s); err == nil {
		return t // midnight UTC
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil && n >= 0 && n < 1<<40 {
		return time.Unix(n, 0).UTC()
	}
	if m := relativeDays.FindStringSubmatch(s); m != nil {
		days, _ := strconv.Atoi(m[1])
		return p.now.Add(-time.Duration(days) * 24 * time.Hour).UTC()
	}
	if d, err := time.ParseDuration(s); err == nil && d >= 0 {
		return p.now.Add(-d).UTC()
	}
	p.fail(name, "%q is not a time: use RFC 3339 (2026-03-01T12:00:00Z), a date (2026-03-01), Unix seconds, or a duration before now (90m, 24h, 7d)", llm.Clip(s))
	return time.Time{}
}

// order fails when until is not after since.
func (p *params) order(since, until time.Time) {
	if !since.IsZero() && !until.IsZero() && !until.After(since) {
		p.fail("until", "%s is not after since (%s)", until.Format(time.RFC3339Nano), since.Format(time.RFC3339Nano))
	}
}

// status parses an HTTP status, "ok" or "error".
func (p *params) status(name string) int {
	switch s := p.str(name); s {
	case "":
		return 0
	case "ok":
		return store.StatusOK
	case "error":
		return store.StatusError
	default:
		n, err := strconv.Atoi(s)
		if err != nil || n < 100 || n > 599 {
			p.fail(name, "%q is neither an HTTP status (100-599) nor ok or error", llm.Clip(s))
		}
		return n
	}
}

func (p *params) boolean(name string) *bool {
	s := p.str(name)
	if s == "" {
		return nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		p.fail(name, "%q is not true or false", llm.Clip(s))
		return nil
	}
	return &b
}

// limit parses a positive page size; above store.MaxLimit it is lowered.
func (p *params) limit(name string) int {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		p.fail(name, "%q is not a positive number (at most %d rows are returned)", llm.Clip(s), store.MaxLimit)
		return 0
	}
	return min(n, store.MaxLimit)
}

func (p *params) cursor(name string) string {
	s := p.str(name)
	if s == "" {
		return ""
	}
	if _, err := store.DecodeCursor(s); err != nil {
		p.fail(name, "not a cursor this API returned; pass the next value of a previous page unchanged")
		return ""
	}
	return s
}

// dimensions parses a comma-separated list of stats dimensions.
func (p *params) dimensions(name string) []store.Dimension {
	s := p.str(name)
	if s == "" {
		return nil
	}
	var by []store.Dimension
	for _, part := range strings.Split(s, ",") {
		by = append(by, store.Dimension(strings.TrimSpace(part)))
	}
	seen := map[store.Dimension]bool{}
	for _, d := range by {
		if d != store.ByRoute && d != store.ByCategory && d != store.ByDeployment && d != store.ByTime || seen[d] {
			p.fail(name, "%q: group by route, category, deployment and/or time (with interval), each at most once, separated by commas", llm.Clip(s))
			return nil
		}
		seen[d] = true
	}
	return by
}

// upTo parses a whole number from 1 to most; zero when not given.
func (p *params) upTo(name string, most int) int {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > most {
		p.fail(name, "%q is not a whole number from 1 to %d", llm.Clip(s), most)
		return 0
	}
	return n
}
