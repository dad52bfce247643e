package dispatch

import (
	"context"
	"errors"
	"fmt"
	"time"

	"switchyard/llm"
	"switchyard/provider"
)

// Stream runs plan and returns the stream of the first attempt that
// produced a first chunk (already read and replayed by Next). served is
// filled as attempts are made. The caller must Close the stream. Errors
// are *llm.Error values: the caller's own mistakes at once, otherwise the
// last upstream failure once every tier has failed, or a timeout when the
// deadline passed.
func (d *Dispatcher) Stream(ctx context.Context, req *llm.Request, plan *Plan, served *llm.Served) (*Stream, error) {
	return d.newRun(ctx, req, plan, served).next()
}

// run is one request's way through its plan. next may be called again
// after a stream it returned failed, to go on with the targets not yet
// tried (within the same deadline, attempts counted on).
type run struct {
	d      *Dispatcher
	ctx    context.Context
	req    *llm.Request
	plan   *Plan
	served *llm.Served
	steps  []step
	i      int // the next step to try
	// attempts counts upstream calls made so far.
	attempts  int
	last      error
	pinErr    error
	pinServed llm.Served
	// tooLong is the latest context_length_exceeded rejection, and
	// tooSmall the largest context window it was seen on: only candidates
	// with a larger window are tried after one.
	tooLong  *llm.Error
	tooSmall int
	// noResume leaves the streams it returns unarmed for resumption:
	// Chat fails over to a fresh answer instead, since nothing of the
	// broken one reached the client.
	noResume bool
	// kept is the refusal passed over for the next candidates, the answer
	// should none answer otherwise (refusal.go); nil when there is none.
	kept *keptRefusal
	// refusedErr is the latest content-policy rejection passed over, the
	// error to answer with when no candidate answers and none refused
	// with an answer.
	refusedErr error
	// misfit is the most informative model_unsupported refusal so far
	// (misfit.go), and misfits how many candidates refused so.
	misfit   *llm.Error
	misfits  int
	misfitBy string
}

func (d *Dispatcher) newRun(ctx context.Context, req *llm.Request, plan *Plan, served *llm.Served) *run {
	return &run{d: d, ctx: ctx, req: req, plan: plan, served: served, steps: d.flatten(plan)}
}

// next tries the remaining steps in order and returns the first stream
// that produced a first chunk, or the error to answer with.
func (r *run) next() (*Stream, error) {
	d, plan, served := r.d, r.plan, r.served
	hedging := plan.HedgeAfter > 0 || plan.HedgeQuantile > 0
	for ; r.i < len(r.steps); r.i++ {
		if r.tooLong != nil && r.steps[r.i].t.Deployment.ContextWindow <= r.tooSmall {
			continue // its window is not larger than one the request did not fit
		}
		if r.steps[r.i].onRefusal && r.kept == nil && r.refusedErr == nil {
			continue // a client's refusal fallback: nothing refused
		}
		var s *Stream
		var err error
		req := r.stepRequest(r.i)
		if hedging && r.i+1 < len(r.steps) && r.hedgeable(r.i) {
			s, err = r.hedged(req, r.steps[r.i], r.steps[r.i+1])
			r.i++
		} else if s, err = d.tryTarget(r.ctx, req, plan, r.steps[r.i], served, &r.attempts, false); err != nil {
			r.fail(err)
		}
		if s != nil {
			plan.Attempts.serve(s.slot.i)
			if n := r.refusalNext(r.i); !r.noResume && n > 0 && refusedAtStart(s.pending) {
				r.keepStream(s)
				r.i = n - 1
				continue // the loop moves on to step n
			}
			r.i++
			if !r.noResume {
				r.dropKept()
				d.resumable(r.ctx, req, plan, s, r.alike(r.i-1), served)
			}
			return s, nil
		}
		n := r.refusalNext(r.i)
		if n > 0 && r.ctx.Err() == nil && contentFilterError(err) {
			r.passRejection()
			r.i = n - 1
			continue
		}
		if stop(r.ctx, err) {
			return nil, finalError(r.ctx, err)
		}
	}
	if r.kept != nil && r.kept.stream != nil && r.ctx.Err() == nil {
		return r.useKept().stream, nil
	}
	if r.tooLong != nil && r.ctx.Err() == nil {
		return nil, r.contextError()
	}
	if r.pinErr != nil && r.ctx.Err() == nil {
		r.pinServed.Attempts = r.attempts
		*served = r.pinServed
		return nil, Misconfigured(llm.AsError(r.pinErr))
	}
	last := r.last
	if r.refusedErr != nil && r.ctx.Err() == nil {
		last = r.refusedErr
	} else if r.misfit != nil && r.ctx.Err() == nil {
		return nil, r.misfitError()
	}
	if last == nil {
		last = llm.Errorf(llm.KindUnavailable, "no deployment can take this request now: every candidate's circuit breaker is open; retry shortly")
	}
	return nil, finalError(r.ctx, last)
}

// fail notes err as the latest failure (and the pinned deployment's own).
func (r *run) fail(err error) {
	r.last = err
	if r.refusesOver() && contentFilterError(err) {
		r.refusedErr = err
	}
	r.noteMisfit(err)
	if e := llm.AsError(err); e.Code == llm.CodeContextLength {
		r.tooLong = e
		if w := r.window(r.served.Deployment); w > r.tooSmall {
			r.tooSmall = w
		}
	}
	if r.plan.Pinned != "" && r.served.Deployment == r.plan.Pinned && r.pinErr == nil {
		r.pinErr, r.pinServed = err, *r.served
	}
}

// window returns the context window of the plan's deployment dep (0 when
// unknown or not in the plan).
func (r *run) window(dep string) int {
	for _, st := range r.steps {
		if st.t.Deployment.Name == dep {
			return st.t.Deployment.ContextWindow
		}
	}
	return 0
}

// contextError is the answer when the request fit no candidate's context
// window: a 400 naming the largest window that was too small. Its message
// begins as the Messages API words it, "prompt is too long: N tokens > M
// maximum" (N as the last upstream counted it, else the router's
// estimate; without counts when neither exceeds M): that is all Anthropic
// says of an overflow, and what agents on the Anthropic SDKs (Claude
// Code) look for, and parse, to compact the conversation and retry. The
// OpenAI SDKs go by the code.
func (r *run) contextError() *llm.Error {
	limit, head := "its context window", "prompt is too long"
	if m := r.tooSmall; m > 0 {
		limit = fmt.Sprintf("%d tokens", m)
		n := provider.ContextTokens(r.tooLong)
		if n <= m {
			n = r.plan.PromptTokens
		}
		if n > m {
			head = fmt.Sprintf("prompt is too long: %d tokens > %d maximum", n, m)
		}
	}
	return &llm.Error{
		Kind: llm.KindInvalidRequest, Code: llm.CodeContextLength, Param: "messages", Err: r.tooLong,
		Message: fmt.Sprintf("%s: the request does not fit the context window of any candidate deployment (the largest tried allows %s; no candidate with a larger one remains): shorten the messages or lower max_tokens. Upstream said: %s", head, limit, r.tooLong.Message),
	}
}

// step is one target of a plan with its tier.
type step struct {
	tier int // 1-based
	t    *Target
	ttft time.Duration
	// last reports the plan's last step: no other candidate can answer
	// if this one does not.
	last bool
	// onRefusal and req are the tier's (Tier.OnRefusal, Tier.Request).
	onRefusal bool
	req       *llm.Request
	// maxTokens is the target's Tier.MaxTokens, zero for none.
	maxTokens int
	// dropHosted is the target's Tier.DropHosted, 0 for none.
	dropHosted llm.HostedKinds
	// lowers reports that a refusal of the request's max_tokens stating
	// the target's output limit is tried again with it lowered
	// (Plan.LowerMaxTokens).
	lowers bool
}

func (d *Dispatcher) flatten(p *Plan) []step {
	n := 0
	for i := range p.Tiers {
		n += len(p.Tiers[i].Targets)
	}
	out := make([]step, 0, n) // one allocation, not one per doubling
	for i := range p.Tiers {
		tier := &p.Tiers[i]
		for j, t := range tier.Targets {
			ttft := tier.TTFTTimeout
			if j < len(tier.TTFTTimeouts) && tier.TTFTTimeouts[j] != 0 {
				ttft = max(tier.TTFTTimeouts[j], 0) // negative: none
			}
			st := step{tier: i + 1, t: t, ttft: d.TTFTTimeout(t, ttft, p.PromptTokens), onRefusal: tier.OnRefusal, req: tier.Request}
			if j < len(tier.MaxTokens) {
				st.maxTokens = tier.MaxTokens[j]
			}
			if j < len(tier.DropHosted) {
				st.dropHosted = tier.DropHosted[j]
			}
			out = append(out, st)
		}
	}
	if len(out) > 0 {
		out[len(out)-1].last = true
	}
	p.markLowers(out)
	return out
}

// markLowers marks the steps whose refused max_tokens is lowered
// (Plan.LowerMaxTokens): those the plan lets lower with no later step
// sent the request's full max_tokens (a tier of a client's refusal
// fallback, tried after a refusal only, is none).
func (p *Plan) markLowers(steps []step) {
	if !p.LowerMaxTokens && !p.LowerPinned {
		return
	}
	full := false
	for k := len(steps) - 1; k >= 0; k-- {
		st := &steps[k]
		pinned := p.Pinned != "" && st.t.Deployment.Name == p.Pinned
		st.lowers = !full && (pinned && p.LowerPinned || !pinned && p.LowerMaxTokens)
		if st.maxTokens == 0 && !st.onRefusal {
			full = true
		}
	}
}

// lowered is the max_tokens req is sent again with when err refuses its
// max_tokens as above the output limit the refusal states: that limit,
// below the max_tokens sent; zero when err is no such refusal.
func lowered(req *llm.Request, err error) int {
	e := llm.AsError(err)
	if e == nil || e.Code != llm.CodeModelUnsupported || req.MaxTokens == nil {
		return 0
	}
	if n := provider.OutputLimit(e.Param, e.Message); n > 0 && n < *req.MaxTokens {
		return n
	}
	return 0
}

// tryTarget makes the attempts at one target: the first, and retries
// after retryable errors while the backoff fits the budget. resumed marks
// them as continuations of a broken stream.
func (d *Dispatcher) tryTarget(ctx context.Context, req *llm.Request, plan *Plan, st step, served *llm.Served, attempts *int, resumed bool) (*Stream, error) {
	t := st.t
	if err := d.waitRateLimit(ctx, st, req.ServiceTier == llm.TierFlex); err != nil {
		return nil, err
	}
	req = d.fastOff(req, t).MaxTokensAtMost(st.maxTokens).WithoutHosted(st.dropHosted)
	var err error
	clamped := 0 // the max_tokens a refusal of the request's lowered it to
	for retry := 0; retry <= d.opts.MaxRetries; retry++ {
		if !st.last && d.held(t) {
			if err == nil {
				err = llm.Errorf(llm.KindUnavailable, "deployment %s is failing and already had its attempts this second; trying the next candidate", t.Deployment.Name)
			}
			return nil, err
		}
		probe, ok := d.acquire(t)
		if !ok {
			if err == nil {
				err = d.breakerOpen(t)
			}
			return nil, err
		}
		*attempts++
		serve(served, t, st.tier, *attempts)
		served.ClampedMaxTokens = clamped
		var s *Stream
		s, err = d.attempt(ctx, req, plan, t, st.ttft, probe, d.begin(plan, st, false, resumed))
		if s != nil {
			served.NoResponsesRoute = s.viaChat
			return s, nil
		}
		if fastLimited(err) && req.WantsFast() && ctx.Err() == nil {
			// Fast mode's own limit refused it: the same deployment at
			// standard speed at once, as Anthropic advises. No retry
			// spent, no wait: the model's standard limit is another one.
			req = req.AtStandardSpeed()
			retry--
			continue
		}
		if n := lowered(req, err); st.lowers && clamped == 0 && n > 0 && ctx.Err() == nil {
			// Its refusal stated its output limit and no later target
			// writes the full amount: the same target at once with
			// max_tokens lowered to it, as the route lowers a known limit.
			req, clamped = req.MaxTokensAtMost(n), n
			retry--
			continue
		}
		if !retryable(err) || ctx.Err() != nil || isTierTimeout(err) || retry == d.opts.MaxRetries {
			return nil, err
		}
		if !st.last && rateLimited(err) {
			return nil, err // another candidate may answer now; health remembers the window
		}
		wait := d.backoff(retry, err)
		if wait < 0 || !d.fits(ctx, wait) {
			return nil, err // not worth waiting: the next target may answer now
		}
		if !d.sleep(ctx, wait) {
			return nil, err
		}
	}
	return nil, err
}

// held reports whether health asks to skip t, failing as it is, for a
// later candidate.
func (d *Dispatcher) held(t *Target) bool {
	return d.opts.Health != nil && d.opts.Health.Held(t.Deployment.Name)
}

// breakerOpen is the error of a target whose breaker turned the attempt
// away (BreakerOpen).
func (d *Dispatcher) breakerOpen(t *Target) *llm.Error {
	return BreakerOpen(d.opts.Health, t.Deployment.Name)
}

func (d *Dispatcher) acquire(t *Target) (probe, ok bool) {
	if d.opts.Health == nil {
		return false, true
	}
	return d.opts.Health.Acquire(t.Deployment.Name)
}

func serve(s *llm.Served, t *Target, tier, attempt int) {
	s.Deployment = t.Deployment.Name
	s.Provider = t.Deployment.Provider
	s.Model = t.Deployment.Model
	s.Attempts = attempt
	s.Tier = tier
	s.ClampedMaxTokens = 0
	s.NoResponsesRoute = false
}

// backoff returns the wait before retry number retry+1: Retry-After when
// the upstream sent one (or -1 if it is longer than MaxBackoff), else full
// jitter over an exponential base.
func (d *Dispatcher) backoff(retry int, err error) time.Duration {
	var e *llm.Error
	if errors.As(err, &e) && e.RetryAfter > 0 {
		if e.RetryAfter > d.opts.MaxBackoff {
			return -1
		}
		return e.RetryAfter
	}
	b := d.opts.BaseBackoff << retry
	if b > d.opts.MaxBackoff || b <= 0 {
		b = d.opts.MaxBackoff
	}
	return time.Duration(d.opts.Jitter() * float64(b))
}

// fits reports whether waiting d still leaves time for an attempt
// (minAttempt at least) before ctx's deadline. A context's deadline is on
// the wall clock, so it is compared with the time left on that clock,
// whatever Options.Now says.
func (d *Dispatcher) fits(ctx context.Context, wait time.Duration) bool {
	dl, ok := ctx.Deadline()
	return !ok || wait+minAttempt < time.Until(dl)
}

// minAttempt is the least time worth waiting for before an attempt: a
// wait that ends closer to the deadline leaves the attempt no chance.
const minAttempt = 10 * time.Millisecond
