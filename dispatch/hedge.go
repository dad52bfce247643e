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
	// req is the request the member was sent, and clamped the max_tokens
	// a refusal of it lowered it to (zero when not lowered).
	req     *llm.Request
	clamped int
}

// hedged runs a, and b too if a has no first chunk by the hedge threshold
// (or fails first); the first to stream wins and the other is cancelled.
// Hedged attempts are not retried. The run is told every failure as it
// comes (r.fail; served then names the member that failed), so that it
// weighs both members' errors as it would two candidates tried in turn:
// one member's context window overflow or model_unsupported refusal is
// not lost when the other then fails with a 5xx. A member's
// content-policy rejection, where the plan passes refusals over
// (passHedgeRefusal), leaves the other member to answer. A member refusing
// max_tokens with its output limit stated is sent the request again at
// once lowered to it, and one refused by fast mode's own rate limit at
// standard speed, as tryTarget does, while the other keeps running.
func (r *run) hedged(req *llm.Request, a, b step) (*Stream, error) {
	d, ctx, plan, served, attempts := r.d, r.ctx, r.plan, r.served, &r.attempts
	results := make(chan hedgeResult, 2)
	calls := make(map[*Target]hedgeCall, 2)
	running := 0
	start := func(st step) bool { return r.launchHedged(req, st, 0, results, calls, running > 0) }
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
		case res := <-results:
			running--
			if res.s != nil {
				serve(served, res.step.t, res.step.tier, *attempts)
				served.ClampedMaxTokens, served.NoResponsesRoute = res.clamped, res.s.viaChat
				d.abandon(plan, calls, res.step.t, results, running)
				return res.s, nil
			}
			calls[res.step.t].cancel()
			if r.retryHedged(res, results, calls, running > 0) {
				running++
				continue
			}
			serve(served, res.step.t, res.step.tier, *attempts) // the deployment that last failed
			r.fail(res.err)
			last = res.err
			if stop(ctx, res.err) && !r.passHedgeRefusal(res.step, res.err, running > 0 || !bStarted) {
				d.abandon(plan, calls, nil, results, running)
				return nil, res.err
			}
			startB()
		}
	}
	if last == nil {
		last = r.pairUnavailable(a, b)
	}
	return nil, last
}

// pairUnavailable is the error of a hedged pair of which neither was
// called, kept away by open breakers or rate limit windows, told to the
// run: a 503 saying when the first is back.
func (r *run) pairUnavailable(a, b step) error {
	e := llm.Errorf(llm.KindUnavailable, "deployments %s and %s are unavailable: their circuit breakers are open or they are rate limited", a.t.Deployment.Name, b.t.Deployment.Name)
	e.RetryAfter = r.d.soonestBack(a.t, b.t)
	r.fail(e)
	return e
}

// passHedgeRefusal reports whether err, the content-policy rejection
// of st, a member of a hedged pair, is passed over for the other member,
// which runs or is yet to start (other): so it is when the plan passes
// st's refusals over to the next candidate, which the other member is. It
// tells plan.OnRefusalPassed when it is.
func (r *run) passHedgeRefusal(st step, err error, other bool) bool {
	if !other || !contentFilterError(err) || !r.plan.RefusalFallback && !st.onRefusal {
		return false
	}
	if f := r.plan.OnRefusalPassed; f != nil {
		f(&st.t.Deployment, nil)
	}
	return true
}

// soonestBack is how long until the first of ts, kept away by an open
// breaker or a rate limit window, may be called again; 0 when health
// does not say.
func (d *Dispatcher) soonestBack(ts ...*Target) time.Duration {
	var soonest time.Duration
	if d.opts.Health == nil {
		return 0
	}
	for _, t := range ts {
		w := d.opts.Health.RateLimitRemaining(t.Deployment.Name)
		if w <= 0 {
			w = d.opts.Health.Status(t.Deployment.Name).RetryIn
		}
		if w > 0 && (soonest == 0 || w < soonest) {
			soonest = w
		}
	}
	return soonest
}

// hedgeCall is one running call of a hedged pair.
type hedgeCall struct {
	cancel context.CancelFunc
	slot   slot
}

// abandon cancels every attempt but keep's and closes the streams of
// those still to report, without waiting for them. A loser whose first
// chunk is already in hand is closed at once and told to
// plan.OnAbandon; the others are logged as canceled now: the request
// is done with them.
func (d *Dispatcher) abandon(plan *Plan, calls map[*Target]hedgeCall, keep *Target, results chan hedgeResult, running int) {
	for ; running > 0; running-- {
		var r hedgeResult
		select {
		case r = <-results:
		default:
		}
		if r.s == nil && r.err == nil {
			break // nothing more in hand
		}
		if r.s != nil {
			d.lost(plan, r.s)
		}
	}
	now := d.opts.Now()
	for t, c := range calls {
		if t != keep {
			c.cancel()
			c.slot.log.end(c.slot.i, OutcomeCanceled, llm.KindCanceled, 0, now)
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

// lost closes the stream of a hedge that lost the race after its first
// chunk came, and tells plan.OnAbandon what it had produced.
func (d *Dispatcher) lost(plan *Plan, s *Stream) {
	var acc llm.Accumulator
	for _, c := range s.pending {
		acc.Add(c)
	}
	s.Close()
	if plan.OnAbandon != nil {
		plan.OnAbandon(s.slot.i, s.Deployment(), acc.Response(), errHedgeLost)
	}
}

// errHedgeLost is the error OnAbandon gets for a hedge that lost.
var errHedgeLost = &llm.Error{Kind: llm.KindCanceled, Message: "another attempt of the hedged pair streamed first"}

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

// launchHedged calls st's deployment for a hedged pair in a goroutine of
// its own, its result sent on results and its cancel and slot kept in
// calls; hedge says whether the other member still runs. It reports
// false when st cannot be called now: in a rate limit window (the other
// may answer now) or refused a slot by its breaker.
func (r *run) launchHedged(req *llm.Request, st step, clamped int, results chan<- hedgeResult, calls map[*Target]hedgeCall, hedge bool) bool {
	d := r.d
	if d.opts.Health != nil && d.opts.Health.RateLimitRemaining(st.t.Deployment.Name) > 0 {
		return false
	}
	probe, ok := d.acquire(st.t)
	if !ok {
		return false
	}
	r.attempts++
	hctx, cancel := context.WithCancel(r.ctx)
	sl := d.begin(r.plan, st, hedge, false) // a hedge when the other still runs
	calls[st.t] = hedgeCall{cancel: cancel, slot: sl}
	sent := d.fastOff(req, st.t).MaxTokensAtMost(st.maxTokens).MaxTokensAtMost(clamped).WithoutHosted(st.dropHosted)
	plan := r.plan // the goroutine keeps the plan, not the run: a run that hedges none stays on its caller's stack
	go func() {
		s, err := d.attempt(hctx, sent, plan, st.t, st.ttft, probe, sl)
		if s != nil {
			s.cancelParent = cancel
		}
		results <- hedgeResult{s: s, err: err, step: st, req: sent, clamped: clamped}
	}()
	return true
}

// retryHedged calls res's member of a hedged pair again, at once, as
// tryTarget does: at standard speed when fast mode's own rate limit
// refused it; with max_tokens lowered to the output limit its refusal
// states when the member may be lowered (step.lowers) and was not yet.
// It reports whether it did; hedge says whether the other member still
// runs.
func (r *run) retryHedged(res hedgeResult, results chan<- hedgeResult, calls map[*Target]hedgeCall, hedge bool) bool {
	if r.ctx.Err() != nil {
		return false
	}
	if fastLimited(res.err) && res.req.WantsFast() {
		return r.launchHedged(res.req.AtStandardSpeed(), res.step, res.clamped, results, calls, hedge)
	}
	n := lowered(res.req, res.err)
	if !res.step.lowers || res.clamped != 0 || n == 0 {
		return false
	}
	return r.launchHedged(res.req, res.step, n, results, calls, hedge)
}
