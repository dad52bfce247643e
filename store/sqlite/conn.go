package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

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
	if err := fn(txConn{conn{tx}, tx, db.prepared}); err != nil {
		return err
	}
	return tx.Commit()
}

// preparedWrites are the statements the writer connection keeps
// prepared, run by a write transaction's Exec (txConn) without parsing
// their text again: a rating's INSERT (POST /v1/feedback) parsed anew
// was a fifth of WriteFeedback's CPU, half of it under -race
// (BenchmarkWriteFeedbackSQLite).
func preparedWrites() []string {
	return []string{sqlstore.InsertFeedback(1, placeholder)}
}

// prepare prepares preparedWrites on w, by their text.
func prepare(ctx context.Context, w *sql.DB) (map[string]*sql.Stmt, error) {
	m := map[string]*sql.Stmt{}
	for _, q := range preparedWrites() {
		st, err := w.PrepareContext(ctx, q)
		if err != nil {
			closeAll(m)
			return nil, fmt.Errorf("prepare %q: %w", q, err)
		}
		m[q] = st
	}
	return m, nil
}

func closeAll(stmts map[string]*sql.Stmt) error {
	var errs []error
	for _, st := range stmts {
		errs = append(errs, st.Close())
	}
	return errors.Join(errs...)
}

// txConn is a write transaction as a sqlstore.Conn: Exec of a statement
// of prepared runs it prepared.
type txConn struct {
	conn
	tx       *sql.Tx
	prepared map[string]*sql.Stmt
}

func (c txConn) Exec(ctx context.Context, q string, args ...any) (int64, error) {
	st := c.prepared[q]
	if st == nil {
		return c.conn.Exec(ctx, q, args...)
	}
	ts := c.tx.StmtContext(ctx, st) // closed with the transaction
	res, err := ts.ExecContext(ctx, args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
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
