package health

import (
	"cmp"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// Tracker keeps the health of every deployment. It is safe for concurrent
// use; its methods do no I/O and never block on anything but short locks.
type Tracker struct {
	// cfg is the configuration in force; SetConfig replaces it.
	cfg          atomic.Pointer[Config]
	now          func() time.Time
	onTransition func(Transition)

	mu     sync.RWMutex
	states map[string]*state
	// degraded counts deployments whose breaker is not closed or that
	// are demoted, so readers can skip building snapshots when all is well.
	degraded atomic.Int32
	// limitedUntil is the latest end (Unix ns) of any deployment's rate
	// limit window.
	limitedUntil atomic.Int64
	// flexUntil is the latest end (Unix ns) of any deployment's flex
	// window.
	flexUntil atomic.Int64
	// fastUntil is the latest end (Unix ns) of any deployment's fast
	// window.
	fastUntil atomic.Int64
	// learnedUntil is the latest end (Unix ns) of any deployment's
	// learned output limit.
	learnedUntil atomic.Int64
}

// Degraded reports whether any deployment's breaker is not closed, any
// deployment is demoted, or any is in a rate limit window. It is two
// atomic loads (and a clock read while a window may be open).
func (t *Tracker) Degraded() bool {
	if t.degraded.Load() > 0 {
		return true
	}
	u := t.limitedUntil.Load()
	return u != 0 && t.now().UnixNano() < u
}

// FastDegraded reports whether any deployment may be in a fast window
// (Degraded ignores them: they change requests for fast mode only).
func (t *Tracker) FastDegraded() bool {
	u := t.fastUntil.Load()
	return u != 0 && t.now().UnixNano() < u
}

// FlexDegraded reports whether any deployment may be in a flex window
// (Degraded ignores them: they hold back flex requests only). It is an
// atomic load and a clock read while a window may be open.
func (t *Tracker) FlexDegraded() bool {
	u := t.flexUntil.Load()
	return u != 0 && t.now().UnixNano() < u
}

// track updates the degraded count after s changed; s is locked.
func (t *Tracker) track(s *state) {
	bad := s.breaker != Closed || s.demoted
	if bad != s.bad {
		s.bad = bad
		if bad {
			t.degraded.Add(1)
		} else {
			t.degraded.Add(-1)
		}
	}
}

// Options are a Tracker's collaborators.
type Options struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// OnTransition is called (outside any lock) for every state change;
	// nil means transitions are only visible in Snapshot.
	OnTransition func(Transition)
}

// NewTracker returns a tracker for the named deployments (others are added
// on first sight).
func NewTracker(cfg Config, deployments []string, opts Options) *Tracker {
	t := &Tracker{now: opts.Now, onTransition: opts.OnTransition, states: map[string]*state{}}
	c := cfg.withDefaults()
	t.cfg.Store(&c)
	if t.now == nil {
		t.now = time.Now
	}
	for _, d := range deployments {
		t.states[d] = t.newState()
	}
	return t
}

func (t *Tracker) newState() *state {
	c := t.conf()
	return &state{win: newWindow(c.Window, c.Buckets), breaker: Closed}
}

func (t *Tracker) state(dep string) *state {
	t.mu.RLock()
	s := t.states[dep]
	t.mu.RUnlock()
	if s != nil {
		return s
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if s = t.states[dep]; s == nil {
		s = t.newState()
		t.states[dep] = s
	}
	return s
}

// state is one deployment's health.
type state struct {
	mu  sync.Mutex
	win *window
	cur *bucket

	breaker       BreakerState
	breakerReason string
	breakerSince  time.Time
	consecFail    int
	// second and secondN count the attempts acquired in the current
	// one-second slot, for Config.FailingAttemptsPerSecond.
	second  time.Time
	secondN int
	probes  int // probes in flight while half-open
	probeOK int

	baseline  float64 // EWMA of TTFT in ns
	baselineN int
	spikes    []time.Time

	// limitedUntil ends the window a 429's Retry-After opened.
	limitedUntil time.Time
	// flexUntil ends the window a flex capacity shortage's Retry-After
	// opened: it holds back flex requests only (Outcome.FlexUnavailable).
	flexUntil time.Time
	// fastUntil ends the window a fast-mode 429 opened: it holds back
	// requests for fast mode only (Outcome.FastUnavailable).
	fastUntil time.Time
	// learned is the output limit the deployment's refusals stated
	// (output_limit.go).
	learned OutputLimit

	demoted       bool
	demoteReason  string
	demotedSince  time.Time
	lastProbe     time.Time
	recoverOK     int
	pendingEvents []Transition
	bad           bool // counted in Tracker.degraded
}

func (s *state) emit(dep, what, from, to, reason string, at time.Time) {
	s.pendingEvents = append(s.pendingEvents, Transition{Deployment: dep, What: what, From: from, To: to, Reason: reason, At: at})
}

// flush hands pending transitions to the callback; call it unlocked.
func (t *Tracker) flush(events []Transition) {
	if t.onTransition == nil {
		return
	}
	for _, e := range events {
		t.onTransition(e)
	}
}

// Acquire asks to send an attempt to dep. It reports false while the
// breaker is open (or half-open with every probe slot taken); probe
// reports that the attempt is a breaker probe, which the caller must pass
// back in its Outcome (or to Release if it never completes).
func (t *Tracker) Acquire(dep string) (probe, ok bool) {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	if s.breaker == Open && now.Sub(s.breakerSince) >= t.conf().OpenFor {
		s.setBreaker(dep, HalfOpen, fmt.Sprintf("open for %s; letting probes through", t.conf().OpenFor), now)
	}
	switch s.breaker {
	case Open:
		ok = false
	case HalfOpen:
		if s.probes < t.conf().HalfOpenProbes {
			s.probes++
			probe, ok = true, true
		}
	default:
		ok = true
		s.countAttempt(now)
	}
	t.track(s)
	events := s.takeEvents()
	s.mu.Unlock()
	t.flush(events)
	return probe, ok
}

// failingAfter is how many failures in a row make a deployment "failing"
// for Held: one could be a fluke of the request.
const failingAfter = 2

// countAttempt counts an attempt in the current one-second slot.
func (s *state) countAttempt(now time.Time) {
	if now.Sub(s.second) >= time.Second || now.Before(s.second) {
		s.second, s.secondN = now, 0
	}
	s.secondN++
}

// Held reports whether dep is failing — its last two outcomes were
// failures and its breaker has not opened yet — and has already had
// FailingAttemptsPerSecond attempts in the current second. A caller with
// another candidate should skip it, so that a deployment going down is
// not hammered by every request and its retries while the breaker counts
// up; a caller with no other candidate may still try it.
func (t *Tracker) Held(dep string) bool {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.breaker != Closed || s.consecFail < failingAfter {
		return false
	}
	return now.Sub(s.second) < time.Second && !now.Before(s.second) && s.secondN >= t.conf().FailingAttemptsPerSecond
}

// Release gives back a probe slot of an attempt that ended without an
// outcome for the deployment (for example, the caller went away).
func (t *Tracker) Release(dep string, probe bool) {
	if !probe {
		return
	}
	s := t.state(dep)
	s.mu.Lock()
	if s.breaker == HalfOpen && s.probes > 0 {
		s.probes--
	}
	s.mu.Unlock()
}

// ClaimLatencyProbe reports whether dep is demoted and due for a recovery
// probe, and if so claims it, so that only one request probes per
// ProbeInterval. The caller then lets this request try dep first.
func (t *Tracker) ClaimLatencyProbe(dep string) bool {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.demoted || now.Sub(s.lastProbe) < t.conf().ProbeInterval {
		return false
	}
	s.lastProbe = now
	return true
}

func (s *state) takeEvents() []Transition {
	ev := s.pendingEvents
	s.pendingEvents = nil
	return ev
}

func (s *state) setBreaker(dep string, to BreakerState, reason string, now time.Time) {
	if s.breaker == to {
		return
	}
	s.emit(dep, "breaker", string(s.breaker), string(to), reason, now)
	s.breaker, s.breakerReason, s.breakerSince = to, reason, now
	s.probes, s.probeOK = 0, 0
	if to == Closed {
		s.consecFail = 0
		s.win.reset()
	}
}

// Record feeds the outcome of one attempt.
func (t *Tracker) Record(o Outcome) {
	s := t.state(o.Deployment)
	now := t.now()
	s.mu.Lock()
	if o.FlexUnavailable || o.FastUnavailable || o.OutputLimit > 0 {
		switch {
		case o.OutputLimit > 0:
			t.learnOutputLimit(s, o, now)
		case o.FlexUnavailable:
			openWindow(&s.flexUntil, &t.flexUntil, now, o.RetryAfter)
		default:
			openWindow(&s.fastUntil, &t.fastUntil, now, cmp.Or(o.RetryAfter, FastCooldown))
		}
		if o.Probe && s.breaker == HalfOpen && s.probes > 0 {
			s.probes-- // a probe that told nothing: its slot back, as Release
		}
		s.mu.Unlock()
		return
	}
	b := s.bucket(t, o.Deployment, now)
	b.requests++
	if o.Failed {
		b.failures++
	}
	if o.RateLimited {
		b.rateLimited++
		t.rateLimit(s, now, o.RetryAfter)
	}
	t.updateBreaker(s, o, now)
	if !o.Failed && !o.RateLimited && o.TTFT > 0 {
		b.ttfts = append(b.ttfts, o.TTFT)
		s.win.ttft.add(o.TTFT)
		t.updateLatency(s, o, now)
	}
	if !o.Failed && o.Latency > 0 {
		s.win.latency.add(o.Latency)
	}
	t.track(s)
	events := s.takeEvents()
	s.mu.Unlock()
	t.flush(events)
}

// bucket returns the current bucket, running the spike test on the one
// it replaces.
func (s *state) bucket(t *Tracker, dep string, now time.Time) *bucket {
	closed := func(b *bucket) { t.spikeTest(s, dep, b, now) }
	b := s.win.current(now, closed)
	if s.cur != nil && s.cur != b && !s.cur.evaluated && !s.cur.start.IsZero() {
		closed(s.cur)
	}
	s.cur = b
	return b
}

func (t *Tracker) updateBreaker(s *state, o Outcome, now time.Time) {
	dep := o.Deployment
	switch s.breaker {
	case HalfOpen:
		if !o.Probe {
			return // began before the breaker opened
		}
		if s.probes > 0 {
			s.probes--
		}
		if o.Failed {
			s.setBreaker(dep, Open, "a probe failed", now)
			return
		}
		if s.probeOK++; s.probeOK >= t.conf().ProbeSuccesses {
			s.setBreaker(dep, Closed, fmt.Sprintf("%d probes succeeded", s.probeOK), now)
		}
	case Closed:
		if o.Failed && o.Misconfigured != "" {
			s.consecFail++
			s.setBreaker(dep, Open, "misconfigured: "+o.Misconfigured, now)
			return
		}
		if !o.Failed {
			s.consecFail = 0
		} else if s.consecFail++; s.consecFail >= t.conf().ConsecutiveFailures {
			s.setBreaker(dep, Open, fmt.Sprintf("%d consecutive failures", s.consecFail), now)
			return
		}
		req, fail, _ := s.win.totals(now)
		if req >= t.conf().MinRequests && float64(fail) >= t.conf().FailureRatio*float64(req) {
			s.setBreaker(dep, Open, fmt.Sprintf("%d of %d attempts failed in the last %s", fail, req, t.conf().Window), now)
		}
	}
}
