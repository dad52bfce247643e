package sqlstore

import (
	"context"
	"encoding/json"

	"time"

	"switchyard/store"
)

// This file holds the statements of the provider batches a batch's lines
// were sent to (store.BatchForward): one row each, its lines a JSON
// array. Nothing in them is the user's (ids and indexes): they are not
// sealed.

// SaveBatchForward implements store.BatchLog.
func (b *Backend) SaveBatchForward(ctx context.Context, tenant, id string, f store.BatchForward) error {
	lines, err := json.Marshal(f.Lines)
	if err != nil {
		return b.errorf("save batch forward", err)
	}
	q := "INSERT INTO batch_forwards (batch, id, deployment, created_ns, lines, forward_key) VALUES (" + placeholders(b.d.Placeholder, 1, 6) +
		") ON CONFLICT (batch, id) DO NOTHING"
	if _, err := b.one.Exec(ctx, q, b.storable([]any{id, f.ID, f.Deployment, f.Created.UnixNano(), lines, f.Key})...); err != nil {
		return b.errorf("save batch forward", err)
	}
	return nil
}

// SetBatchForwardID implements store.BatchLog.
func (b *Backend) SetBatchForwardID(ctx context.Context, tenant, id, key, providerID string) error {
	ph := b.d.Placeholder
	q := "UPDATE batch_forwards SET id = " + ph(1) + " WHERE batch = " + ph(2) + " AND id = " + ph(3) + " AND forward_key = " + ph(4)
	n, err := b.one.Exec(ctx, q, b.storable([]any{providerID, id, key, key})...)
	switch {
	case err != nil:
		return b.errorf("set batch forward id", err)
	case n == 0:
		return store.ErrBatchNotFound
	}
	return nil
}

// DeleteBatchForward implements store.BatchLog.
func (b *Backend) DeleteBatchForward(ctx context.Context, tenant, id, key string) error {
	ph := b.d.Placeholder
	q := "DELETE FROM batch_forwards WHERE batch = " + ph(1) + " AND id = " + ph(2) + " AND forward_key = " + ph(3)
	n, err := b.one.Exec(ctx, q, b.storable([]any{id, key, key})...)
	switch {
	case err != nil:
		return b.errorf("delete batch forward", err)
	case n == 0:
		return store.ErrBatchNotFound
	}
	return nil
}

// BatchForwards implements store.BatchLog.
func (b *Backend) BatchForwards(ctx context.Context, tenant, id string) ([]store.BatchForward, error) {
	var out []store.BatchForward
	q := "SELECT id, deployment, created_ns, lines, forward_key FROM batch_forwards WHERE batch = " + b.d.Placeholder(1) + " ORDER BY created_ns, id"
	err := b.each(ctx, "batch forwards", q, []any{id}, func(r Rows) error {
		var (
			f       store.BatchForward
			created int64
			lines   []byte
		)
		if err := r.Scan(&f.ID, &f.Deployment, &created, &lines, &f.Key); err != nil {
			return b.errorf("batch forwards", err)
		}
		if err := json.Unmarshal(lines, &f.Lines); err != nil {
			return b.unreadable("batch "+id+" forward "+f.ID, err)
		}
		f.Created = time.Unix(0, created).UTC()
		out = append(out, f)
		return nil
	})
	return out, err
}
