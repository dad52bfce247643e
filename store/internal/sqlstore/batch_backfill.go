package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"slices"

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
// do not open are left.
func (b *Backend) backfillSealedLines(ctx context.Context, k *seal.Keys) error {
	modes := map[string]func(line int) string{}
	for after := ""; ; {
		values, last, err := b.batchLineValues(ctx, after)
		if err != nil {
			return err
		}
		for _, v := range values {
			if err := b.backfillLine(ctx, k, v, modes); err != nil {
				return err
			}
		}
		if last == "" {
			return nil
		}
		after = last
	}
}

// backfillLine fills in the batch of the row the sealed result v (its
// keys the batch and the line) names; modes caches each batch's modes.
func (b *Backend) backfillLine(ctx context.Context, k *seal.Keys, v resealValue, modes map[string]func(int) string) error {
	if !seal.Sealed(v.old) {
		return nil // clear: migration 26's
	}
	plain, err := k.Open(v.old, v.place)
	var lr lineRequest
	if err != nil || json.Unmarshal(plain, &lr) != nil || lr.Response == nil || lr.Response.RequestID == "" {
		return nil
	}
	batch, line := v.keys[0].(string), int(v.keys[1].(int64))
	mode, seen := modes[batch]
	if !seen {
		if mode, err = b.lineModes(ctx, batch); err != nil {
			return err
		}
		modes[batch] = mode
	}
	if mode == nil {
		return nil // the batch was erased meanwhile
	}
	ph := b.d.Placeholder
	q := "UPDATE requests SET batch_id = " + ph(1) + ", batch = " + ph(2) + " WHERE id = " + ph(3) + " AND batch_id = ''"
	if _, err := b.one.Exec(ctx, q, b.storable([]any{batch, mode(line), lr.Response.RequestID})...); err != nil {
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
