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
