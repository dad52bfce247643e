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

var _ store.KeyStore = (*DB)(nil)

// keyTx is a pgx transaction as a sqlstore.KeyTx.
type keyTx struct{ tx pgx.Tx }

func (t keyTx) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := t.tx.Exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (t keyTx) QueryRow(ctx context.Context, q string, args ...any) func(dest ...any) error {
	row := t.tx.QueryRow(ctx, q, args...)
	return func(dest ...any) error {
		if err := row.Scan(dest...); errors.Is(err, pgx.ErrNoRows) {
			return sqlstore.ErrNoRow
		} else {
			return err
		}
	}
}

// inKeyTx runs fn in a transaction.
func (db *DB) inKeyTx(ctx context.Context, op string, fn func(sqlstore.KeyTx) error) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return fn(keyTx{tx}) })
	if err != nil && !errors.Is(err, store.ErrKeyNotFound) && !errors.Is(err, store.ErrKeyExists) && !errors.Is(err, store.ErrKeyInactive) {
		return fmt.Errorf("postgres: %s: %w", op, err)
	}
	return err
}

// CreateKey implements store.KeyStore.
func (db *DB) CreateKey(ctx context.Context, k *store.KeyRecord) error {
	return db.inKeyTx(ctx, "create key", func(tx sqlstore.KeyTx) error { return sqlstore.CreateKey(ctx, tx, k, placeholder) })
}

// GetKey implements store.KeyStore.
func (db *DB) GetKey(ctx context.Context, scope store.Scope, id string) (*store.KeyRecord, error) {
	q, args := sqlstore.GetKey(scope, id, placeholder)
	k, err := sqlstore.ScanKey(db.pool.QueryRow(ctx, q, args...).Scan)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, fmt.Errorf("%w: %s", store.ErrKeyNotFound, id)
	case err != nil:
		return nil, fmt.Errorf("postgres: get key: %w", err)
	}
	return k, nil
}

// ListKeys implements store.KeyStore.
func (db *DB) ListKeys(ctx context.Context, scope store.Scope) ([]*store.KeyRecord, error) {
	q, args := sqlstore.ListKeys(scope, placeholder)
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list keys: %w", err)
	}
	defer rows.Close()
	var out []*store.KeyRecord
	for rows.Next() {
		k, err := sqlstore.ScanKey(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("postgres: list keys: %w", err)
		}
		out = append(out, k)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list keys: %w", err)
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
	if err := db.pool.QueryRow(ctx, sqlstore.KeysVersion).Scan(&v); err != nil {
		return 0, fmt.Errorf("postgres: keys version: %w", err)
	}
	return v, nil
}
