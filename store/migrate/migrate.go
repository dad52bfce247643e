// Package migrate applies versioned SQL schema migrations: plain SQL files
// named NNNN_name.sql, embedded by each back end, applied in order, each
// in its own transaction together with its row in the schema_migrations
// table. Starting twice applies nothing the second time; the back end's
// transaction holds a lock (an advisory lock on PostgreSQL, the write lock
// on SQLite) so two processes starting at once apply each migration once.
package migrate

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Migration is one schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Tx is one transaction of a back end, holding its migration lock.
type Tx interface {
	// Exec runs one or more statements with the given arguments, whose
	// placeholders are those of the back end.
	Exec(ctx context.Context, sql string, args ...any) error
	// Versions returns the versions in schema_migrations.
	Versions(ctx context.Context) ([]int, error)
}

// DB runs transactions holding the migration lock.
type DB interface {
	// InTx runs fn in a transaction that holds the migration lock,
	// committing when fn returns nil and rolling back otherwise.
	InTx(ctx context.Context, fn func(Tx) error) error
	// Placeholder returns the n-th (1-based) bind parameter.
	Placeholder(n int) string
}

// Load reads the migrations of fsys's top directory, *.sql named
// NNNN_name.sql, numbered 1, 2, 3... without gaps.
func Load(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	var out []Migration
	for _, name := range names {
		num, label, ok := strings.Cut(strings.TrimSuffix(path.Base(name), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != len(out)+1 {
			return nil, fmt.Errorf("migrate: %s: want %04d_<name>.sql", name, len(out)+1)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, err
		}
		out = append(out, Migration{Version: v, Name: label, SQL: string(b)})
	}
	if len(out) == 0 {
		return nil, errors.New("migrate: no migrations")
	}
	return out, nil
}

// UpDir applies to db the migrations of fsys's directory dir (Load)
// that it lacks (Up).
func UpDir(ctx context.Context, db DB, fsys fs.FS, dir string) error {
	sub, err := fs.Sub(fsys, dir)
	if err != nil {
		return err
	}
	ms, err := Load(sub)
	if err != nil {
		return err
	}
	_, err = Up(ctx, db, ms)
	return err
}

const createTable = `CREATE TABLE IF NOT EXISTS schema_migrations (
	version INTEGER PRIMARY KEY,
	name TEXT NOT NULL,
	applied_at_ns BIGINT NOT NULL
)`

// Placeholder is the name of a migration that only held its number
// while the real one was written elsewhere (0006_reserved.sql, which
// changed nothing): Up forgets a version recorded under it, so the
// migration that took its number is applied.
const Placeholder = "reserved"

// Up applies the migrations of ms that db lacks, in order, and returns
// the versions it applied. It fails without changing anything when the
// database holds a version newer than ms knows (a newer binary migrated it).
// A version recorded as a Placeholder counts as lacking.
func Up(ctx context.Context, db DB, ms []Migration) ([]int, error) {
	err := db.InTx(ctx, func(tx Tx) error {
		if err := tx.Exec(ctx, createTable); err != nil {
			return err
		}
		return tx.Exec(ctx, "DELETE FROM schema_migrations WHERE name = "+db.Placeholder(1), Placeholder)
	})
	if err != nil {
		return nil, fmt.Errorf("migrate: forget placeholders: %w", err)
	}
	var applied []int
	for _, m := range ms {
		err := db.InTx(ctx, func(tx Tx) error {
			if err := tx.Exec(ctx, createTable); err != nil {
				return err
			}
			have, err := tx.Versions(ctx)
			if err != nil {
				return err
			}
			if newest := slices.Max(append(have, 0)); newest > len(ms) {
				return fmt.Errorf("database schema version %d is newer than this binary's %d", newest, len(ms))
			}
			if slices.Contains(have, m.Version) {
				return nil
			}
			if err := tx.Exec(ctx, m.SQL); err != nil {
				return err
			}
			applied = append(applied, m.Version)
			ins := fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at_ns) VALUES (%s, %s, %s)",
				db.Placeholder(1), db.Placeholder(2), db.Placeholder(3))
			return tx.Exec(ctx, ins, m.Version, m.Name, time.Now().UnixNano())
		})
		if err != nil {
			return nil, fmt.Errorf("migrate: version %d (%s): %w", m.Version, m.Name, err)
		}
	}
	return applied, nil
}
