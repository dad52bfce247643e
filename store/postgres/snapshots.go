package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// SaveSnapshot implements store.Snapshots.
func (db *DB) SaveSnapshot(ctx context.Context, name string, at time.Time, data []byte) error {
	if _, err := db.pool.Exec(ctx, sqlstore.SaveSnapshot(placeholder), name, at.UnixNano(), data); err != nil {
		return fmt.Errorf("postgres: save snapshot %q: %w", name, err)
	}
	return nil
}

// LoadSnapshot implements store.Snapshots.
func (db *DB) LoadSnapshot(ctx context.Context, name string) ([]byte, time.Time, error) {
	var ns int64
	var data []byte
	err := db.pool.QueryRow(ctx, sqlstore.LoadSnapshot(placeholder), name).Scan(&ns, &data)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, time.Time{}, store.ErrNotFound
	case err != nil:
		return nil, time.Time{}, fmt.Errorf("postgres: load snapshot %q: %w", name, err)
	}
	return data, time.Unix(0, ns).UTC(), nil
}
