package health

import (
	"testing"
	"time"
)

// A flex capacity shortage counts as no attempt, no failure and no rate
// limit: it opens a window for flex requests only, as long as its
// Retry-After (none without one), which Reset clears; a probe that met
// one gives its slot back.
func TestFlexUnavailableOpensAFlexWindowOnly(t *testing.T) {
	tr, clk, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", FlexUnavailable: true})
	if w := tr.FlexUnavailableRemaining("a"); w != 0 {
		t.Errorf("a shortage without Retry-After opened a %s window", w)
	}
	for i := 0; i < 10; i++ {
		tr.Record(Outcome{Deployment: "a", FlexUnavailable: true, RetryAfter: 30 * time.Second})
	}
	st, h := tr.Status("a"), tr.Snapshot()[0]
	if st.Breaker != Closed || !st.RateLimitedUntil.IsZero() || tr.RateLimitRemaining("a") != 0 || tr.Degraded() ||
		h.Requests != 0 || h.Failures != 0 || h.RateLimited != 0 {
		t.Errorf("flex shortages changed a's standard health: %+v %+v", st, h)
	}
	if w := tr.FlexUnavailableRemaining("a"); w != 30*time.Second {
		t.Errorf("flex window %s, want 30s", w)
	}
	end := clk.Now().Add(30 * time.Second)
	if !st.FlexUnavailableUntil.Equal(end) || !h.FlexUnavailableUntil.Equal(end) || !tr.FlexDegraded() {
		t.Errorf("the flex window's end is not shown: status %v, snapshot %v, want %v; FlexDegraded %v",
			st.FlexUnavailableUntil, h.FlexUnavailableUntil, end, tr.FlexDegraded())
	}
	clk.Advance(31 * time.Second)
	if w := tr.FlexUnavailableRemaining("a"); w != 0 {
		t.Errorf("flex window %s after its end", w)
	}
	if st, h := tr.Status("a"), tr.Snapshot()[0]; !st.FlexUnavailableUntil.IsZero() || !h.FlexUnavailableUntil.IsZero() || tr.FlexDegraded() {
		t.Errorf("an ended flex window is still shown: %v %v %v", st.FlexUnavailableUntil, h.FlexUnavailableUntil, tr.FlexDegraded())
	}
	tr.Record(Outcome{Deployment: "a", FlexUnavailable: true, RetryAfter: time.Minute})
	tr.Reset("a", "test")
	if w := tr.FlexUnavailableRemaining("a"); w != 0 {
		t.Errorf("flex window %s after Reset", w)
	}

	for i := 0; i < 5; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(time.Hour)
	probe, ok := tr.Acquire("a")
	if !probe || !ok {
		t.Fatalf("no probe after the breaker's open time: %v %v %+v", probe, ok, tr.Status("a"))
	}
	tr.Record(Outcome{Deployment: "a", FlexUnavailable: true, Probe: true})
	if probe, ok := tr.Acquire("a"); !probe || !ok {
		t.Errorf("the flex-refused probe kept its slot: %v %v", probe, ok)
	}
}

// A fast-mode 429 counts as no attempt, no failure and no rate limit: it
// opens a window for fast requests only, of its Retry-After or
// FastCooldown without one, which Reset clears; a probe that met one
// gives its slot back.
func TestFastUnavailableOpensAFastWindowOnly(t *testing.T) {
	tr, clk, _ := newTestTracker()
	if tr.FastUnavailableRemaining("a") != 0 || tr.FastDegraded() {
		t.Fatal("a fast window before any 429")
	}
	tr.Record(Outcome{Deployment: "a", FastUnavailable: true})
	if w := tr.FastUnavailableRemaining("a"); w != FastCooldown {
		t.Errorf("a fast-mode 429 without Retry-After opened a %s window, want %s", w, FastCooldown)
	}
	tr.Record(Outcome{Deployment: "a", FastUnavailable: true, RetryAfter: 2 * FastCooldown})
	st, h := tr.Status("a"), tr.Snapshot()[0]
	if st.Breaker != Closed || !st.RateLimitedUntil.IsZero() || tr.Degraded() || h.Requests != 0 || h.RateLimited != 0 {
		t.Errorf("fast-mode 429s changed a's standard health: %+v %+v", st, h)
	}
	end := clk.Now().Add(2 * FastCooldown)
	if !st.FastUnavailableUntil.Equal(end) || !h.FastUnavailableUntil.Equal(end) || !tr.FastDegraded() || tr.FastUnavailableRemaining("b") != 0 {
		t.Errorf("fast window: status %v, snapshot %v, want %v; FastDegraded %v", st.FastUnavailableUntil, h.FastUnavailableUntil, end, tr.FastDegraded())
	}
	clk.Advance(2*FastCooldown + time.Second)
	if w, st := tr.FastUnavailableRemaining("a"), tr.Status("a"); w != 0 || !st.FastUnavailableUntil.IsZero() || tr.FastDegraded() {
		t.Errorf("an ended fast window is still open: %s %+v", w, st)
	}
	tr.Record(Outcome{Deployment: "a", FastUnavailable: true, RetryAfter: time.Minute})
	tr.Reset("a", "test")
	if w := tr.FastUnavailableRemaining("a"); w != 0 || tr.FastDegraded() {
		t.Errorf("fast window %s after Reset", w)
	}
	for i := 0; i < 5; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(time.Hour)
	if probe, ok := tr.Acquire("a"); !probe || !ok {
		t.Fatalf("no probe after the breaker's open time: %v %v", probe, ok)
	}
	tr.Record(Outcome{Deployment: "a", FastUnavailable: true, Probe: true})
	if probe, ok := tr.Acquire("a"); !probe || !ok {
		t.Errorf("the fast-limited probe kept its slot: %v %v", probe, ok)
	}
}
