package batch

import (
	"context"
	"strconv"
	"time"

	"switchyard/store"
)

// This file keeps the budget holds of a batch's forwarded lines in step
// with where the lines are (docs/budgets.md#batch-lines): a line's
// estimate is held from its submission (Forwarder.Split) until its result
// is settled (Forwarder.Results), and released when it goes back to run
// on the router, is cancelled or expires; a run resuming the batch holds
// again the lines at the provider, in case the holds were lost (a state
// back end in memory, restarted).

// HoldMargin is how long a forwarded line's hold outlives its batch's
// window: long enough for the results of a provider batch that ended at
// the window's end to be read and settled, short enough that the holds of
// a batch whose routers all died are freed the same day.
const HoldMargin = time.Hour

// HoldID is the name of the budget hold of line index of batch: the same
// on every router.
func HoldID(batch string, index int) string { return batch + ":" + strconv.Itoa(index) }

// holdUntil is when the batch's holds lapse: its expiry and HoldMargin
// (a batch without one: a day from now).
func (j *job) holdUntil() time.Time {
	if j.obj != nil && j.obj.ExpiresAt != nil {
		return time.Unix(*j.obj.ExpiresAt, 0).Add(HoldMargin)
	}
	return j.r.opts.Now().Add(24*time.Hour + HoldMargin)
}

// rehold holds again the lines of kept, the provider batches a previous
// run sent, that have no result yet (among pending).
func (j *job) rehold(kept []store.BatchForward, pending []Line) {
	for _, f := range kept {
		if lines := linesOf(pending, f.Lines); len(lines) > 0 {
			ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
			j.r.opts.Forward.Hold(ctx, j.owner(), j.obj.Endpoint, f, lines)
			cancel()
		}
	}
}

// unhold releases the holds of lines.
func (j *job) unhold(lines []Line) {
	if len(lines) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	j.r.opts.Forward.Release(ctx, j.owner(), j.obj.Endpoint, lines)
}
