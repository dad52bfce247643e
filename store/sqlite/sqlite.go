// Package sqlite is the SQLite back end of the request store, pure Go
// (modernc.org/sqlite, no cgo): one file in WAL mode, one writer
// connection and a small pool of readers. It is the default back end.
package sqlite

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"embed"
	"errors"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
	"switchyard/store/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// Readers is the size of the read connection pool.
const Readers = 4

// busyTimeout is how long a statement waits for another process's lock.
const busyTimeout = 5 * time.Second

var (
	_ store.Store                  = (*DB)(nil)
	_ store.ResponseLog            = (*DB)(nil)
	_ store.BackgroundLog          = (*DB)(nil)
	_ store.ConversationLog        = (*DB)(nil)
	_ store.ConversationItemFinder = (*DB)(nil)
	_ store.ChatCompletionLog      = (*DB)(nil)
	_ store.FileLog                = (*DB)(nil)
	_ store.UploadLog              = (*DB)(nil)
	_ store.BatchLog               = (*DB)(nil)
	_ store.ContentSealer          = (*DB)(nil)
)

// DB is a request store in one SQLite file. It is safe for concurrent use.
type DB struct {
	*backend
	w, r *sql.DB
	// prepared are preparedWrites, prepared on w.
	prepared map[string]*sql.Stmt
}

func placeholder(int) string { return "?" }

// dsn returns the data source name of path with the connection pragmas.
func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_txlock", "immediate")
	if readOnly {
		q.Add("_pragma", "query_only(1)")
	}
	return "file:" + path + "?" + q.Encode()
}

// Open opens (creating it if needed) the database file at path and
// applies the pending schema migrations.
func Open(ctx context.Context, path string) (*DB, error) {
	w, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	db := &DB{w: w}
	if err := db.migrate(ctx); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	if db.prepared, err = prepare(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: %s: %w", path, err)
	}
	db.r, err = sql.Open("sqlite", dsn(path, true))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("sqlite: open %s: %w", path, err)
	}
	db.r.SetMaxOpenConns(Readers)
	db.backend = newBackend(db)
	return db, nil
}

func (db *DB) migrate(ctx context.Context) error {
	return migrate.UpDir(ctx, migrator{db.w}, migrations, "migrations")
}

// Write implements store.Store: the rows in one transaction, one prepared
// single-row INSERT each. That costs 15–20% less CPU per row than a
// multi-row INSERT of the batch, which SQLite parses anew for every batch
// size and runs with a statement journal (a copy of every page it
// changes, in case one of its rows breaks a constraint halfway).
//
// It runs on the driver's connection, under database/sql (insertRows):
// that spares each row database/sql's checks and copies of its 36
// values, and the goroutine the driver starts for each statement run on
// a context that can end.
func (db *DB) Write(ctx context.Context, rows []*store.Request) error {
	if len(rows) == 0 {
		return nil
	}
	conn, err := db.w.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlite: write: %w", err)
	}
	defer conn.Close()
	if err := conn.Raw(func(dc any) error { return insertRows(ctx, dc, rows) }); err != nil {
		return fmt.Errorf("sqlite: write: %w", err)
	}
	return nil
}

// driverConn is what insertRows needs of the driver's connection.
type driverConn interface {
	driver.ConnBeginTx
	driver.ConnPrepareContext
}

// insertRows writes rows on the driver's connection dc in one
// transaction, which it rolls back if a row fails or ctx ends first.
// BEGIN IMMEDIATE waits for the write lock as long as ctx allows; once
// it holds it, an insert waits for nothing, so the inserts run without
// ctx, which insertRows checks between them.
func insertRows(ctx context.Context, dc any, rows []*store.Request) (err error) {
	c, ok := dc.(driverConn)
	if !ok {
		return fmt.Errorf("driver connection %T cannot begin or prepare", dc)
	}
	tx, err := c.BeginTx(ctx, driver.TxOptions{})
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tx.Rollback() //nolint:errcheck // the error returned is the first one
		}
	}()
	st, err := c.PrepareContext(ctx, insertOne)
	if err != nil {
		return err
	}
	defer st.Close()
	exec, ok := st.(driver.StmtExecContext)
	if !ok {
		return fmt.Errorf("driver statement %T cannot execute with a context", st)
	}
	vals := make([]any, 0, len(sqlstore.Columns))
	args := make([]driver.NamedValue, len(sqlstore.Columns))
	for _, r := range rows {
		if err := ctx.Err(); err != nil {
			return err
		}
		if vals, err = sqlstore.AppendValues(vals[:0], r); err != nil {
			return err
		}
		for i, v := range vals {
			args[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
		}
		if _, err := exec.ExecContext(context.Background(), args); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// insertOne inserts one request row.
var insertOne = sqlstore.Insert(1, placeholder)

// Stats implements store.Store.
func (db *DB) Stats(ctx context.Context, scope store.Scope, sq store.StatsQuery) ([]store.Stats, error) {
	q, args, err := sqlstore.Stats(scope, sq, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: stats: %w", err)
	}
	defer rows.Close()
	agg := store.NewAggregator(sq.By)
	for rows.Next() {
		r, err := sqlstore.ScanStat(rows.Scan, len(sq.By))
		if err != nil {
			return nil, err
		}
		agg.Add(r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: stats: %w", err)
	}
	out := agg.Result()
	store.FormatTime(out)
	return out, nil
}

// Close implements store.Store.
func (db *DB) Close() error {
	return errors.Join(db.r.Close(), closeAll(db.prepared), db.w.Close())
}

// migrator runs migrations on the writer connection; its transactions
// begin IMMEDIATE, taking SQLite's write lock, which serializes two
// processes migrating one file.
type migrator struct{ db *sql.DB }

func (m migrator) Placeholder(int) string { return "?" }

// InTx runs fn in a transaction, again while SQLite answers SQLITE_BUSY
// (for up to busyTimeout): processes opening a new file at once race to
// switch it to WAL mode, and the loser is told "busy" at once, without
// the busy timeout's wait.
func (m migrator) InTx(ctx context.Context, fn func(migrate.Tx) error) error {
	deadline := time.Now().Add(busyTimeout)
	for wait := time.Millisecond; ; wait = min(2*wait, 100*time.Millisecond) {
		err := m.inTx(ctx, fn)
		if !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(wait):
		}
	}
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var coded interface{ Code() int }
	return errors.As(err, &coded) && coded.Code()&0xff == sqliteBusy
}

// sqliteBusy is SQLite's primary result code SQLITE_BUSY.
const sqliteBusy = 5

func (m migrator) inTx(ctx context.Context, fn func(migrate.Tx) error) error {
	tx, err := m.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(sqlTx{tx}); err != nil {
		tx.Rollback() //nolint:errcheck // the error returned is fn's
		return err
	}
	return tx.Commit()
}

type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) Exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.ExecContext(ctx, q, args...)
	return err
}

func (t sqlTx) Versions(ctx context.Context) ([]int, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
