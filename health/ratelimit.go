package health

import (
	"sync/atomic"
	"time"
)

// rateLimit opens (or extends) s's rate limit window; s is locked.
func (t *Tracker) rateLimit(s *state, now time.Time, after time.Duration) {
	if after <= 0 {
		return
	}
	until := now.Add(after)
	if !until.After(s.limitedUntil) {
		return
	}
	s.limitedUntil = until
	raise(&t.limitedUntil, until)
}

// raise moves the latest end *latest (Unix ns) to until if it is later.
func raise(latest *atomic.Int64, until time.Time) {
	for {
		cur := latest.Load()
		if cur >= until.UnixNano() || latest.CompareAndSwap(cur, until.UnixNano()) {
			return
		}
	}
}

// RateLimitRemaining returns how long dep's rate limit window lasts from
// now by the tracker's clock, or 0 when it is not rate limited.
func (t *Tracker) RateLimitRemaining(dep string) time.Duration {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.limitedUntil) {
		return s.limitedUntil.Sub(now)
	}
	return 0
}

// FlexUnavailableRemaining returns how long dep's flex window lasts from
// now (the Retry-After of its last flex capacity shortage), or 0: until
// then a flex request skips it while another candidate can answer.
func (t *Tracker) FlexUnavailableRemaining(dep string) time.Duration {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.flexUntil) {
		return s.flexUntil.Sub(now)
	}
	return 0
}

// RateLimitedUntil returns when dep's rate limit window ends — the
// latest Retry-After of a 429 it answered, counted from then — or the
// zero time when it is not rate limited now.
func (t *Tracker) RateLimitedUntil(dep string) time.Time {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Before(s.limitedUntil) {
		return s.limitedUntil
	}
	return time.Time{}
}
