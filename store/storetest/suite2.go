package storetest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"switchyard/store"
)

// testPagination pages through rows, several sharing a timestamp, while
// newer rows arrive between pages: every row comes exactly once, in order.
func testPagination(t *testing.T, s store.Store) {
	var rows []*store.Request
	for i := range 23 {
		r := Sample(i)
		r.Time = Base.Add(time.Duration(i/3) * time.Second) // three rows per instant
		rows = append(rows, r)
	}
	write(t, s, rows...)
	want := ids(rows)
	slices.Reverse(want) // newest first, ties by id descending
	var got []string
	f := store.Filter{Limit: 4}
	for page := 0; ; page++ {
		if page > 10 {
			t.Fatal("pagination does not end")
		}
		p := list(t, s, store.TenantScope("acme"), f)
		got = append(got, ids(p.Requests)...)
		newer := Sample(1000 + page)
		newer.Time = Base.Add(time.Hour)
		write(t, s, newer)
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages = %v\nwant %v", got, want)
	}
}

func testBadQueries(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, f := range []store.Filter{{Cursor: "!!"}, {Cursor: "AAAA"}} {
		if _, err := s.List(ctx, store.AllTenants(), f); !errors.Is(err, store.ErrBadCursor) {
			t.Errorf("List(cursor %q) error = %v, want ErrBadCursor", f.Cursor, err)
		}
	}
	for _, f := range []store.Filter{{Limit: -1}, {Status: -7}} {
		if _, err := s.List(ctx, store.AllTenants(), f); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("List(%+v) error = %v, want ErrBadQuery", f, err)
		}
	}
	for _, q := range []store.StatsQuery{
		{By: []store.Dimension{"tenant; DROP TABLE requests"}},
		{By: []store.Dimension{store.ByRoute, store.ByRoute}},
		{Since: Base, Until: Base.Add(-time.Second)},
	} {
		if _, err := s.Stats(ctx, store.AllTenants(), q); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("Stats(%+v) error = %v, want ErrBadQuery", q, err)
		}
	}
}

// testTenantIsolation: a tenant never sees another's rows, through any read.
func testTenantIsolation(t *testing.T, s store.Store) {
	ctx := context.Background()
	a, b, none := Sample(1), Sample(2), Sample(3)
	b.Tenant, none.Tenant = "globex", ""
	write(t, s, a, b, none)
	scopes := map[string]store.Scope{"acme": store.TenantScope("acme"), "globex": store.TenantScope("globex"), "": {}}
	for tenant, scope := range scopes {
		for _, r := range []*store.Request{a, b, none} {
			_, err := s.Get(ctx, scope, r.ID)
			if mine := r.Tenant == tenant; mine != (err == nil) || !mine && !errors.Is(err, store.ErrNotFound) {
				t.Errorf("tenant %q Get(%s of %q) error = %v", tenant, r.ID, r.Tenant, err)
			}
		}
		p := list(t, s, scope, store.Filter{})
		if len(p.Requests) != 1 || p.Requests[0].Tenant != tenant {
			t.Errorf("tenant %q List = %v", tenant, ids(p.Requests))
		}
		st, err := s.Stats(ctx, scope, store.StatsQuery{By: []store.Dimension{store.ByRoute}})
		if err != nil || len(st) != 1 || st[0].Count != 1 {
			t.Errorf("tenant %q Stats = %+v, %v; want one row counted", tenant, st, err)
		}
	}
	if p := list(t, s, store.AllTenants(), store.Filter{}); len(p.Requests) != 3 {
		t.Errorf("AllTenants List = %v, want 3 rows", ids(p.Requests))
	}
}

// testStats checks every aggregate on a data set whose answers are known.
func testStats(t *testing.T, s store.Store) {
	var rows []*store.Request
	for i := 1; i <= 10; i++ { // route auto: latencies 10..100ms, TTFT on odd rows
		r := Sample(i)
		r.Latency, r.TTFT, r.CostUSD = time.Duration(i)*10*time.Millisecond, 0, 0.5
		if i%2 == 1 {
			r.TTFT = time.Duration(i) * time.Millisecond
		}
		r.Fallback = i <= 3
		r.Tokens = store.Tokens{Prompt: i, Completion: 2 * i, CachedRead: 1, CacheWrite: 1, CacheWrite1h: 1, Reasoning: 1}
		r.Signals = store.Signals{FormatChecked: i <= 4, FormatOK: i <= 3, Refusal: i == 1, Truncated: i <= 2,
			Empty: i == 10, ContentFilter: i == 9, InvalidToolCalls: i % 5}
		if i == 4 || i == 5 {
			r.Status = 500
		}
		rows = append(rows, r)
	}
	other := Sample(11)
	other.Route, other.Category, other.Latency, other.TTFT, other.Fallback = "auto-cheap", "code", time.Second, time.Second, false
	outside := Sample(12)
	outside.Time = Base.Add(-time.Hour) // before Since: not counted
	write(t, s, append(rows, other, outside)...)

	q := store.StatsQuery{Since: Base, Until: Base.Add(time.Minute), By: []store.Dimension{store.ByRoute, store.ByCategory}}
	st, err := s.Stats(context.Background(), store.TenantScope("acme"), q)
	if err != nil || len(st) != 2 {
		t.Fatalf("Stats = %+v, %v; want 2 groups", st, err)
	}
	g := st[0]
	ms := time.Millisecond
	checks := []struct {
		name      string
		got, want any
	}{
		{"group", fmt.Sprint(g.Group), fmt.Sprint(map[store.Dimension]string{"route": "auto", "category": "factual"})},
		{"count", g.Count, int64(10)}, {"errors", g.Errors, int64(2)}, {"fallbacks", g.Fallbacks, int64(3)},
		{"error rate", g.ErrorRate, 0.2}, {"fallback rate", g.FallbackRate, 0.3},
		{"latency", g.Latency, store.Percentiles{P50: 50 * ms, P90: 90 * ms, P99: 100 * ms}},
		{"ttft", g.TTFT, store.Percentiles{P50: 5 * ms, P90: 9 * ms, P99: 9 * ms}},
		{"tokens", g.Tokens, store.Tokens{Prompt: 55, Completion: 110, CachedRead: 10, CacheWrite: 10, CacheWrite1h: 10, Reasoning: 10}},
		{"cost", math.Round(g.CostUSD*1e9) / 1e9, 5.0},
		{"served cost", math.Round(g.ServedCostUSD*1e9) / 1e9, 0.011}, // Sample's 0.0011 each
		{"cost unknown", g.CostUnknown, int64(2)},                     // Sample(5) and Sample(10)
		{"refusal", g.RefusalRate, 0.1}, {"truncated", g.TruncatedRate, 0.2}, {"empty", g.EmptyRate, 0.1},
		{"content filter", g.ContentFilterRate, 0.1}, {"format failed", g.FormatFailedRate, 0.25},
		{"invalid tool calls", g.InvalidToolCallRate, 0.8},
		{"second group", fmt.Sprint(st[1].Group, st[1].Count, st[1].Latency.P99), "map[category:code route:auto-cheap] 1 1s"},
	}
	for _, c := range checks {
		if fmt.Sprint(c.got) != fmt.Sprint(c.want) {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	all, err := s.Stats(context.Background(), store.TenantScope("acme"), store.StatsQuery{})
	if err != nil || len(all) != 1 || all[0].Count != 12 || len(all[0].Group) != 0 {
		t.Errorf("ungrouped Stats = %+v, %v; want one group of 12", all, err)
	}
	for _, by := range [][]store.Dimension{nil, {store.ByDeployment}} {
		none, err := s.Stats(context.Background(), store.TenantScope("acme"), store.StatsQuery{Since: Base.Add(time.Hour), By: by})
		if err != nil || len(none) != 0 {
			t.Errorf("Stats of an empty range by %v = %+v, %v; want no groups", by, none, err)
		}
	}
}

func testRetention(t *testing.T, s store.Store) {
	var rows []*store.Request
	for i := range 5 {
		r := Sample(i)
		r.Time = Base.Add(time.Duration(i) * time.Hour)
		r.Tenant = []string{"acme", "globex"}[i%2]
		rows = append(rows, r)
	}
	write(t, s, rows...)
	n, err := s.DeleteBefore(context.Background(), Base.Add(2*time.Hour))
	if err != nil || n != 2 {
		t.Fatalf("DeleteBefore = %d, %v; want 2 deleted", n, err)
	}
	got := ids(list(t, s, store.AllTenants(), store.Filter{}).Requests)
	if want := []string{"req_00000004", "req_00000003", "req_00000002"}; !slices.Equal(got, want) {
		t.Errorf("after DeleteBefore: %v, want %v", got, want)
	}
}

// testStatsByTime checks grouping by time buckets: each row in the bucket
// its time falls in (bounds included at the start), the buckets named by
// their start in RFC 3339, in time order, with the other dimensions.
func testStatsByTime(t *testing.T, s store.Store) {
	var rows []*store.Request
	for i, at := range []time.Duration{0, 59 * time.Minute, time.Hour, 2*time.Hour + time.Second, 2*time.Hour + 30*time.Minute, 11 * time.Hour} {
		r := Sample(i + 1)
		r.Time, r.CostUSD = Base.Add(at), float64(i+1)
		r.Deployment = []string{"a", "b"}[i%2]
		rows = append(rows, r)
	}
	write(t, s, rows...)
	q := store.StatsQuery{Since: Base, Until: Base.Add(3 * time.Hour), By: []store.Dimension{store.ByTime}, Interval: time.Hour}
	st, err := s.Stats(context.Background(), store.TenantScope("acme"), q)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range st {
		got = append(got, fmt.Sprintf("%s %d %.0f", g.Group[store.ByTime], g.Count, g.CostUSD))
	}
	want := []string{"2026-03-01T12:00:00Z 2 3", "2026-03-01T13:00:00Z 1 3", "2026-03-01T14:00:00Z 2 9"}
	if !slices.Equal(got, want) {
		t.Errorf("by time: %q, want %q", got, want)
	}
	q.By = []store.Dimension{store.ByDeployment, store.ByTime}
	q.Interval = 2 * time.Hour
	st, err = s.Stats(context.Background(), store.TenantScope("acme"), q)
	if err != nil {
		t.Fatal(err)
	}
	got = got[:0]
	for _, g := range st {
		got = append(got, fmt.Sprintf("%s %s %d", g.Group[store.ByDeployment], g.Group[store.ByTime], g.Count))
	}
	want = []string{"a 2026-03-01T12:00:00Z 2", "a 2026-03-01T14:00:00Z 1", "b 2026-03-01T12:00:00Z 1", "b 2026-03-01T14:00:00Z 1"}
	if !slices.Equal(got, want) {
		t.Errorf("by deployment and time: %q, want %q", got, want)
	}
	for _, bad := range []store.StatsQuery{
		{Since: Base, By: []store.Dimension{store.ByTime}},
		{Since: Base, By: []store.Dimension{store.ByTime}, Interval: time.Second},
		{Since: Base, Interval: time.Hour},
		{By: []store.Dimension{store.ByTime}, Interval: time.Hour},
		{Since: Base, Until: Base.Add(2000 * time.Minute), By: []store.Dimension{store.ByTime}, Interval: time.Minute},
	} {
		if _, err := s.Stats(context.Background(), store.TenantScope("acme"), bad); !errors.Is(err, store.ErrBadQuery) {
			t.Errorf("Stats(%+v) = %v, want ErrBadQuery", bad, err)
		}
	}
}
