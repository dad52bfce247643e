package sqlstore

import (
	"context"

	"switchyard/store"
)

// This file holds the statements of the lines a provider batch left to
// the router (store.BatchRetry): one row each, with the provider batch's
// failed call of it (deployment, usage, error kind and code: nothing of
// the user's), not sealed.

// SaveBatchRetries implements store.BatchLog.
func (b *Backend) SaveBatchRetries(ctx context.Context, tenant, id string, rs []store.BatchRetry) error {
	if len(rs) == 0 {
		return nil
	}
	q := "INSERT INTO batch_retries (batch, line, earlier) VALUES (" + placeholders(b.d.Placeholder, 1, 3) + ") ON CONFLICT (batch, line) DO NOTHING"
	return b.tx(ctx, "save batch retries", func(c Conn) error {
		for _, r := range rs {
			if _, err := c.Exec(ctx, q, b.storable([]any{id, int64(r.Index), r.Earlier})...); err != nil {
				return b.errorf("save batch retries", err)
			}
		}
		return nil
	})
}

// BatchRetries implements store.BatchLog.
func (b *Backend) BatchRetries(ctx context.Context, tenant, id string) ([]store.BatchRetry, error) {
	var out []store.BatchRetry
	q := "SELECT line, earlier FROM batch_retries WHERE batch = " + b.d.Placeholder(1) + " ORDER BY line"
	err := b.each(ctx, "batch retries", q, []any{id}, func(r Rows) error {
		var (
			line    int64
			earlier []byte
		)
		if err := r.Scan(&line, &earlier); err != nil {
			return b.errorf("batch retries", err)
		}
		out = append(out, store.BatchRetry{Index: int(line), Earlier: earlier})
		return nil
	})
	return out, err
}
