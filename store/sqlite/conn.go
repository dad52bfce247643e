package sqlite

import (
	"context"
	"database/sql"

	"switchyard/store/internal/sqlstore"
)

// backend is the statements both back ends share (requests' Get and List,
// the drift and feedback logs, the managed keys, the snapshots), run
// here through database/sql: DB embeds it.
type backend = sqlstore.Backend

// newBackend returns db's backend: reads on the reader pool, writes on
// the writer connection.
func newBackend(db *DB) *backend {
	d := sqlstore.Dialect{Name: "sqlite", Placeholder: placeholder, MaxParams: 32766}
	return sqlstore.NewBackend(d, conn{db.r}, conn{db.w}, db.inTx)
}

// inTx runs fn in a write transaction, committed when it returns nil.
func (db *DB) inTx(ctx context.Context, fn func(sqlstore.Conn) error) error {
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	if err := fn(conn{tx}); err != nil {
		return err
	}
	return tx.Commit()
}

// querier is what *sql.DB and *sql.Tx share.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn is a pool or a transaction as a sqlstore.Conn.
type conn struct{ q querier }

func (c conn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	res, err := c.q.ExecContext(ctx, q, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (c conn) QueryRow(ctx context.Context, q string, args ...any) func(dest ...any) error {
	return sqlstore.RowScan(c.q.QueryRowContext(ctx, q, args...).Scan, sql.ErrNoRows)
}

func (c conn) Query(ctx context.Context, q string, args ...any) (sqlstore.Cursor, error) {
	rows, err := c.q.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	return cursor{rows}, nil
}

// cursor is *sql.Rows as a sqlstore.Cursor.
type cursor struct{ *sql.Rows }

func (c cursor) Close() { c.Rows.Close() } //nolint:errcheck // the rows' error is Err's
