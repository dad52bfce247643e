package health

import (
	"testing"
	"time"
)

// TestResetClosesAndForgets: an open breaker closes at once (with the
// operator's reason), the window is empty, and the deployment takes
// attempts again.
func TestResetClosesAndForgets(t *testing.T) {
	tr, _, events := newTestTracker()
	for range 5 {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	tr.Record(Outcome{Deployment: "a", RateLimited: true, RetryAfter: time.Hour})
	if tr.Status("a").Breaker != Open || !tr.Degraded() {
		t.Fatal("setup: breaker not open")
	}
	if !tr.Reset("a", "reset by ops-admin") {
		t.Fatal("Reset(a) = false")
	}
	st, h := tr.Status("a"), tr.Snapshot()[0]
	if st.Breaker != Closed || !st.Available || h.Requests != 0 || h.Failures != 0 || !h.RateLimitedUntil.IsZero() || tr.Degraded() {
		t.Errorf("after Reset: %+v %+v degraded %v", st, h, tr.Degraded())
	}
	if _, ok := tr.Acquire("a"); !ok {
		t.Error("a reset deployment refuses attempts")
	}
	last := (*events)[len(*events)-1]
	if last.What != "breaker" || last.To != "closed" || last.Reason != "reset by ops-admin" {
		t.Errorf("last transition %+v", last)
	}
	if tr.Reset("nope", "x") {
		t.Error("Reset of an unknown deployment = true")
	}
}

func TestRetainForgets(t *testing.T) {
	tr, _, _ := newTestTracker()
	for range 5 {
		tr.Record(Outcome{Deployment: "b", Failed: true})
	}
	tr.Record(Outcome{Deployment: "a"})
	if !tr.Degraded() {
		t.Fatal("setup: b not open")
	}
	tr.Retain([]string{"a"})
	if s := tr.Snapshot(); len(s) != 1 || s[0].Deployment != "a" || tr.Degraded() {
		t.Errorf("after Retain(a): %+v, degraded %v", s, tr.Degraded())
	}
}

// TestResetLowersTheLatestWindowMarks: a reset that ends the only rate
// limit and flex windows lowers the tracker's marks with them, so
// Degraded and FlexDegraded answer false at once (the gateway builds
// its health view while either is true); a window of another deployment
// keeps its mark.
func TestResetLowersTheLatestWindowMarks(t *testing.T) {
	tr, _, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", RateLimited: true, RetryAfter: time.Hour})
	tr.Record(Outcome{Deployment: "a", FlexUnavailable: true, RetryAfter: time.Hour})
	if !tr.Degraded() || !tr.FlexDegraded() {
		t.Fatal("setup: no windows open")
	}
	tr.Reset("a", "test")
	if tr.Degraded() || tr.FlexDegraded() {
		t.Errorf("after Reset: Degraded %v, FlexDegraded %v; want false, false", tr.Degraded(), tr.FlexDegraded())
	}

	tr.Record(Outcome{Deployment: "a", FlexUnavailable: true, RetryAfter: time.Hour})
	tr.Record(Outcome{Deployment: "b", FlexUnavailable: true, RetryAfter: time.Minute})
	tr.Reset("a", "test")
	if !tr.FlexDegraded() {
		t.Error("Reset(a) lowered the flex mark below b's open window")
	}
	tr.Retain([]string{"a"})
	if tr.FlexDegraded() {
		t.Error("Retain(a) kept the flex mark of dropped b")
	}
}
