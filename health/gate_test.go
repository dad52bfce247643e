package health

import (
	"testing"
	"time"
)

// A deployment whose last two outcomes were failures gets at most
// FailingAttemptsPerSecond attempts in any second until its breaker
// opens or it succeeds; one failure alone does not hold it back.
func TestFailingDeploymentIsHeldToAFewAttemptsASecond(t *testing.T) {
	tr, clk, _ := newTestTracker()
	acquired := func(n int) int {
		got := 0
		for i := 0; i < n; i++ {
			if _, ok := tr.Acquire("a"); ok {
				got++
			}
		}
		return got
	}
	if got := acquired(10); got != 10 {
		t.Fatalf("healthy: %d of 10 attempts, want all", got)
	}
	tr.Record(Outcome{Deployment: "a", Failed: true})
	clk.Advance(time.Second)
	if got := acquired(10); got != 10 {
		t.Fatalf("after one failure: %d of 10 attempts, want all", got)
	}
	tr.Record(Outcome{Deployment: "a", Failed: true})
	clk.Advance(time.Second)
	if got := acquired(10); got != 2 {
		t.Fatalf("after two failures in a row: %d attempts in a second, want 2", got)
	}
	clk.Advance(time.Second)
	if got := acquired(10); got != 2 {
		t.Fatalf("the next second: %d attempts, want 2", got)
	}
	tr.Record(Outcome{Deployment: "a", TTFT: time.Millisecond})
	if got := acquired(10); got != 10 {
		t.Fatalf("after a success: %d of 10 attempts, want all", got)
	}
}
