package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchyard/store"
)

// This file runs the statements of the audit trail and the configuration
// history (store.AuditLog, store.ConfigHistory but AppendConfigVersion,
// whose concurrency each back end handles its own way, and
// store.HistoryPruner) on a Backend.

// AppendAudit implements store.AuditLog.
func (b *Backend) AppendAudit(ctx context.Context, e store.AuditEvent) error {
	v, err := AuditValues(e)
	if err != nil {
		return err
	}
	if _, err := b.one.Exec(ctx, InsertAudit(b.d.Placeholder), b.storable(v)...); err != nil {
		return b.errorf("append audit event", err)
	}
	return nil
}

// ListAudit implements store.AuditLog.
func (b *Backend) ListAudit(ctx context.Context, scope store.Scope, f store.AuditFilter) (store.AuditPage, error) {
	q, args, limit, err := ListAudit(scope, f, b.d.Placeholder)
	if err != nil {
		return store.AuditPage{}, err
	}
	return page(ctx, b, "list audit events", q, args, limit, AuditPage)
}

// ConfigVersion implements store.ConfigHistory.
func (b *Backend) ConfigVersion(ctx context.Context, n int64) (store.ConfigVersion, error) {
	v, err := ScanVersion(b.read.QueryRow(ctx, GetVersion(b.d.Placeholder), n))
	switch {
	case errors.Is(err, ErrNoRow):
		return v, store.ErrVersionNotFound
	case err != nil:
		return v, b.errorf(fmt.Sprintf("configuration version %d", n), err)
	}
	return v, nil
}

// ConfigVersions implements store.ConfigHistory.
func (b *Backend) ConfigVersions(ctx context.Context, before int64, limit int) ([]store.ConfigVersion, error) {
	q, args, err := ListVersions(before, limit, b.d.Placeholder)
	if err != nil {
		return nil, err
	}
	return collect(ctx, b, "list configuration versions", q, args, ScanVersion)
}

// PruneAudit implements store.HistoryPruner.
func (b *Backend) PruneAudit(ctx context.Context, before time.Time) (int64, error) {
	n, err := b.one.Exec(ctx, PruneAudit(b.d.Placeholder), before.UnixNano())
	if err != nil {
		return 0, b.errorf("prune audit events", err)
	}
	return n, nil
}

// PruneConfigVersions implements store.HistoryPruner.
func (b *Backend) PruneConfigVersions(ctx context.Context, before time.Time, keep int) (int64, error) {
	n, err := b.one.Exec(ctx, PruneVersions(b.d.Placeholder), before.UnixNano(), PruneKeep(keep))
	if err != nil {
		return 0, b.errorf("prune configuration versions", err)
	}
	return n, nil
}
