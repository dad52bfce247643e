package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file runs the shared statements: both back ends adapt their
// driver (database/sql for SQLite, pgx for PostgreSQL) to Conn, and a
// Backend holds the loops over rows and the transactions they need once,
// the back ends differing only in their Dialect.

// Conn runs statements on one back end: its connection pool, or a
// transaction.
type Conn interface {
	KeyTx
	// Query runs a query and returns its rows, which the caller closes.
	Query(ctx context.Context, sql string, args ...any) (Cursor, error)
}

// Cursor is the rows of a query being read; Close releases them.
type Cursor interface {
	Rows
	Close()
}

// RowScan returns scan with the driver's noRows error turned into
// ErrNoRow, for a Conn's QueryRow.
func RowScan(scan func(dest ...any) error, noRows error) func(dest ...any) error {
	return func(dest ...any) error {
		if err := scan(dest...); errors.Is(err, noRows) {
			return ErrNoRow
		} else {
			return err
		}
	}
}

// Dialect is what differs between the back ends besides their driver.
type Dialect struct {
	// Name starts every error: "sqlite: drift runs: …".
	Name string
	// Placeholder is the bind parameter style.
	Placeholder Placeholder
	// MaxParams bounds the parameters of one statement.
	MaxParams int
	// Storable returns a value written as the back end can store it; nil
	// means as it is.
	Storable func(any) any
	// ShareChains and EraseChains are the statements that, run first in
	// a write transaction, make the stored responses' writes that link a
	// parent (shared) and those that erase responses (exclusive) wait for
	// each other until it ends, so that a response is never saved
	// continuing one erased meanwhile; "" when the back end's write
	// transactions already exclude each other (SQLite's).
	ShareChains, EraseChains string
	// Replan, when set, goes first in the arguments of the statements
	// whose plan must be made anew at each run, with the table's size as
	// it is (the chains' recursive queries: a plan cached while the table
	// was small scans all of it at every step of a chain); nil when the
	// back end plans every statement anew.
	Replan any
}

// Backend runs the shared statements of one back end: reads on its read
// connections, single writes on its write connection, and the writes of
// several statements in its transactions. It is safe for concurrent use
// as its connections are.
type Backend struct {
	d         Dialect
	read, one Conn
	inTx      func(ctx context.Context, fn func(Conn) error) error
	// keys seal and open the stored responses' and conversations'
	// content (SealWith; nil: written clear).
	keys atomic.Pointer[seal.Keys]
	// chatRowsRead counts the stored chat completions lists read
	// (ChatRowsRead).
	chatRowsRead atomic.Int64
}

// NewBackend returns the Backend of d over read (the connections reads
// use), write (the one single writes use) and inTx, which runs fn in a
// write transaction, committed when fn returns nil, and returns fn's
// error or the driver's.
func NewBackend(d Dialect, read, write Conn, inTx func(ctx context.Context, fn func(Conn) error) error) *Backend {
	return &Backend{d: d, read: read, one: write, inTx: inTx}
}

// errorf wraps err with the back end's name and op.
func (b *Backend) errorf(op string, err error) error {
	return fmt.Errorf("%s: %s: %w", b.d.Name, op, err)
}

// tx runs fn in a write transaction; a failure to begin or commit it is
// wrapped with op, fn's errors are returned as they are.
func (b *Backend) tx(ctx context.Context, op string, fn func(Conn) error) error {
	failed := false
	err := b.inTx(ctx, func(c Conn) error {
		err := fn(c)
		failed = err != nil
		return err
	})
	if err != nil && !failed {
		return b.errorf(op, err)
	}
	return err
}

// storable returns vs made storable, in place.
func (b *Backend) storable(vs []any) []any {
	if b.d.Storable != nil {
		for i := range vs {
			vs[i] = b.d.Storable(vs[i])
		}
	}
	return vs
}

// replanned returns args of a statement to plan anew at each run.
func (b *Backend) replanned(args []any) []any {
	if b.d.Replan == nil {
		return args
	}
	return append([]any{b.d.Replan}, args...)
}

// perInsert is how many rows of width columns one INSERT may hold.
func (b *Backend) perInsert(width int) int { return b.d.MaxParams / width }

// collect reads every row of a query with scan, closing its rows; op
// names it in errors.
func collect[T any](ctx context.Context, b *Backend, op, q string, args []any, scan func(func(dest ...any) error) (T, error)) ([]T, error) {
	var out []T
	err := b.each(ctx, op, q, args, func(rows Rows) error {
		v, err := scan(rows.Scan)
		if err == nil {
			out = append(out, v)
		}
		return err
	})
	return out, err
}

// each calls fn on every row of a query, closing its rows; op names it
// in errors (fn's are returned as they are).
func (b *Backend) each(ctx context.Context, op, q string, args []any, fn func(Rows) error) error {
	rows, err := b.read.Query(ctx, q, args...)
	if err != nil {
		return b.errorf(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return b.errorf(op, err)
	}
	return nil
}

// page reads a page of a listing query with read, closing its rows; op
// names it in errors.
func page[P any](ctx context.Context, b *Backend, op, q string, args []any, limit int, read func(Rows, int) (P, error)) (P, error) {
	var zero P
	rows, err := b.read.Query(ctx, q, args...)
	if err != nil {
		return zero, b.errorf(op, err)
	}
	defer rows.Close()
	p, err := read(rows, limit)
	if err != nil {
		return zero, b.errorf(op, err)
	}
	return p, nil
}

// Get implements store.Store.
func (b *Backend) Get(ctx context.Context, scope store.Scope, id string) (*store.Request, error) {
	q, args := Get(scope, id, b.d.Placeholder)
	r, err := ScanWithBodies(b.read.QueryRow(ctx, q, args...))
	if errors.Is(err, ErrNoRow) {
		return nil, store.ErrNotFound
	}
	return r, err
}

// List implements store.Store.
func (b *Backend) List(ctx context.Context, scope store.Scope, f store.Filter) (store.Page, error) {
	q, args, limit, err := List(scope, f, b.d.Placeholder)
	if err != nil {
		return store.Page{}, err
	}
	return page(ctx, b, "list", q, args, limit, Page)
}

// DeleteBefore implements store.Store: the requests older than t and
// their feedback, in one transaction.
func (b *Backend) DeleteBefore(ctx context.Context, t time.Time) (int64, error) {
	var n int64
	err := b.tx(ctx, "delete", func(c Conn) error {
		q, args := DeleteBefore(t, b.d.Placeholder)
		var err error
		if n, err = c.Exec(ctx, q, args...); err != nil {
			return b.errorf("delete", err)
		}
		q, args = DeleteFeedbackBefore(t, b.d.Placeholder)
		if _, err := c.Exec(ctx, q, args...); err != nil {
			return b.errorf("delete feedback", err)
		}
		return nil
	})
	return n, err
}

// SaveSnapshot implements store.Snapshots.
func (b *Backend) SaveSnapshot(ctx context.Context, name string, at time.Time, data []byte) error {
	if _, err := b.one.Exec(ctx, SaveSnapshot(b.d.Placeholder), name, at.UnixNano(), data); err != nil {
		return b.errorf(fmt.Sprintf("save snapshot %q", name), err)
	}
	return nil
}

// LoadSnapshot implements store.Snapshots.
func (b *Backend) LoadSnapshot(ctx context.Context, name string) ([]byte, time.Time, error) {
	var ns int64
	var data []byte
	err := b.read.QueryRow(ctx, LoadSnapshot(b.d.Placeholder), name)(&ns, &data)
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, time.Time{}, store.ErrNotFound
	case err != nil:
		return nil, time.Time{}, b.errorf(fmt.Sprintf("load snapshot %q", name), err)
	}
	return data, time.Unix(0, ns).UTC(), nil
}

// keyTx runs fn, an operation on the managed keys, in a write
// transaction; the keys' own errors (store.ErrKeyNotFound, ErrKeyExists,
// ErrKeyInactive) are returned as they are, the others wrapped with op.
func (b *Backend) keyTx(ctx context.Context, op string, fn func(KeyTx) error) error {
	return b.tx(ctx, op, func(c Conn) error {
		err := fn(c)
		if err != nil && !errors.Is(err, store.ErrKeyNotFound) && !errors.Is(err, store.ErrKeyExists) && !errors.Is(err, store.ErrKeyInactive) {
			return b.errorf(op, err)
		}
		return err
	})
}

// CreateKey implements store.KeyStore.
func (b *Backend) CreateKey(ctx context.Context, k *store.KeyRecord) error {
	return b.keyTx(ctx, "create key", func(tx KeyTx) error { return CreateKey(ctx, tx, k, b.d.Placeholder) })
}

// GetKey implements store.KeyStore.
func (b *Backend) GetKey(ctx context.Context, scope store.Scope, id string) (*store.KeyRecord, error) {
	q, args := GetKey(scope, id, b.d.Placeholder)
	k, err := ScanKey(b.read.QueryRow(ctx, q, args...))
	switch {
	case errors.Is(err, ErrNoRow):
		return nil, fmt.Errorf("%w: %s", store.ErrKeyNotFound, id)
	case err != nil:
		return nil, b.errorf("get key", err)
	}
	return k, nil
}

// ListKeys implements store.KeyStore.
func (b *Backend) ListKeys(ctx context.Context, scope store.Scope) ([]*store.KeyRecord, error) {
	q, args := ListKeys(scope, b.d.Placeholder)
	return collect(ctx, b, "list keys", q, args, func(scan func(dest ...any) error) (*store.KeyRecord, error) {
		k, err := ScanKey(scan)
		if err != nil {
			return nil, b.errorf("list keys", err)
		}
		return k, nil
	})
}

// RevokeKey implements store.KeyStore.
func (b *Backend) RevokeKey(ctx context.Context, scope store.Scope, id string, t time.Time) error {
	return b.keyTx(ctx, "revoke key", func(tx KeyTx) error { return RevokeKey(ctx, tx, scope, id, t, b.d.Placeholder) })
}

// RotateKey implements store.KeyStore.
func (b *Backend) RotateKey(ctx context.Context, scope store.Scope, id string, next *store.KeyRecord, graceEnd time.Time) error {
	return b.keyTx(ctx, "rotate key", func(tx KeyTx) error {
		return RotateKey(ctx, tx, scope, id, next, graceEnd, b.d.Placeholder)
	})
}

// KeysVersion implements store.KeyStore.
func (b *Backend) KeysVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := b.read.QueryRow(ctx, KeysVersion)(&v); err != nil {
		return 0, b.errorf("keys version", err)
	}
	return v, nil
}
