package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"switchyard/store/internal/sqlstore"
)

// backend is the statements both back ends share (requests' Get and List,
// the drift and feedback logs, the managed keys, the snapshots), run
// here through pgx: DB embeds it.
type backend = sqlstore.Backend

// chainsLock is the key of the advisory lock between the stored
// responses' saves that link a parent and their erasures, one per schema
// (see sqlstore.Dialect).
const chainsLock = "hashtext('switchyard.responses.' || current_schema())"

// newBackend returns db's backend: everything on the pool, values
// written made storable (no NUL).
func newBackend(db *DB) *backend {
	d := sqlstore.Dialect{Name: "postgres", Placeholder: placeholder, MaxParams: 65535, Storable: storable,
		ShareChains: "SELECT pg_advisory_xact_lock_shared(" + chainsLock + ")",
		EraseChains: "SELECT pg_advisory_xact_lock(" + chainsLock + ")",
		// The unnamed statement, planned at each run (the pool's default
		// caches a generic plan after five runs, kept until ANALYZE).
		Replan: pgx.QueryExecModeCacheDescribe}
	return sqlstore.NewBackend(d, conn{db.pool}, conn{db.pool}, db.inTx)
}

// inTx runs fn in a transaction, committed when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(sqlstore.Conn) error) error {
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error { return fn(conn{tx}) })
}

// querier is what *pgxpool.Pool and pgx.Tx share.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// conn is the pool or a transaction as a sqlstore.Conn.
type conn struct{ q querier }

func (c conn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	tag, err := c.q.Exec(ctx, q, args...)
	return tag.RowsAffected(), err
}

func (c conn) QueryRow(ctx context.Context, q string, args ...any) func(dest ...any) error {
	return sqlstore.RowScan(c.q.QueryRow(ctx, q, args...).Scan, pgx.ErrNoRows)
}

func (c conn) Query(ctx context.Context, q string, args ...any) (sqlstore.Cursor, error) {
	rows, err := c.q.Query(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}
