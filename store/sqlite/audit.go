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

// AppendAudit implements store.AuditLog.
func (db *DB) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	v, err := sqlstore.AuditValues(e)
	if err != nil {
		return err
	}
	if _, err := db.w.ExecContext(ctx, sqlstore.InsertAudit(placeholder), v...); err != nil {
		return fmt.Errorf("sqlite: append audit event: %w", err)
	}
	return nil
}

// ListAudit implements store.AuditLog.
func (db *DB) ListAudit(ctx context.Context, scope store.Scope, f store.AuditFilter) (store.AuditPage, error) {
	q, args, limit, err := sqlstore.ListAudit(scope, f, placeholder)
	if err != nil {
		return store.AuditPage{}, err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return store.AuditPage{}, fmt.Errorf("sqlite: list audit events: %w", err)
	}
	defer rows.Close()
	page, err := sqlstore.AuditPage(rows, limit)
	if err != nil {
		return store.AuditPage{}, fmt.Errorf("sqlite: list audit events: %w", err)
	}
	return page, nil
}

// AppendConfigVersion implements store.ConfigHistory. The one writer
// connection makes the insert's MAX(version) + 1 safe within a process;
// SQLite's write lock, across processes.
func (db *DB) AppendConfigVersion(ctx context.Context, v store.ConfigVersion) (int64, error) {
	var n int64
	if err := db.w.QueryRowContext(ctx, sqlstore.InsertVersion(placeholder), sqlstore.VersionValues(v)...).Scan(&n); err != nil {
		return 0, fmt.Errorf("sqlite: append configuration version: %w", err)
	}
	return n, nil
}

// ConfigVersion implements store.ConfigHistory.
func (db *DB) ConfigVersion(ctx context.Context, n int64) (store.ConfigVersion, error) {
	v, err := sqlstore.ScanVersion(db.r.QueryRowContext(ctx, sqlstore.GetVersion(placeholder), n).Scan)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return v, store.ErrVersionNotFound
	case err != nil:
		return v, fmt.Errorf("sqlite: configuration version %d: %w", n, err)
	}
	return v, nil
}

// ConfigVersions implements store.ConfigHistory.
func (db *DB) ConfigVersions(ctx context.Context, before int64, limit int) ([]store.ConfigVersion, error) {
	q, args, err := sqlstore.ListVersions(before, limit, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sqlite: list configuration versions: %w", err)
	}
	defer rows.Close()
	var out []store.ConfigVersion
	for rows.Next() {
		v, err := sqlstore.ScanVersion(rows.Scan)
		if err != nil {
			return nil, fmt.Errorf("sqlite: list configuration versions: %w", err)
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sqlite: list configuration versions: %w", err)
	}
	return out, nil
}

// PruneAudit implements store.HistoryPruner.
func (db *DB) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	res, err := db.w.ExecContext(ctx, sqlstore.PruneAudit(placeholder), before.UnixNano())
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune audit events: %w", err)
	}
	return res.RowsAffected()
}

// PruneConfigVersions implements store.HistoryPruner.
func (db *DB) PruneConfigVersions(ctx context.Context, before time.Time, keep int) (int64, error) {
	res, err := db.w.ExecContext(ctx, sqlstore.PruneVersions(placeholder), before.UnixNano(), sqlstore.PruneKeep(keep))
	if err != nil {
		return 0, fmt.Errorf("sqlite: prune configuration versions: %w", err)
	}
	return res.RowsAffected()
}
