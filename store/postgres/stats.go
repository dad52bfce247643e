package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// Stats implements store.Store. PostgreSQL aggregates in SQL, so only one
// row per group crosses the network; percentile_disc is the same
// nearest-rank percentile store.Aggregator computes for SQLite.
func (db *DB) Stats(ctx context.Context, scope store.Scope, sq store.StatsQuery) ([]store.Stats, error) {
	if err := sq.Check(); err != nil {
		return nil, err
	}
	where, args := sqlstore.Range(scope, sq.Since, sq.Until, placeholder)
	dims := make([]string, len(sq.By))
	for i, d := range sq.By {
		// checked: a known column, or the time bucket as text (19 digits
		// from 2001 to 2286, so text order is time order); byte order,
		// as the Aggregator sorts
		dims[i] = d.Column(sq.Interval) + `::text COLLATE "C"`
	}
	cols := []string{"count(*)", "count(*) FILTER (WHERE failed)", "count(*) FILTER (WHERE fallback)",
		"percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY latency_ns)",
		"percentile_disc(ARRAY[0.5, 0.9, 0.99]) WITHIN GROUP (ORDER BY ttft_ns) FILTER (WHERE ttft_ns > 0)",
		"sum(prompt_tokens)", "sum(cached_read_tokens)", "sum(cache_write_tokens)", "sum(completion_tokens)",
		"sum(reasoning_tokens)", "sum(cost_usd)", "sum(served_cost_usd)", "count(*) FILTER (WHERE cost_unknown)",
		"sum(cache_write_1h_tokens)"}
	for _, f := range store.AllFlags {
		cols = append(cols, fmt.Sprintf("count(*) FILTER (WHERE signal_flags & %d <> 0)", f))
	}
	q := "SELECT " + strings.Join(append(cols, dims...), ", ") + " FROM requests" + where
	if len(dims) > 0 {
		q += " GROUP BY " + strings.Join(dims, ", ") + " ORDER BY " + strings.Join(dims, ", ")
	} else {
		q += " HAVING count(*) > 0"
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: stats: %w", err)
	}
	defer rows.Close()
	var out []store.Stats
	for rows.Next() {
		s, err := scanStats(rows.Scan, sq.By)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: stats: %w", err)
	}
	store.FormatTime(out)
	return out, nil
}

func scanStats(scan func(...any) error, by []store.Dimension) (store.Stats, error) {
	var (
		s         store.Stats
		lat, ttft []int64
		flags     = make([]int64, len(store.AllFlags))
		group     = make([]string, len(by))
		t         = &s.Tokens
	)
	dest := []any{&s.Count, &s.Errors, &s.Fallbacks, &lat, &ttft,
		&t.Prompt, &t.CachedRead, &t.CacheWrite, &t.Completion, &t.Reasoning, &s.CostUSD, &s.ServedCostUSD, &s.CostUnknown,
		&t.CacheWrite1h}
	for i := range flags {
		dest = append(dest, &flags[i])
	}
	for i := range group {
		dest = append(dest, &group[i])
	}
	if err := scan(dest...); err != nil {
		return s, fmt.Errorf("postgres: scan stats: %w", err)
	}
	s.Group = make(map[store.Dimension]string, len(by))
	for i, d := range by {
		s.Group[d] = group[i]
	}
	s.Latency, s.TTFT = percentiles(lat), percentiles(ttft)
	s.FillRates(func(f store.SignalFlags) int64 {
		for i, g := range store.AllFlags {
			if g == f {
				return flags[i]
			}
		}
		return 0
	})
	return s, nil
}

func percentiles(ns []int64) store.Percentiles {
	if len(ns) != 3 {
		return store.Percentiles{}
	}
	return store.Percentiles{P50: time.Duration(ns[0]), P90: time.Duration(ns[1]), P99: time.Duration(ns[2])}
}
