package health

import "testing"

// A deployment the upstream refuses for its configuration (its key, its
// model) opens its breaker at its first failure: every request would
// fail the same way until the configuration changes.
func TestMisconfiguredOpensTheBreakerAtOnce(t *testing.T) {
	tr, _, events := newTestTracker()
	tr.Record(Outcome{Deployment: "a", Failed: true, Misconfigured: "the upstream refused its credentials"})
	if st := tr.Status("a"); st.Breaker != Open || st.Available {
		t.Fatalf("status after one misconfigured failure: %+v", st)
	}
	if len(*events) != 1 || (*events)[0].Reason != "misconfigured: the upstream refused its credentials" {
		t.Errorf("transitions: %+v", *events)
	}
}

// Misconfigured without Failed counts for nothing: only a failure opens.
func TestMisconfiguredNeedsAFailure(t *testing.T) {
	tr, _, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", Misconfigured: "the upstream refused its credentials"})
	if st := tr.Status("a"); st.Breaker != Closed {
		t.Fatalf("status: %+v", st)
	}
}
