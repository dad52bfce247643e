package health

import (
	"testing"
	"time"
)

// A deployment whose last two outcomes were failures is Held once it had
// FailingAttemptsPerSecond attempts in the current second, until its
// breaker opens or it succeeds; one failure alone does not hold it.
// Acquire itself never refuses it (a caller with no other candidate may
// still try).
func TestFailingDeploymentIsHeldToAFewAttemptsASecond(t *testing.T) {
	tr, clk, _ := newTestTracker()
	// tried counts the attempts of n callers that skip a held deployment.
	tried := func(n int) int {
		got := 0
		for i := 0; i < n; i++ {
			if tr.Held("a") {
				continue
			}
			if _, ok := tr.Acquire("a"); ok {
				got++
			}
		}
		return got
	}
	if got := tried(10); got != 10 {
		t.Fatalf("healthy: %d of 10 attempts, want all", got)
	}
	tr.Record(Outcome{Deployment: "a", Failed: true})
	clk.Advance(time.Second)
	if got := tried(10); got != 10 {
		t.Fatalf("after one failure: %d of 10 attempts, want all", got)
	}
	tr.Record(Outcome{Deployment: "a", Failed: true})
	clk.Advance(time.Second)
	if got := tried(10); got != 2 {
		t.Fatalf("after two failures in a row: %d attempts in a second, want 2", got)
	}
	if _, ok := tr.Acquire("a"); !ok {
		t.Fatal("Acquire refused a held deployment; only callers with another candidate skip it")
	}
	clk.Advance(time.Second)
	if got := tried(10); got != 2 {
		t.Fatalf("the next second: %d attempts, want 2", got)
	}
	tr.Record(Outcome{Deployment: "a", TTFT: time.Millisecond})
	if got := tried(10); got != 10 {
		t.Fatalf("after a success: %d of 10 attempts, want all", got)
	}
}
