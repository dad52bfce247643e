package background

import (
	"context"
	"time"

	"switchyard/internal/periodic"
	"switchyard/llm"
	"switchyard/store"
	wireresp "switchyard/wire/responses"
)

// This file keeps the leases: the runner renews those of the jobs it
// holds, and stops the jobs whose response the store says no longer
// runs; any runner fails the responses whose lease ended, their router
// having stopped without finishing them.

// sweepBatch is how many expired responses one sweep reads at a time.
const sweepBatch = 100

// storeTimeout bounds each of the loops' store calls.
const storeTimeout = 10 * time.Second

// renewLoop renews the leases every RenewEvery until ctx ends.
func (r *Runner) renewLoop(ctx context.Context) {
	defer r.loops.Done()
	periodic.Run(ctx, r.opts.RenewEvery, r.renew,
		func(err error) {
			r.opts.Logger.Warn("background: renewing the leases of the responses running here failed; other routers fail them once their lease ends", "err", err)
		},
		func() { r.opts.Logger.Info("background: leases renewed again") })
}

// renew renews the leases of the jobs held and stops those the store
// says no longer run.
func (r *Runner) renew(ctx context.Context) error {
	ids := r.heldIDs()
	if len(ids) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	stopped, err := r.opts.Log.RenewLeases(ctx, ids, r.LeaseEnd())
	if err != nil {
		return err
	}
	for _, id := range stopped {
		r.Cancel(id, ErrStopped)
	}
	return nil
}

// PruneEvery is how often a runner erases the events past
// Options.EventsRetention.
const PruneEvery = 10 * time.Minute

// sweepLoop fails the responses whose lease ended, at once and then
// every SweepEvery, and erases the events past their retention, at once
// and then every PruneEvery, until ctx ends.
func (r *Runner) sweepLoop(ctx context.Context) {
	defer r.loops.Done()
	t := time.NewTicker(r.opts.SweepEvery)
	defer t.Stop()
	var pruned time.Time
	for {
		if err := r.Sweep(ctx); err != nil && ctx.Err() == nil {
			r.opts.Logger.Warn("background: failing the responses whose router stopped failed; the next sweep tries again", "err", err)
		}
		if r.opts.EventsRetention > 0 && time.Since(pruned) >= PruneEvery {
			pruned = time.Now()
			r.pruneEvents(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// pruneEvents erases the events of the ended responses created more than
// EventsRetention ago.
func (r *Runner) pruneEvents(ctx context.Context) {
	ctx, cancel := context.WithTimeout(ctx, storeTimeout)
	defer cancel()
	n, err := r.opts.Log.DeleteEvents(ctx, time.Now().Add(-r.opts.EventsRetention))
	switch {
	case err != nil && ctx.Err() == nil:
		r.opts.Logger.Warn("background: erasing the streamed events past responses.background.events_retention failed; the next run tries again", "err", err)
	case n > 0:
		r.opts.Logger.Info("background: erased streamed events past their retention", "batches", n)
	}
}

// LeaseExpired is the error a response whose lease ended fails with.
func LeaseExpired(lease time.Time) *llm.Error {
	return &llm.Error{Kind: llm.KindUnavailable, Code: "background_lease_expired", Retryable: true,
		Message: "The router running this background response stopped before it finished (its lease ended at " +
			lease.UTC().Format(time.RFC3339) + " without being renewed). Create the response again."}
}

// Sweep fails every response whose lease ended (store.BackgroundLog's
// ExpiredLeases): its object restatused failed with LeaseExpired, and a
// streamed one's events ended with response.failed and an error event,
// numbered past any its router may have sent without storing.
func (r *Runner) Sweep(ctx context.Context) error {
	for {
		sctx, cancel := context.WithTimeout(ctx, storeTimeout)
		expired, err := r.opts.Log.ExpiredLeases(sctx, time.Now(), sweepBatch)
		if err == nil {
			for _, resp := range expired {
				if err = r.fail(sctx, resp); err != nil {
					break
				}
			}
		}
		cancel()
		if err != nil || len(expired) < sweepBatch {
			return err
		}
	}
}

// fail fails one response whose lease ended, unless another router did
// first or its runner renewed it meanwhile; a streamed one's last events
// (response.failed, error) are written with its status, so a client
// following it that finds it failed finds them too (written after it,
// a follower could end the stream between the two without them).
func (r *Runner) fail(ctx context.Context, resp *store.Response) error {
	e := LeaseExpired(resp.Lease)
	object := wireresp.Restatus(resp.Object, resp.ID, store.StatusFailed, e)
	var last *store.EventBatch
	if resp.Background == store.BackgroundStream {
		batches, err := r.opts.Log.Events(ctx, store.AllTenants(), resp.ID, -1, time.Now())
		if err != nil {
			return err
		}
		next := int64(unstoredMax)
		if len(batches) > 0 {
			next += batches[len(batches)-1].Last + 1
		}
		last = &store.EventBatch{First: next, Last: next + 1, Data: wireresp.FailedEvents(nil, next, object, e)}
	}
	ok, err := r.opts.Log.FailExpired(ctx, resp, object, last)
	if err != nil || !ok {
		return err
	}
	r.opts.Metrics.expired()
	r.opts.Logger.Warn("background: a response's router stopped before it finished; it is failed", "response", resp.ID, "lease", resp.Lease)
	return nil
}
