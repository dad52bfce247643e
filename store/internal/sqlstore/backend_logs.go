package sqlstore

import (
	"context"
	"fmt"
	"time"

	"switchyard/store"
)

// This file runs the statements of the drift log and the feedback log
// (store.DriftLog, store.FeedbackLog) on a Backend.

// WriteDriftRun implements store.DriftLog.
func (b *Backend) WriteDriftRun(ctx context.Context, run *store.DriftRun) error {
	v, err := DriftRunValues(run)
	if err != nil {
		return err
	}
	ph := b.d.Placeholder
	return b.tx(ctx, "write drift run", func(tx Conn) error {
		var n int
		if err := tx.QueryRow(ctx, DriftRunExists(ph), run.ID)(&n); err != nil {
			return b.errorf("write drift run", err)
		}
		if n > 0 {
			return fmt.Errorf("%w: drift run %s is already stored", store.ErrBadQuery, run.ID)
		}
		if _, err := tx.Exec(ctx, InsertDriftRun(ph), b.storable(v)...); err != nil {
			return b.errorf("write drift run", err)
		}
		for start := 0; start < len(run.Results); start += DriftResultsPerInsert {
			batch := run.Results[start:min(start+DriftResultsPerInsert, len(run.Results))]
			args := make([]any, 0, len(batch)*len(DriftResultColumns))
			for i := range batch {
				args = append(args, b.storable(DriftResultValues(run.ID, start+i, &batch[i]))...)
			}
			if _, err := tx.Exec(ctx, InsertDriftResults(len(batch), ph), args...); err != nil {
				return b.errorf("write drift results", err)
			}
		}
		return nil
	})
}

// DriftRuns implements store.DriftLog.
func (b *Backend) DriftRuns(ctx context.Context, f store.DriftFilter) ([]*store.DriftRun, error) {
	q, args, err := DriftRuns(f, b.d.Placeholder)
	if err != nil {
		return nil, err
	}
	return collect(ctx, b, "drift runs", q, args, ScanDriftRun)
}

// DriftResults implements store.DriftLog.
func (b *Backend) DriftResults(ctx context.Context, id string) ([]store.DriftResult, error) {
	var n int
	if err := b.read.QueryRow(ctx, DriftRunExists(b.d.Placeholder), id)(&n); err != nil {
		return nil, b.errorf("drift results", err)
	}
	if n == 0 {
		return nil, store.ErrNotFound
	}
	out, err := collect(ctx, b, "drift results", DriftResults(b.d.Placeholder), []any{id}, ScanDriftResult)
	if err == nil && out == nil {
		out = []store.DriftResult{}
	}
	return out, err
}

// PinDriftBaseline implements store.DriftLog.
func (b *Backend) PinDriftBaseline(ctx context.Context, set, deployment string, ids []string) error {
	ids = UniqueIDs(ids)
	ph := b.d.Placeholder
	return b.tx(ctx, "pin drift baseline", func(tx Conn) error {
		if len(ids) > 0 {
			q, args := CountDriftRuns(set, deployment, ids, ph)
			var n int
			if err := tx.QueryRow(ctx, q, args...)(&n); err != nil {
				return b.errorf("pin drift baseline", err)
			}
			if n != len(ids) {
				return fmt.Errorf("%w: %d of the %d runs are not runs of set %q on %q", store.ErrNotFound, len(ids)-n, len(ids), set, deployment)
			}
		}
		if _, err := tx.Exec(ctx, UnpinDriftRuns(ph), false, set, deployment, true); err != nil {
			return b.errorf("pin drift baseline", err)
		}
		if len(ids) > 0 {
			q, args := PinDriftRuns(ids, ph)
			if _, err := tx.Exec(ctx, q, args...); err != nil {
				return b.errorf("pin drift baseline", err)
			}
		}
		return nil
	})
}

// DriftSpend implements store.DriftLog.
func (b *Backend) DriftSpend(ctx context.Context, since time.Time) (float64, error) {
	var usd float64
	if err := b.read.QueryRow(ctx, DriftSpend(b.d.Placeholder), since.UnixNano())(&usd); err != nil {
		return 0, b.errorf("drift spend", err)
	}
	return usd, nil
}

// SignalRows implements store.DriftLog.
func (b *Backend) SignalRows(ctx context.Context, q store.SignalQuery, fn func(*store.SignalRow) error) error {
	sq, args := SignalRows(q, b.d.Placeholder)
	var r store.SignalRow
	return b.each(ctx, "signal rows", sq, args, func(rows Rows) error {
		if err := ScanSignalRow(rows.Scan, &r); err != nil {
			return err
		}
		return fn(&r)
	})
}

// WriteFeedback implements store.FeedbackLog: the rows in one
// transaction.
func (b *Backend) WriteFeedback(ctx context.Context, rows []*store.Feedback) error {
	rows = DedupeFeedback(rows)
	if len(rows) == 0 {
		return nil
	}
	args := make([][]any, len(rows))
	for i, f := range rows {
		v, err := FeedbackValues(f)
		if err != nil {
			return err
		}
		args[i] = b.storable(v)
	}
	return b.tx(ctx, "write feedback", func(tx Conn) error {
		for len(args) > 0 {
			n := min(len(args), b.perInsert(len(FeedbackColumns)))
			flat := make([]any, 0, n*len(FeedbackColumns))
			for _, v := range args[:n] {
				flat = append(flat, v...)
			}
			if _, err := tx.Exec(ctx, InsertFeedback(n, b.d.Placeholder), flat...); err != nil {
				return b.errorf("write feedback", err)
			}
			args = args[n:]
		}
		return nil
	})
}

// ListFeedback implements store.FeedbackLog.
func (b *Backend) ListFeedback(ctx context.Context, scope store.Scope, f store.FeedbackFilter) (store.FeedbackPage, error) {
	q, args, limit, err := ListFeedback(scope, f, b.d.Placeholder)
	if err != nil {
		return store.FeedbackPage{}, err
	}
	return page(ctx, b, "list feedback", q, args, limit, FeedbackPage)
}

// Outcomes implements store.FeedbackLog.
func (b *Backend) Outcomes(ctx context.Context, scope store.Scope, q store.OutcomeQuery, fn func(*store.Outcome) error) error {
	sq, args := Outcomes(scope, q, b.d.Placeholder)
	var o store.Outcome
	return b.each(ctx, "outcomes", sq, args, func(rows Rows) error {
		if err := ScanOutcome(rows.Scan, &o); err != nil {
			return err
		}
		return fn(&o)
	})
}
