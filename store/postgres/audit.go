package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// AppendAudit implements store.AuditLog.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	v, err := sqlstore.AuditValues(e)
	if err != nil {
		return err
	}
	for i := range v {
		v[i] = storable(v[i])
	}
	if _, err := db.pool.Exec(ctx, sqlstore.InsertAudit(placeholder), v...); err != nil {
		return fmt.Errorf("postgres: append audit event: %w", err)
	}
	return nil
}

// ListAudit implements store.AuditLog.
func (db *DB) ListAudit(ctx context.Context, scope store.Scope, f store.AuditFilter) (store.AuditPage, error) {
	q, args, limit, err := sqlstore.ListAudit(scope, f, placeholder)
	if err != nil {
		return store.AuditPage{}, err
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return store.AuditPage{}, fmt.Errorf("postgres: list audit events: %w", err)
	}
	defer rows.Close()
	page, err := sqlstore.AuditPage(rows, limit)
	if err != nil {
		return store.AuditPage{}, fmt.Errorf("postgres: list audit events: %w", err)
	}
	return page, nil
}

// versionRetries bounds the attempts of AppendConfigVersion when other
// processes append at the same moment.
const versionRetries = 8

// AppendConfigVersion implements store.ConfigHistory. Two processes
// appending at once may both compute the same next number; the primary key
// refuses the second, which tries again with the next.
func (db *DB) AppendConfigVersion(ctx context.Context, v store.ConfigVersion) (int64, error) {
	args := sqlstore.VersionValues(v)
	for i := range args {
		args[i] = storable(args[i])
	}
	var err error
	for range versionRetries {
		var n int64
		if err = db.pool.QueryRow(ctx, sqlstore.InsertVersion(placeholder), args...).Scan(&n); err == nil {
			return n, nil
		}
		if pe := (*pgconn.PgError)(nil); !errors.As(err, &pe) || pe.Code != "23505" { // unique_violation
			break
		}
	}
	return 0, fmt.Errorf("postgres: append configuration version: %w", err)
}

// ConfigVersion implements store.ConfigHistory.
func (db *DB) ConfigVersion(ctx context.Context, n int64) (store.ConfigVersion, error) {
	v, err := sqlstore.ScanVersion(db.pool.QueryRow(ctx, sqlstore.GetVersion(placeholder), n).Scan)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return v, store.ErrVersionNotFound
	case err != nil:
		return v, fmt.Errorf("postgres: configuration version %d: %w", n, err)
	}
	return v, nil
}

// ConfigVersions implements store.ConfigHistory.
func (db *DB) ConfigVersions(ctx context.Context, before int64, limit int) ([]store.ConfigVersion, error) {
	q, args, err := sqlstore.ListVersions(before, limit, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: list configuration versions: %w", err)
	}
	defer rows.Close()
	var out []store.ConfigVersion
	for rows.Next() {
		v, err := sqlstore.ScanVersion(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("postgres: list configuration versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: list configuration versions: %w", err)
	}
	return out, nil
}

// PruneAudit implements store.HistoryPruner.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	tag, err := db.pool.Exec(ctx, sqlstore.PruneAudit(placeholder), before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("postgres: prune audit events: %w", err)
	}
	return tag.RowsAffected(), nil
}

// PruneConfigVersions implements store.HistoryPruner.
func (db *DB) PruneConfigVersions(ctx context.Context, before time.Time, keep int) (int64, error) {
	tag, err := db.pool.Exec(ctx, sqlstore.PruneVersions(placeholder), before.UnixNano(), sqlstore.PruneKeep(keep))
	if err != nil {
		return 0, fmt.Errorf("postgres: prune configuration versions: %w", err)
	}
	return tag.RowsAffected(), nil
}
