package batch

import (
	"context"
	"errors"
	"time"

	"switchyard/store"
)

// This file waits on the provider batches a batch sent: each polled
// until it ends, its answers kept, the lines it left sent back to the
// router; cancelled with the batch or at its expiry, and then waited on
// until it ends all the same (drain.go), for the answers it gave before.

// await polls the provider batch f every poll interval (longer while
// polls fail) until it ends, then keeps its answers to lines; it
// returns the lines to run on the router: those the provider did not
// answer, or answered with an error a live request would retry. A batch
// cancelled, or expired, cancels f and keeps what it answered before
// (drain); the lines it did not answer are returned at an expiry (the
// router leaves them unrun, batch_expired), not at a cancel. A shutdown
// leaves f to the next run.
func (j *job) await(f store.BatchForward, lines []Line) []Line {
	interval := j.r.opts.PollInterval
	wait := interval
	for {
		t := time.NewTimer(wait)
		select {
		case <-j.ctx.Done():
			t.Stop()
			if errors.Is(context.Cause(j.ctx), ErrCancelled) {
				j.cancelled()
				if _, ok := j.drain(f, lines, j.cancelDeadline()); !ok {
					j.cut.Store(true)
				}
			}
			return nil
		case <-t.C:
		}
		if exp := j.obj.ExpiresAt; exp != nil && j.r.opts.Now().Unix() >= *exp {
			left, ok := j.drain(f, lines, time.Unix(*exp, 0).Add(drainTimeout))
			if !ok {
				j.cut.Store(true)
			}
			return left
		}
		retry, ok := j.collect(j.ctx, f, lines)
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
// it ended and its results were read (retry the lines it did not answer,
// their holds released); a nil retry with !ok means it still runs, a
// non-nil one that polling failed. The provider is asked within ctx.
func (j *job) collect(ctx context.Context, f store.BatchForward, lines []Line) (retry []Line, ok bool) {
	ctx, cancel := context.WithTimeout(ctx, providerTimeout)
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
		j.keepRetries(retry) // after: a resume finding it kept holds none of it again
		j.r.opts.Logger.Info("batches: lines a provider batch did not answer", "batch", j.b.ID, "provider_batch", f.ID, "lines", len(retry))
	}
	return retry, true
}

// cancelForward asks the provider to cancel f, in the background of
// the batch's own context (which may be done); not one found unproven
// (resolve): it may be another's.
func (j *job) cancelForward(f store.BatchForward) {
	if _, ok := j.unproven.Load(f.ID); ok {
		j.r.opts.Logger.Warn("batches: a provider batch not proven this batch's is not cancelled; it is awaited", "batch", j.b.ID, "provider_batch", f.ID)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
	defer cancel()
	if err := j.r.opts.Forward.Cancel(ctx, j.owner(), f); err != nil {
		j.r.opts.Logger.Warn("batches: cancelling a provider batch failed", "batch", j.b.ID, "provider_batch", f.ID, "err", err)
	}
}
