package batch

import (
	"context"
	"errors"
	"slices"
	"time"

	"switchyard/store"
)

// This file waits on the provider batches a batch sent: each polled
// until it ends, its answers kept, the lines it left sent back to the
// router; cancelled with the batch or at its expiry.

// await polls the provider batch f every poll interval (longer while
// polls fail) until it ends, then keeps its answers to lines; it
// returns the lines to run on the router: those the provider did not
// answer, or answered with an error a live request would retry, and
// all of them when the batch expired meanwhile (the router leaves them
// unrun). A batch cancelled cancels f; a shutdown leaves it to the
// next run.
func (j *job) await(f store.BatchForward, lines []Line) []Line {
	interval := j.r.opts.PollInterval
	wait := interval
	for {
		t := time.NewTimer(wait)
		select {
		case <-j.ctx.Done():
			t.Stop()
			if errors.Is(context.Cause(j.ctx), ErrCancelled) {
				j.cancelForward(f)
				j.unhold(lines)
			}
			return nil
		case <-t.C:
		}
		if exp := j.obj.ExpiresAt; exp != nil && j.r.opts.Now().Unix() >= *exp {
			j.cancelForward(f)
			j.unhold(lines)
			return lines
		}
		retry, ok := j.collect(f, lines)
		if ok {
			return retry
		}
		wait = min(wait*2, maxPollBackoff*interval)
		if retry == nil {
			wait = interval // still running: no backoff
		}
	}
}

// collect polls f and, once it ended, keeps its answers; ok reports that
// it ended and its results were read (retry the lines to run on the
// router); a nil retry with !ok means it still runs, a non-nil one that
// polling failed.
func (j *job) collect(f store.BatchForward, lines []Line) (retry []Line, ok bool) {
	ctx, cancel := context.WithTimeout(j.ctx, providerTimeout)
	defer cancel()
	ended, err := j.r.opts.Forward.Poll(ctx, j.owner(), f)
	if err != nil {
		j.r.opts.Logger.Warn("batches: polling a provider batch failed; it is polled again", "batch", j.b.ID, "provider_batch", f.ID, "err", err)
		return []Line{}, false
	}
	if !ended {
		return nil, false
	}
	done, retry, err := j.r.opts.Forward.Results(ctx, j.owner(), j.obj.Endpoint, f, lines)
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a provider batch's results failed; it is read again", "batch", j.b.ID, "provider_batch", f.ID, "err", err)
		return []Line{}, false
	}
	for _, o := range done {
		data, failed := answered(o.Line, o.Result)
		j.keep(o.Line, data, failed)
	}
	if len(retry) > 0 {
		j.unhold(retry)
		j.r.opts.Logger.Info("batches: lines a provider batch did not answer run on the router", "batch", j.b.ID, "provider_batch", f.ID, "lines", len(retry))
	}
	return retry, true
}

// cancelForward asks the provider to cancel f, in the background of
// the batch's own context (which may be done).
func (j *job) cancelForward(f store.BatchForward) {
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := j.r.opts.Forward.Cancel(ctx, j.owner(), f); err != nil {
		j.r.opts.Logger.Warn("batches: cancelling a provider batch failed", "batch", j.b.ID, "provider_batch", f.ID, "err", err)
	}
}

// cancelKept cancels the provider batches kept of a batch cancelled
// while no router ran it (its router stopped before the cancel reached
// it) that hold lines without a result (a pending one found by its key
// first).
func (j *job) cancelKept() {
	if j.r.opts.Forward == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	kept, err := j.r.opts.Log.BatchForwards(ctx, j.b.Tenant, j.b.ID)
	var done []store.BatchLine
	if err == nil && len(kept) > 0 {
		done, err = j.r.opts.Log.BatchLines(ctx, j.b.Tenant, j.b.ID)
	}
	cancel()
	if err == nil {
		kept, err = j.resolve(kept)
	}
	if err != nil {
		j.r.opts.Logger.Warn("batches: reading a cancelled batch's provider batches failed; they are not cancelled", "batch", j.b.ID, "err", err)
		return
	}
	ran := make(map[int]bool, len(done))
	for _, l := range done {
		ran[l.Index] = true
	}
	var open []int
	for _, f := range kept {
		if slices.ContainsFunc(f.Lines, func(i int) bool { return !ran[i] }) {
			j.cancelForward(f)
			open = append(open, slices.DeleteFunc(slices.Clone(f.Lines), func(i int) bool { return ran[i] })...)
		}
	}
	if len(open) > 0 {
		j.unholdIndexes(open)
	}
}
