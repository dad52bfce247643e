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
	return t.windowLeft(dep, func(s *state) time.Time { return s.limitedUntil })
}

// windowLeft returns how long the window of dep that end reads (its state
// locked) lasts from now, or 0 when it has ended.
func (t *Tracker) windowLeft(dep string, end func(*state) time.Time) time.Duration {
	s := t.state(dep)
	now := t.now()
	s.mu.Lock()
	defer s.mu.Unlock()
	if until := end(s); now.Before(until) {
		return until.Sub(now)
	}
	return 0
}

// FlexUnavailableRemaining returns how long dep's flex window lasts from
// now (the Retry-After of its last flex capacity shortage), or 0: until
// then a flex request skips it while another candidate can answer.
func (t *Tracker) FlexUnavailableRemaining(dep string) time.Duration {
	return t.windowLeft(dep, func(s *state) time.Time { return s.flexUntil })
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

// FastCooldown is how long a fast-mode 429 without a Retry-After holds
// back fast requests from its deployment: Anthropic sends one with every
// fast-mode 429, so this is only the fallback.
const FastCooldown = time.Minute

// openWindow extends a deployment's window (*until, its state locked) to
// retryAfter from now, and the tracker's latest mark with it; a zero or
// negative retryAfter opens none.
func openWindow(until *time.Time, latest *atomic.Int64, now time.Time, retryAfter time.Duration) {
	if end := now.Add(retryAfter); retryAfter > 0 && end.After(*until) {
		*until = end
		raise(latest, end)
	}
}

// FastUnavailableRemaining returns how long dep's fast window lasts from
// now (the Retry-After of its last fast-mode 429), or 0: until then a
// request for fast mode is sent to it at standard speed.
func (t *Tracker) FastUnavailableRemaining(dep string) time.Duration {
	if u := t.fastUntil.Load(); u == 0 || t.now().UnixNano() >= u {
		return 0 // no deployment's fast window is open: no lock taken
	}
	return t.windowLeft(dep, func(s *state) time.Time { return s.fastUntil })
}
