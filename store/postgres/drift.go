package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// WriteDriftRun implements store.DriftLog.
func (db *DB) WriteDriftRun(ctx context.Context, run *store.DriftRun) error {
	v, err := sqlstore.DriftRunValues(run)
	if err != nil {
		return err
	}
	for i := range v {
		v[i] = storable(v[i])
	}
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		var n int
		if err := tx.QueryRow(ctx, sqlstore.DriftRunExists(placeholder), run.ID).Scan(&n); err != nil {
			return fmt.Errorf("postgres: write drift run: %w", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: drift run %s is already stored", store.ErrBadQuery, run.ID)
		}
		if _, err := tx.Exec(ctx, sqlstore.InsertDriftRun(placeholder), v...); err != nil {
			return fmt.Errorf("postgres: write drift run: %w", err)
		}
		for start := 0; start < len(run.Results); start += sqlstore.DriftResultsPerInsert {
			batch := run.Results[start:min(start+sqlstore.DriftResultsPerInsert, len(run.Results))]
			args := make([]any, 0, len(batch)*len(sqlstore.DriftResultColumns))
			for i := range batch {
				for _, x := range sqlstore.DriftResultValues(run.ID, start+i, &batch[i]) {
					args = append(args, storable(x))
				}
			}
			if _, err := tx.Exec(ctx, sqlstore.InsertDriftResults(len(batch), placeholder), args...); err != nil {
				return fmt.Errorf("postgres: write drift results: %w", err)
			}
		}
		return nil
	})
}

// DriftRuns implements store.DriftLog.
func (db *DB) DriftRuns(ctx context.Context, f store.DriftFilter) ([]*store.DriftRun, error) {
	q, args, err := sqlstore.DriftRuns(f, placeholder)
	if err != nil {
		return nil, err
	}
	rows, err := db.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("postgres: drift runs: %w", err)
	}
	defer rows.Close()
	var out []*store.DriftRun
	for rows.Next() {
		r, err := sqlstore.ScanDriftRun(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: drift runs: %w", err)
	}
	return out, nil
}

// DriftResults implements store.DriftLog.
func (db *DB) DriftResults(ctx context.Context, id string) ([]store.DriftResult, error) {
	var n int
	if err := db.pool.QueryRow(ctx, sqlstore.DriftRunExists(placeholder), id).Scan(&n); err != nil {
		return nil, fmt.Errorf("postgres: drift results: %w", err)
	}
	if n == 0 {
		return nil, store.ErrNotFound
	}
	rows, err := db.pool.Query(ctx, sqlstore.DriftResults(placeholder), id)
	if err != nil {
		return nil, fmt.Errorf("postgres: drift results: %w", err)
	}
	defer rows.Close()
	out := []store.DriftResult{}
	for rows.Next() {
		r, err := sqlstore.ScanDriftResult(rows.Scan)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("postgres: drift results: %w", err)
	}
	return out, nil
}

// PinDriftBaseline implements store.DriftLog.
func (db *DB) PinDriftBaseline(ctx context.Context, set, deployment string, ids []string) error {
	ids = sqlstore.UniqueIDs(ids)
	return pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if len(ids) > 0 {
			q, args := sqlstore.CountDriftRuns(set, deployment, ids, placeholder)
			var n int
			if err := tx.QueryRow(ctx, q, args...).Scan(&n); err != nil {
				return fmt.Errorf("postgres: pin drift baseline: %w", err)
			}
			if n != len(ids) {
				return fmt.Errorf("%w: %d of the %d runs are not runs of set %q on %q", store.ErrNotFound, len(ids)-n, len(ids), set, deployment)
			}
		}
		if _, err := tx.Exec(ctx, sqlstore.UnpinDriftRuns(placeholder), false, set, deployment, true); err != nil {
			return fmt.Errorf("postgres: pin drift baseline: %w", err)
		}
		if len(ids) > 0 {
			q, args := sqlstore.PinDriftRuns(ids, placeholder)
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return fmt.Errorf("postgres: pin drift baseline: %w", err)
			}
		}
		return nil
	})
}

// DriftSpend implements store.DriftLog.
func (db *DB) DriftSpend(ctx context.Context, since time.Time) (float64, error) {
	var usd float64
	if err := db.pool.QueryRow(ctx, sqlstore.DriftSpend(placeholder), since.UnixNano()).Scan(&usd); err != nil {
		return 0, fmt.Errorf("postgres: drift spend: %w", err)
	}
	return usd, nil
}

// SignalRows implements store.DriftLog.
func (db *DB) SignalRows(ctx context.Context, q store.SignalQuery, fn func(*store.SignalRow) error) error {
	sq, args := sqlstore.SignalRows(q, placeholder)
	rows, err := db.pool.Query(ctx, sq, args...)
	if err != nil {
		return fmt.Errorf("postgres: signal rows: %w", err)
	}
	defer rows.Close()
	var r store.SignalRow
	for rows.Next() {
		if err := sqlstore.ScanSignalRow(rows.Scan, &r); err != nil {
			return err
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("postgres: signal rows: %w", err)
	}
	return nil
}
