package sqlite

import (
	"context"
	"fmt"

	"switchyard/store"
	"switchyard/store/internal/sqlstore"
)

// maxFeedbackPerInsert keeps one INSERT under SQLite's bound parameters.
var maxFeedbackPerInsert = 32766 / len(sqlstore.FeedbackColumns)

// WriteFeedback implements store.FeedbackLog: the rows in one transaction.
func (db *DB) WriteFeedback(ctx context.Context, rows []*store.Feedback) error {
	rows = sqlstore.DedupeFeedback(rows)
	if len(rows) == 0 {
		return nil
	}
	args := make([][]any, len(rows))
	for i, f := range rows {
		v, err := sqlstore.FeedbackValues(f)
		if err != nil {
			return err
		}
		args[i] = v
	}
	tx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("sqlite: write feedback: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for len(args) > 0 {
		n := min(len(args), maxFeedbackPerInsert)
		flat := make([]any, 0, n*len(sqlstore.FeedbackColumns))
		for _, v := range args[:n] {
			flat = append(flat, v...)
		}
		if _, err := tx.ExecContext(ctx, sqlstore.InsertFeedback(n, placeholder), flat...); err != nil {
			return fmt.Errorf("sqlite: write feedback: %w", err)
		}
		args = args[n:]
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("sqlite: write feedback: %w", err)
	}
	return nil
}

// ListFeedback implements store.FeedbackLog.
func (db *DB) ListFeedback(ctx context.Context, scope store.Scope, f store.FeedbackFilter) (store.FeedbackPage, error) {
	q, args, limit, err := sqlstore.ListFeedback(scope, f, placeholder)
	if err != nil {
		return store.FeedbackPage{}, err
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return store.FeedbackPage{}, fmt.Errorf("sqlite: list feedback: %w", err)
	}
	defer rows.Close()
	page, err := sqlstore.FeedbackPage(rows, limit)
	if err != nil {
		return store.FeedbackPage{}, fmt.Errorf("sqlite: list feedback: %w", err)
	}
	return page, nil
}

// Outcomes implements store.FeedbackLog.
func (db *DB) Outcomes(ctx context.Context, scope store.Scope, q store.OutcomeQuery, fn func(*store.Outcome) error) error {
	sql, args := sqlstore.Outcomes(scope, q, placeholder)
	rows, err := db.r.QueryContext(ctx, sql, args...)
	if err != nil {
		return fmt.Errorf("sqlite: outcomes: %w", err)
	}
	defer rows.Close()
	var o store.Outcome
	for rows.Next() {
		if err := sqlstore.ScanOutcome(rows.Scan, &o); err != nil {
			return err
		}
		if err := fn(&o); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("sqlite: outcomes: %w", err)
	}
	return nil
}
