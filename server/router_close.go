package server

import (
	"context"
	"errors"

	"switchyard/audit"
	"switchyard/gateway"
)

// This file holds the Router's life after NewRouter: the configuration
// serving now, and closing what it built.

// retention is the audit section of the configuration serving now.
func (r *Router) retention() audit.Retention {
	a := r.gens.cur.Load().cfg.Audit
	if a.Forever() {
		return audit.Retention{}
	}
	return audit.Retention{Age: a.Retention, Keep: a.KeepVersions}
}

// Current returns the gateway of the configuration serving now.
func (r *Router) Current() *gateway.Gateway { return r.gens.cur.Load().gw }

// Close drains the background responses (Server.Serve's drain does it
// first when it ran), stops the keyring's reloads of the managed keys and the gateway's
// background work (semantic routes' embedding calls), then flushes the request records to their sinks, the spans made
// of them, and the request log's rows and the implicit feedback to the
// store, waiting at most until ctx ends, and closes the shared state back
// end (every request has settled its budgets before its record was
// queued; the limiter's settlements, the audit trail's writes and the
// thinking memory's writes to the shared tier are waited for). The store stays open: its opener closes it.
func (r *Router) Close(ctx context.Context) error {
	var bgErr error
	if r.batches != nil { // its requests use the gateway and are recorded
		bgErr = r.batches.runner.Close(ctx)
	}
	if r.background != nil { // its jobs use the gateway and are recorded
		bgErr = errors.Join(bgErr, r.background.Close(ctx))
	}
	r.drift.close()  // its runs use the gateway's providers and write to the store
	r.budgets.Wait() // settlements in flight raise their alerts while the notifier still posts them
	r.stopKeys()
	<-r.bgDone
	r.Current().Close()
	// The audit trail first: nothing records to it once the requests
	// ended, and a request log the writer retries until ctx ends (the
	// database down) must not leave it no time to write its queue.
	auditErr := r.Audit.Close(ctx)
	err := errors.Join(auditErr, r.Recorder.Close(ctx), r.closeTraces(ctx))
	if r.Writer != nil {
		err = errors.Join(err, r.Writer.Close(ctx))
	}
	if r.Learner != nil {
		err = errors.Join(err, r.Learner.Close(ctx))
	}
	if r.Adaptive != nil { // after the records and the feedback it learns from
		err = errors.Join(err, r.Adaptive.Close(ctx))
	}
	r.budgets.Wait()  // settlements still in flight, before their back end closes
	r.Limiter.Close() // its settlements still in flight, before their back end closes
	// The thinking memory's queued writes to the shared state, before it closes.
	err = errors.Join(err, r.thoughts.Close(ctx))
	return errors.Join(bgErr, err, r.State.Close())
}

// closeParts closes what NewRouter built before it failed.
func (r *Router) closeParts(ctx context.Context) {
	r.drift.close()
	if r.Gateway != nil {
		r.Gateway.Close()
	}
	if r.Adaptive != nil {
		r.Adaptive.Close(ctx)
	}
	_ = r.thoughts.Close(ctx) // before State: its shared tier writes there
	if r.State != nil {
		r.State.Close()
	}
	r.Recorder.Close(ctx)
	if r.traces != nil {
		r.traces.Shutdown(ctx)
	}
	if r.Writer != nil {
		r.Writer.Close(ctx)
	}
	if r.Learner != nil {
		r.Learner.Close(ctx)
	}
	if r.Limiter != nil {
		r.Limiter.Close()
	}
	r.Audit.Close(ctx)
}
