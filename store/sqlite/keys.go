package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

var _ store.KeyStore = (*DB)(nil)

// keyTx is a transaction on the writer connection as a sqlstore.KeyTx.
type keyTx struct{ tx *sql.Tx }

func (t keyTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := t.tx.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (t keyTx) QueryRow(ctx context.Context, q string, args ...any) func(dest ...any) error {
	row := t.tx.QueryRowContext(ctx, q, args...)
	return func(dest ...any) error {
		if err := row.Scan(dest...); errors.Is(err, sql.ErrNoRows) {
			return sqlstore.ErrNoRow
		} else {
			return err
		}
	}
}

// inKeyTx runs fn in a write transaction.
func (db *DB) inKeyTx(ctx context.Context, op string, fn func(sqlstore.KeyTx) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(keyTx{tx}); err != nil {
		if errors.Is(err, store.ErrKeyNotFound) || errors.Is(err, store.ErrKeyExists) || errors.Is(err, store.ErrKeyInactive) {
			return err
		}
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: %s: %w", op, err)
	}
	return nil
}

// CreateKey implements store.KeyStore.
func (db *DB) CreateKey(ctx context.Context, k *store.KeyRecord) error {
	return db.inKeyTx(ctx, "create key", func(tx sqlstore.KeyTx) error { return sqlstore.CreateKey(ctx, tx, k, placeholder) })
}

// GetKey implements store.KeyStore.
func (db *DB) GetKey(ctx context.Context, scope store.Scope, id string) (*store.KeyRecord, error) {
	q, args := sqlstore.GetKey(scope, id, placeholder)
	k, err := sqlstore.ScanKey(db.r.QueryRowContext(ctx, q, args...).Scan)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("%w: %s", store.ErrKeyNotFound, id)
	case err != nil:
		return nil, fmt.Errorf("sqlite: get key: %w", err)
	}
	return k, nil
}

// ListKeys implements store.KeyStore.
func (db *DB) ListKeys(ctx context.Context, scope store.Scope) ([]*store.KeyRecord, error) {
	q, args := sqlstore.ListKeys(scope, placeholder)
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list keys: %w", err)
	}
	defer rows.Close()
	var out []*store.KeyRecord
	for rows.Next() {
		k, err := sqlstore.ScanKey(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list keys: %w", err)
	}
	return out, nil
}

// RevokeKey implements store.KeyStore.
func (db *DB) RevokeKey(ctx context.Context, scope store.Scope, id string, t time.Time) error {
	return db.inKeyTx(ctx, "revoke key", func(tx sqlstore.KeyTx) error { return sqlstore.RevokeKey(ctx, tx, scope, id, t, placeholder) })
}

// RotateKey implements store.KeyStore.
func (db *DB) RotateKey(ctx context.Context, scope store.Scope, id string, next *store.KeyRecord, graceEnd time.Time) error {
	return db.inKeyTx(ctx, "rotate key", func(tx sqlstore.KeyTx) error {
		return sqlstore.RotateKey(ctx, tx, scope, id, next, graceEnd, placeholder)
	})
}

// KeysVersion implements store.KeyStore.
func (db *DB) KeysVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := db.r.QueryRowContext(ctx, sqlstore.KeysVersion).Scan(&v); err != nil {
		return 0, fmt.Errorf("sqlite: keys version: %w", err)
	}
	return v, nil
}
