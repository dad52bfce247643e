package sqlite

import (
	"context"
	"fmt"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// The audit trail and the configuration history are the Backend's
// (sqlstore/backend_audit.go) but for the appending of a version.

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
