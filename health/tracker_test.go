package health

import (
	"sync"
	"testing"
	"time"

	"switchyard/llm/llmtest"
)

func newTestTracker() (*Tracker, *llmtest.Clock, *[]Transition) {
	clk := llmtest.NewClock(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	var events []Transition
	tr := NewTracker(Config{}, []string{"a"}, Options{Now: clk.Now, OnTransition: func(e Transition) { events = append(events, e) }})
	return tr, clk, &events
}

func TestBreakerOpensOnConsecutiveFailures(t *testing.T) {
	tr, _, events := newTestTracker()
	for i := 0; i < 4; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	if st := tr.Status("a"); st.Breaker != Closed {
		t.Fatalf("opened after 4 failures: %+v", st)
	}
	tr.Record(Outcome{Deployment: "a", Failed: true})
	st := tr.Status("a")
	if st.Breaker != Open || st.Available {
		t.Fatalf("status after 5 failures: %+v", st)
	}
	if _, ok := tr.Acquire("a"); ok {
		t.Error("open breaker let an attempt through")
	}
	if !tr.Degraded() {
		t.Error("Degraded() is false with an open breaker")
	}
	if len(*events) != 1 || (*events)[0].To != "open" || (*events)[0].Reason == "" {
		t.Errorf("transitions: %+v", *events)
	}
}

func TestBreakerOpensOnFailureRatio(t *testing.T) {
	tr, _, _ := newTestTracker()
	for i := 0; i < 10; i++ { // alternate: never 5 in a row, but 50% fail
		tr.Record(Outcome{Deployment: "a", Failed: i%2 == 0, TTFT: time.Millisecond})
	}
	if st := tr.Status("a"); st.Breaker != Open {
		t.Fatalf("want open at 50%% failures over 10 attempts: %+v", st)
	}
}

func TestRateLimitsDoNotOpenTheBreaker(t *testing.T) {
	tr, _, _ := newTestTracker()
	for i := 0; i < 50; i++ {
		tr.Record(Outcome{Deployment: "a", RateLimited: true})
	}
	if st := tr.Status("a"); st.Breaker != Closed {
		t.Fatalf("429s opened the breaker: %+v", st)
	}
	if h := tr.Snapshot()[0]; h.RateLimited != 50 {
		t.Errorf("rate limited = %d", h.RateLimited)
	}
}

func TestHalfOpenProbesCloseOrReopen(t *testing.T) {
	tr, clk, events := newTestTracker()
	for i := 0; i < 5; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(29 * time.Second)
	if _, ok := tr.Acquire("a"); ok {
		t.Fatal("probe allowed before OpenFor")
	}
	clk.Advance(time.Second)
	probe, ok := tr.Acquire("a")
	if !ok || !probe {
		t.Fatalf("no probe after OpenFor: probe=%v ok=%v", probe, ok)
	}
	if _, ok := tr.Acquire("a"); ok {
		t.Fatal("second concurrent probe allowed with HalfOpenProbes=1")
	}
	tr.Record(Outcome{Deployment: "a", Failed: true, Probe: true})
	if st := tr.Status("a"); st.Breaker != Open {
		t.Fatalf("failed probe did not reopen: %+v", st)
	}
	clk.Advance(30 * time.Second)
	for i := 0; i < 2; i++ {
		probe, ok := tr.Acquire("a")
		if !ok || !probe {
			t.Fatalf("probe %d refused", i)
		}
		tr.Record(Outcome{Deployment: "a", Probe: true, TTFT: time.Millisecond})
	}
	if st := tr.Status("a"); st.Breaker != Closed || !st.Available {
		t.Fatalf("two good probes did not close: %+v", st)
	}
	if tr.Degraded() {
		t.Error("Degraded() after the breaker closed")
	}
	want := []string{"open", "half_open", "open", "half_open", "closed"}
	if len(*events) != len(want) {
		t.Fatalf("transitions %+v", *events)
	}
	for i, e := range *events {
		if e.To != want[i] {
			t.Errorf("transition %d to %s, want %s", i, e.To, want[i])
		}
	}
}

func TestReleaseFreesAProbeSlot(t *testing.T) {
	tr, clk, _ := newTestTracker()
	for i := 0; i < 5; i++ {
		tr.Record(Outcome{Deployment: "a", Failed: true})
	}
	clk.Advance(31 * time.Second)
	probe, _ := tr.Acquire("a")
	tr.Release("a", probe)
	if _, ok := tr.Acquire("a"); !ok {
		t.Fatal("released probe slot not reusable")
	}
}

// feed sends n successful attempts with the given TTFT, spread over d.
func feed(tr *Tracker, clk *llmtest.Clock, n int, ttft, d time.Duration) {
	for i := 0; i < n; i++ {
		tr.Record(Outcome{Deployment: "a", TTFT: ttft, Latency: 2 * ttft})
		clk.Advance(d / time.Duration(n))
	}
}

func TestLatencySpikesDemoteAndProbesPromote(t *testing.T) {
	tr, clk, events := newTestTracker()
	feed(tr, clk, 40, 100*time.Millisecond, 20*time.Second) // baseline 100ms
	for spike := 1; spike <= 3; spike++ {
		feed(tr, clk, 5, 500*time.Millisecond, 5*time.Second)  // one slow bucket
		feed(tr, clk, 5, 100*time.Millisecond, 10*time.Minute) // ordinary traffic never promotes
		st := tr.Status("a")
		if spike < 3 && st.Demoted {
			t.Fatalf("demoted after %d spikes", spike)
		}
		if spike == 3 && !st.Demoted {
			t.Fatalf("not demoted after 3 spikes: %+v %+v", st, tr.Snapshot()[0])
		}
	}
	if !tr.ClaimLatencyProbe("a") {
		t.Fatal("no probe due 10 minutes after demotion")
	}
	if tr.ClaimLatencyProbe("a") {
		t.Fatal("a second probe claimed within ProbeInterval")
	}
	for i := 0; i < 3; i++ {
		if i > 0 {
			clk.Advance(10 * time.Second)
			if !tr.ClaimLatencyProbe("a") {
				t.Fatalf("probe %d not due", i)
			}
		}
		if i == 2 && !tr.Status("a").Demoted {
			t.Fatal("promoted before the third probe")
		}
		tr.Record(Outcome{Deployment: "a", TTFT: 110 * time.Millisecond, LatencyProbe: true})
	}
	if st := tr.Status("a"); st.Demoted {
		t.Fatalf("not promoted after 3 good probes: %+v", st)
	}
	var latency []string
	for _, e := range *events {
		if e.What == "latency" {
			latency = append(latency, e.To)
		}
	}
	if len(latency) != 2 || latency[0] != "demoted" || latency[1] != "healthy" {
		t.Errorf("latency transitions %v", latency)
	}
}

func TestSpikesOutsideTheWindowDoNotCount(t *testing.T) {
	tr, clk, _ := newTestTracker()
	feed(tr, clk, 40, 100*time.Millisecond, 20*time.Second)
	for spike := 0; spike < 3; spike++ {
		feed(tr, clk, 5, 500*time.Millisecond, 5*time.Second)
		feed(tr, clk, 5, 100*time.Millisecond, 40*time.Minute) // 3 spikes over 2 hours
	}
	if tr.Status("a").Demoted {
		t.Fatal("demoted by spikes spread beyond the spike window")
	}
}

func TestSnapshotQuantiles(t *testing.T) {
	tr, clk, _ := newTestTracker()
	for i := 1; i <= 100; i++ {
		tr.Record(Outcome{Deployment: "a", TTFT: time.Duration(i) * time.Millisecond, Latency: time.Duration(i) * 10 * time.Millisecond})
		clk.Advance(10 * time.Millisecond)
	}
	h := tr.Snapshot()[0]
	if h.TTFTp50 < 45*time.Millisecond || h.TTFTp50 > 55*time.Millisecond || h.TTFTp99 < 95*time.Millisecond {
		t.Errorf("quantiles %+v", h)
	}
	if h.Requests != 100 || h.ErrorRate != 0 {
		t.Errorf("window counts %+v", h)
	}
}

func TestConcurrentUse(t *testing.T) {
	tr := NewTracker(Config{}, nil, Options{})
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 500; i++ {
				dep := []string{"a", "b", "c"}[i%3]
				probe, ok := tr.Acquire(dep)
				if ok {
					tr.Record(Outcome{Deployment: dep, Failed: i%7 == 0, TTFT: time.Millisecond, Probe: probe})
				}
				tr.Status(dep)
				if i%100 == 0 {
					tr.Snapshot()
				}
			}
		}(g)
	}
	wg.Wait()
}
