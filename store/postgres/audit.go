package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgconn"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// The audit trail and the configuration history are the Backend's
// (sqlstore/backend_audit.go) but for the appending of a version.

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
