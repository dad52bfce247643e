package learn

import (
	"context"
	"slices"
	"strings"

	"switchyard/llm"
	"switchyard/store"
)

// This file adds batch traffic to the report (docs/report.md#batches):
// per deployment, the batch lines the request log recorded in the
// report's range — forwarded to the provider's batch API at the batch
// price, or run on the router at the live price — and what they cost.
// Each line is one request log row, the row its cost was recorded on,
// so a chat line is also one request of the report's rows (a breakdown
// of them, never added to them) and a line of another endpoint
// (embeddings) is in no row: InRows tells them apart.

// BatchRow is one deployment's batch lines in the report's range.
type BatchRow struct {
	Deployment string
	// Batches is how many batches had lines on it.
	Batches int64
	// Lines are its batch lines: Forwarded to its provider's batch API,
	// OnRouter run by the router. InRows are those of them that are
	// chat requests, counted in the report's rows too.
	Lines, Forwarded, OnRouter, InRows int64
	// CostUSD is the lines' total cost (every billed attempt), as the
	// request log recorded it: forwarded lines at the batch price.
	// ForwardedCostUSD is the forwarded lines' part.
	CostUSD, ForwardedCostUSD float64
	// CostUnknown reports a line with an attempt of unknown price: the
	// costs are lower bounds.
	CostUnknown bool
}

// batchRows sums the batch lines of st in scope and q's range per
// deployment, ordered by cost (largest first), then name; nil when st
// keeps no batches.
func batchRows(ctx context.Context, st store.FeedbackLog, scope store.Scope, q ReportQuery) ([]BatchRow, error) {
	bl, ok := st.(store.BatchLog)
	if !ok {
		return nil, nil
	}
	uses, err := bl.BatchUses(ctx, scope, store.BatchUseQuery{Since: q.Since, Until: q.Until})
	if err != nil {
		return nil, err
	}
	by := map[string]*BatchRow{}
	batches := map[[2]string]bool{}
	for _, u := range uses {
		r := by[u.Deployment]
		if r == nil {
			r = &BatchRow{Deployment: u.Deployment}
			by[u.Deployment] = r
		}
		if k := [2]string{u.Deployment, u.Batch}; !batches[k] {
			batches[k] = true
			r.Batches++
		}
		r.Lines += u.Lines
		r.CostUSD += u.CostUSD
		r.CostUnknown = r.CostUnknown || u.CostUnknown
		if u.Mode == "provider" {
			r.Forwarded += u.Lines
			r.ForwardedCostUSD += u.CostUSD
		} else {
			r.OnRouter += u.Lines
		}
		if u.Endpoint == "chat" {
			r.InRows += u.Lines
		}
	}
	out := make([]BatchRow, 0, len(by))
	for _, r := range by {
		r.CostUSD, r.ForwardedCostUSD = llm.RoundUSD(r.CostUSD), llm.RoundUSD(r.ForwardedCostUSD)
		out = append(out, *r)
	}
	slices.SortFunc(out, func(a, b BatchRow) int {
		if a.CostUSD != b.CostUSD {
			if a.CostUSD > b.CostUSD {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Deployment, b.Deployment)
	})
	return out, nil
}
