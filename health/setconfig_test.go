package health

import (
	"sync"
	"testing"
	"time"
)

// TestSetConfigChangesThresholdsInPlace: a lower consecutive-failure
// threshold holds from the next attempt on, counting the failures
// already seen; an open breaker stays open; a new window shape starts the
// outcome counts anew and keeps the latencies.
func TestSetConfigChangesThresholdsInPlace(t *testing.T) {
	tr, clk, _ := newTestTracker()
	tr.Record(Outcome{Deployment: "a", TTFT: 40 * time.Millisecond, Latency: time.Second})
	for range 3 {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	if st := tr.Status("a"); st.Breaker != Closed {
		t.Fatalf("opened after 3 failures under the default 5: %+v", st)
	}
	tr.SetConfig(Config{ConsecutiveFailures: 4, OpenFor: time.Minute})
	tr.Record(Outcome{Deployment: "a", Failed: true})
	if st := tr.Status("a"); st.Breaker != Open {
		t.Fatalf("not open after the 4th failure under a threshold of 4: %+v", st)
	}
	clk.Advance(45 * time.Second) // past the old open_for (30s), within the new one
	if _, ok := tr.Acquire("a"); ok {
		t.Error("the breaker let a probe through before the new open_for ended")
	}
	tr.SetConfig(Config{ConsecutiveFailures: 4, OpenFor: time.Minute, Window: 2 * time.Minute, Buckets: 4})
	h := tr.Snapshot()[0]
	if h.Breaker != Open || h.Requests != 0 || h.TTFTp50 == 0 {
		t.Errorf("after a new window: breaker %s, %d requests in the window (want 0), ttft p50 %v (want kept)", h.Breaker, h.Requests, h.TTFTp50)
	}
}

// TestSetConfigWhileRecording: SetConfig is safe while attempts are
// recorded (run with -race).
func TestSetConfigWhileRecording(t *testing.T) {
	tr, _, _ := newTestTracker()
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := range 500 {
			tr.Record(Outcome{Deployment: "a", Failed: i%7 == 0, TTFT: time.Millisecond})
			tr.Acquire("a")
		}
	}()
	go func() {
		defer wg.Done()
		for i := range 50 {
			tr.SetConfig(Config{Window: time.Duration(30+i) * time.Second, Buckets: 6 + i%3})
		}
	}()
	wg.Wait()
}
