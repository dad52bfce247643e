package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strconv"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file fills in the batch of the request log's rows of batch lines
// written before the log kept it (migration 25) whose results are sealed
// at rest: migration 26 fills in the others in SQL, which cannot open a
// sealed result. ResealContent (`switchyard responses reencrypt`) runs
// it, with the keys: each sealed result names the request that answered
// its line (response.request_id), whose row gets the line's batch and how
// it ran ('provider' when one of the batch's provider batches held it and
// did not leave it to the router, else 'router'), as migration 26 does.

// lineRequest is what a batch line's result says of its request.
type lineRequest struct {
	Response *struct {
		RequestID string `json:"request_id"`
	} `json:"response"`
}

// backfillSealedLines fills in the batch of the rows the sealed results
// of batch lines name, opened with k, that have none; the results that
// do not open are left. It reads only the batches that may have such a
// row (unfilledBatches), so that a run after the rows were filled in
// opens no result again.
func (b *Backend) backfillSealedLines(ctx context.Context, k *seal.Keys) error {
	for after := ""; ; {
		batches, err := b.unfilledBatches(ctx, after)
		if err != nil {
			return err
		}
		for _, bt := range batches {
			if err := b.backfillBatch(ctx, k, bt[0], bt[1]); err != nil {
				return err
			}
		}
		if len(batches) < resealBatch {
			return nil
		}
		after = batches[len(batches)-1][0]
	}
}

// unfilledBatches returns the batches after the id after, each with its
// tenant, in the order of their ids, up to resealBatch of them, that have
// more lines than request log rows naming them. Each line is answered by
// one request, whose row names its batch once written with it or filled
// in: a batch with as many rows as lines has no row left to fill in. (One
// whose rows retention erased, or with a line no request answered, is
// read again each run, and fills in nothing.)
func (b *Backend) unfilledBatches(ctx context.Context, after string) ([][2]string, error) {
	ph := b.d.Placeholder
	q := "SELECT b.id, b.tenant FROM batches b WHERE b.id > " + ph(1) +
		" AND (SELECT COUNT(*) FROM batch_lines l WHERE l.batch = b.id) >" +
		" (SELECT COUNT(*) FROM requests r WHERE r.batch_id = b.id AND r.batch_id <> '')" +
		" ORDER BY b.id LIMIT " + strconv.Itoa(resealBatch)
	var out [][2]string
	err := b.each(ctx, "fill in batch lines' requests", q, []any{after}, func(r Rows) error {
		var id, tenant string
		if err := r.Scan(&id, &tenant); err != nil {
			return b.errorf("fill in batch lines' requests", err)
		}
		out = append(out, [2]string{id, tenant})
		return nil
	})
	return out, err
}

// backfillBatch fills in the batch of the rows the sealed results of the
// lines of batch id, of tenant, name, a page of lines at a time.
func (b *Backend) backfillBatch(ctx context.Context, k *seal.Keys, id, tenant string) error {
	mode, err := b.lineModes(ctx, id)
	if err != nil || mode == nil {
		return err // nil: the batch was erased meanwhile
	}
	ph := b.d.Placeholder
	q := "SELECT line, data FROM batch_lines WHERE batch = " + ph(1) + " AND line > " + ph(2) + " ORDER BY line LIMIT " + strconv.Itoa(resealBatch)
	for after := int64(-1); ; {
		var fills [][2]any // line, the request its result names
		rows := 0
		err := b.each(ctx, "fill in batch lines' requests", q, []any{id, after}, func(r Rows) error {
			var line int64
			var data []byte
			if err := r.Scan(&line, &data); err != nil {
				return b.errorf("fill in batch lines' requests", err)
			}
			if req := sealedLineRequest(k, data, linePlace(tenant, id, int(line))); req != "" {
				fills = append(fills, [2]any{line, req})
			}
			after, rows = line, rows+1
			return nil
		})
		if err != nil {
			return err
		}
		for _, f := range fills {
			if err := b.fillBatchOf(ctx, f[1].(string), id, mode(int(f[0].(int64)))); err != nil {
				return err
			}
		}
		if rows < resealBatch {
			return nil
		}
	}
}

// sealedLineRequest returns the request a sealed line result data, at
// place, names, opened with k; "" for a clear result (migration 26's),
// one that does not open or names none.
func sealedLineRequest(k *seal.Keys, data, place []byte) string {
	if !seal.Sealed(data) {
		return ""
	}
	plain, err := k.Open(data, place)
	var lr lineRequest
	if err != nil || json.Unmarshal(plain, &lr) != nil || lr.Response == nil {
		return ""
	}
	return lr.Response.RequestID
}

// fillBatchOf gives the row of request id the batch and mode, when it has
// no batch.
func (b *Backend) fillBatchOf(ctx context.Context, id, batch, mode string) error {
	ph := b.d.Placeholder
	q := "UPDATE requests SET batch_id = " + ph(1) + ", batch = " + ph(2) + " WHERE id = " + ph(3) + " AND batch_id = ''"
	if _, err := b.one.Exec(ctx, q, b.storable([]any{batch, mode, id})...); err != nil {
		return b.errorf("fill in a batch line's request", err)
	}
	return nil
}

// lineModes returns how each line of the batch id ran: 'provider' when
// one of its provider batches held it and did not leave it to the
// router, else 'router'; nil when there is no such batch.
func (b *Backend) lineModes(ctx context.Context, id string) (func(int) string, error) {
	var tenant string
	switch err := b.read.QueryRow(ctx, "SELECT tenant FROM batches WHERE id = "+b.d.Placeholder(1), id)(&tenant); {
	case errors.Is(err, ErrNoRow):
		return nil, nil
	case err != nil:
		return nil, b.errorf("fill in a batch line's request", err)
	}
	fws, err := b.BatchForwards(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	rs, err := b.BatchRetries(ctx, tenant, id)
	if err != nil {
		return nil, err
	}
	return func(line int) string {
		retried := slices.ContainsFunc(rs, func(r store.BatchRetry) bool { return r.Index == line })
		held := slices.ContainsFunc(fws, func(f store.BatchForward) bool { return slices.Contains(f.Lines, line) })
		if held && !retried {
			return "provider"
		}
		return "router"
	}, nil
}
