package dispatch

import (
	"context"
	"time"

	"switchyard/llm"
)

type hedgeResult struct {
	s    *Stream
	err  error
	step step
}

// hedged runs a, and b too if a has no first chunk by the hedge threshold
// (or fails first); the first to stream wins and the other is cancelled.
// Hedged attempts are not retried.
func (d *Dispatcher) hedged(ctx context.Context, req *llm.Request, plan *Plan, a, b step, served *llm.Served, attempts *int) (*Stream, error) {
	results := make(chan hedgeResult, 2)
	cancels := make(map[*Target]context.CancelFunc, 2)
	start := func(st step) bool {
		if d.opts.Health != nil && d.opts.Health.RateLimitRemaining(st.t.Deployment.Name) > 0 {
			return false // in a rate limit window: the other may answer now
		}
		probe, ok := d.acquire(st.t)
		if !ok {
			return false
		}
		*attempts++
		hctx, cancel := context.WithCancel(ctx)
		cancels[st.t] = cancel
		go func() {
			s, err := d.attempt(hctx, req, plan, st.t, st.ttft, probe)
			if s != nil {
				s.cancelParent = cancel
			}
			results <- hedgeResult{s: s, err: err, step: st}
		}()
		return true
	}
	running := 0
	if start(a) {
		running++
	}
	fire := make(chan struct{}, 1)
	timer := d.opts.AfterFunc(d.hedgeThreshold(plan, a.t), func() { fire <- struct{}{} })
	defer timer.Stop()
	bStarted := false
	startB := func() {
		if !bStarted {
			bStarted = true
			if start(b) {
				running++
			}
		}
	}
	if running == 0 {
		startB()
	}
	var last error
	for running > 0 {
		select {
		case <-fire:
			startB()
			continue
		case r := <-results:
			running--
			if r.s != nil {
				serve(served, r.step.t, r.step.tier, *attempts)
				d.abandon(cancels, r.step.t, results, running)
				return r.s, nil
			}
			cancels[r.step.t]()
			serve(served, r.step.t, r.step.tier, *attempts) // the deployment that last failed
			last = r.err
			if stop(ctx, r.err) {
				d.abandon(cancels, nil, results, running)
				return nil, r.err
			}
			startB()
		}
	}
	if last == nil {
		last = llm.Errorf(llm.KindUnavailable, "deployments %s and %s are unavailable: their circuit breakers are open or they are rate limited", a.t.Deployment.Name, b.t.Deployment.Name)
	}
	return nil, last
}

// abandon cancels every attempt but keep's and closes the streams of
// those still to report, without waiting for them.
func (d *Dispatcher) abandon(cancels map[*Target]context.CancelFunc, keep *Target, results chan hedgeResult, running int) {
	for t, c := range cancels {
		if t != keep {
			c()
		}
	}
	if running == 0 {
		return
	}
	go func() {
		for ; running > 0; running-- {
			if r := <-results; r.s != nil {
				r.s.Close()
			}
		}
	}()
}

// hedgeThreshold is how long the first of a hedged pair runs alone.
func (d *Dispatcher) hedgeThreshold(plan *Plan, t *Target) time.Duration {
	if plan.HedgeQuantile > 0 && d.opts.Health != nil {
		if q := d.opts.Health.TTFTQuantile(t.Deployment.Name, plan.HedgeQuantile); q > 0 {
			return q
		}
	}
	if plan.HedgeAfter > 0 {
		return plan.HedgeAfter
	}
	return 500 * time.Millisecond
}
