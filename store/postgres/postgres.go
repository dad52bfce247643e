// Package postgres is the PostgreSQL back end of the request store
// (github.com/jackc/pgx/v5 with a connection pool), for several router
// replicas sharing one request log.
package postgres

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
	"switchyard/store/migrate"
)

//go:embed migrations/*.sql
var migrations embed.FS

// maxRowsPerInsert keeps one INSERT under PostgreSQL's 65535 parameters.
var maxRowsPerInsert = 65535 / len(sqlstore.Columns)

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

// DB is a request store in a PostgreSQL database. It is safe for
// concurrent use.
type DB struct {
	*backend
	pool *pgxpool.Pool
}

func placeholder(n int) string { return "$" + strconv.Itoa(n) }

// DefaultConnectTimeout bounds each connection to the server (dial,
// TLS, start-up, authentication) when the DSN sets no connect_timeout: a
// server that accepts connections but never answers fails Open, and the
// writes that need a new connection, instead of holding them.
const DefaultConnectTimeout = 10 * time.Second

// Open connects to the database of dsn (a postgres:// URL or key=value
// string; pool_max_conns, search_path and connect_timeout are honoured)
// and applies the pending schema migrations. Errors never include the
// DSN's password.
func Open(ctx context.Context, dsn string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's parse errors may quote the DSN; say only what is wrong.
		return nil, errors.New("postgres: the dsn is not a valid connection string")
	}
	if cfg.ConnConfig.ConnectTimeout == 0 { // no connect_timeout in the DSN
		cfg.ConnConfig.ConnectTimeout = DefaultConnectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: connect: %w", err)
	}
	db := &DB{pool: pool}
	db.backend = newBackend(db)
	if err := db.migrate(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: %w", err)
	}
	return db, nil
}

func (db *DB) migrate(ctx context.Context) error {
	return migrate.UpDir(ctx, migrator{db.pool}, migrations, "migrations")
}

// Write implements store.Store: the rows in one transaction, in
// multi-row INSERTs.
func (db *DB) Write(ctx context.Context, rows []*store.Request) error {
	if len(rows) == 0 {
		return nil
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		for len(rows) > 0 {
			n := min(len(rows), maxRowsPerInsert)
			args := make([]any, 0, n*len(sqlstore.Columns))
			for _, r := range rows[:n] {
				v, err := sqlstore.Values(r)
				if err != nil {
					return err
				}
				for _, x := range v {
					args = append(args, storable(x))
				}
			}
			if _, err := tx.Exec(ctx, sqlstore.Insert(n, placeholder), args...); err != nil {
				return fmt.Errorf("postgres: write: %w", err)
			}
			rows = rows[n:]
		}
		return nil
	})
}

// Close implements store.Store; it waits for queries in progress.
func (db *DB) Close() error {
	db.pool.Close()
	return nil
}

// migrator runs each migration in a transaction holding an advisory lock
// keyed by the schema, so replicas starting at once migrate one at a time.
type migrator struct{ pool *pgxpool.Pool }

func (m migrator) Placeholder(n int) string { return placeholder(n) }

func (m migrator) InTx(ctx context.Context, fn func(migrate.Tx) error) error {
	return pgx.BeginFunc(ctx, m.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock(hashtext('switchyard.migrate.' || current_schema()))"); err != nil {
			return err
		}
		return fn(pgTx{tx})
	})
}

type pgTx struct{ tx pgx.Tx }

func (t pgTx) Exec(ctx context.Context, q string, args ...any) error {
	_, err := t.tx.Exec(ctx, q, args...)
	return err
}

func (t pgTx) Versions(ctx context.Context) ([]int, error) {
	rows, err := t.tx.Query(ctx, "SELECT version FROM schema_migrations")
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int])
}
