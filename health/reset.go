package health

import "time"

// This file holds what an operator does to the tracker by hand
// (POST /admin/health/{deployment}/reset) and what a configuration change
// does to it.

// Reset clears dep's health as an operator's action after fixing what
// broke it: its breaker closes (a transition with reason), its latency
// demotion is lifted, its rate limit, flex and fast windows end, its learned output limit
// is forgotten (and the
// tracker's latest-window marks with them), and its window's
// outcomes and latency spikes are forgotten. It reports false for a
// deployment the tracker does not know.
func (t *Tracker) Reset(dep, reason string) bool {
	t.mu.RLock()
	s := t.states[dep]
	t.mu.RUnlock()
	if s == nil {
		return false
	}
	now := t.now()
	s.mu.Lock()
	s.setBreaker(dep, Closed, reason, now)
	s.win.reset()
	s.cur = nil
	s.consecFail, s.probes, s.probeOK = 0, 0, 0
	if s.demoted {
		s.emit(dep, "latency", "demoted", "healthy", reason, now)
		s.demoted, s.demoteReason, s.demotedSince, s.recoverOK = false, "", time.Time{}, 0
	}
	s.spikes = nil
	s.limitedUntil, s.flexUntil, s.fastUntil = time.Time{}, time.Time{}, time.Time{}
	s.learned = OutputLimit{}
	t.track(s)
	events := s.takeEvents()
	s.mu.Unlock()
	t.recomputeMarks()
	t.flush(events)
	return true
}

// recomputeMarks lowers the tracker's latest rate limit, flex and fast window
// ends to the latest of the deployments' windows, each unless a window
// opened meanwhile (the values are upper bounds that let Degraded and
// FlexDegraded skip the clock, and the gateway its health view).
func (t *Tracker) recomputeMarks() {
	limited, flex, fast, learned := t.limitedUntil.Load(), t.flexUntil.Load(), t.fastUntil.Load(), t.learnedUntil.Load()
	var latestLimited, latestFlex, latestFast, latestLearned int64
	t.mu.RLock()
	for _, s := range t.states {
		s.mu.Lock()
		if !s.limitedUntil.IsZero() {
			latestLimited = max(latestLimited, s.limitedUntil.UnixNano())
		}
		if !s.flexUntil.IsZero() {
			latestFlex = max(latestFlex, s.flexUntil.UnixNano())
		}
		if !s.fastUntil.IsZero() {
			latestFast = max(latestFast, s.fastUntil.UnixNano())
		}
		if s.learned.Tokens > 0 {
			latestLearned = max(latestLearned, s.learned.Until().UnixNano())
		}
		s.mu.Unlock()
	}
	t.mu.RUnlock()
	t.limitedUntil.CompareAndSwap(limited, latestLimited)
	t.flexUntil.CompareAndSwap(flex, latestFlex)
	t.fastUntil.CompareAndSwap(fast, latestFast)
	t.learnedUntil.CompareAndSwap(learned, latestLearned)
}

// Retain forgets every deployment but those named: the ones a new
// configuration no longer has.
func (t *Tracker) Retain(names []string) {
	keep := make(map[string]bool, len(names))
	for _, n := range names {
		keep[n] = true
	}
	t.mu.Lock()
	for n, s := range t.states {
		if keep[n] {
			continue
		}
		s.mu.Lock()
		if s.bad {
			t.degraded.Add(-1)
			s.bad = false
		}
		s.mu.Unlock()
		delete(t.states, n)
	}
	t.mu.Unlock()
	t.recomputeMarks()
}
