package sqlstore

import (
	"context"
	"strings"

	"switchyard/store"
)

// This file sums the request log's rows of batch lines (their batch_id
// column) per batch, deployment, endpoint and mode: what the admin API
// shows of each batch's deployments and the report of batch traffic.

// maxBatchIDs bounds the ids of one BatchUses query (its placeholders).
const maxBatchIDs = 500

// BatchUses implements store.BatchLog.
func (b *Backend) BatchUses(ctx context.Context, scope store.Scope, q store.BatchUseQuery) ([]store.BatchUse, error) {
	if q.Batches == nil {
		return b.batchUses(ctx, scope, q)
	}
	var out []store.BatchUse
	for ids := q.Batches; len(ids) > 0; {
		n := min(len(ids), maxBatchIDs)
		part := q
		part.Batches, ids = ids[:n], ids[n:]
		us, err := b.batchUses(ctx, scope, part)
		if err != nil {
			return nil, err
		}
		out = append(out, us...)
	}
	return out, nil
}

// batchUses runs one query of BatchUses.
func (b *Backend) batchUses(ctx context.Context, scope store.Scope, bq store.BatchUseQuery) ([]store.BatchUse, error) {
	q := &query{ph: b.d.Placeholder}
	q.where("batch_id <> %s", "")
	q.scope(scope)
	q.between(bq.Since, bq.Until)
	if bq.Batches != nil {
		phs := make([]string, len(bq.Batches))
		for i, id := range bq.Batches {
			q.args = append(q.args, id)
			phs[i] = q.ph(len(q.args))
		}
		q.conds = append(q.conds, "batch_id IN ("+strings.Join(phs, ", ")+")")
	}
	sql := "SELECT batch_id, deployment, endpoint, batch, COUNT(*), SUM(cost_usd), SUM(served_cost_usd), " +
		"MAX(CASE WHEN cost_unknown THEN 1 ELSE 0 END) FROM requests" + q.clause() +
		" GROUP BY batch_id, deployment, endpoint, batch ORDER BY batch_id, deployment, endpoint, batch"
	return collect(ctx, b, "batch uses", sql, q.args, func(scan func(dest ...any) error) (store.BatchUse, error) {
		var (
			u       store.BatchUse
			unknown int64
		)
		err := scan(&u.Batch, &u.Deployment, &u.Endpoint, &u.Mode, &u.Lines, &u.CostUSD, &u.ServedCostUSD, &unknown)
		u.CostUnknown = unknown != 0
		return u, err
	})
}
