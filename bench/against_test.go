package bench

import (
	"bytes"
	"context"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestDuelMode: the ratio is the router's CPU over the other's, and the
// added latency the router's minus the other's.
func TestDuelMode(t *testing.T) {
	ms := time.Millisecond
	sched, err := NewPairSchedule([2]Target{Router, Other}, ms, 10*ms, 0, 10*ms)
	if err != nil {
		t.Fatal(err)
	}
	pr := &pairRun{sched: sched,
		stats: map[Target]TargetStats{
			Router: {Total: Quantiles{P50: 3 * ms, P99: 4 * ms}},
			Other:  {Total: Quantiles{P50: 2 * ms, P99: 5 * ms}},
		},
		cpu: map[Target]time.Duration{Router: 500 * time.Microsecond, Other: 400 * time.Microsecond},
	}
	dm := duelMode(NonStream, pr)
	if dm.CPURatio < 1.2499 || dm.CPURatio > 1.2501 {
		t.Errorf("CPURatio = %v, want 1.25 (500µs over 400µs)", dm.CPURatio)
	}
	if dm.Added.P50 != ms || dm.Added.P99 != -ms || dm.AddedTTFT != nil {
		t.Errorf("Added = %+v (TTFT %v), want router − other: p50 +1ms, p99 −1ms, no TTFT", dm.Added, dm.AddedTTFT)
	}
}

// TestAgainstSmoke runs RunAgainst briefly with switchyard against
// itself: both get requests, in both modes, and CPU figures. It checks
// the plumbing only.
func TestAgainstSmoke(t *testing.T) {
	if testing.Short() {
		t.Skip("starts two router processes; skipped in -short mode")
	}
	if runtime.GOOS != "linux" {
		t.Skip("reads the processes' CPU time from /proc")
	}
	bin := buildSwitchyard(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var progress bytes.Buffer
	d, err := RunAgainst(ctx, Options{
		Rate: 200, Duration: 400 * time.Millisecond, Warmup: 100 * time.Millisecond, Phase: 100 * time.Millisecond,
		Workers: 16, RouterCommand: []string{bin}, Against: []string{bin}, Quiet: true, Progress: &progress,
	})
	if err != nil {
		t.Fatalf("RunAgainst: %v\n%s", err, progress.String())
	}
	if len(d.Modes) != 2 {
		t.Fatalf("got %d modes, want 2", len(d.Modes))
	}
	for _, m := range d.Modes {
		for name, st := range map[Target]TargetStats{Router: m.Router, Other: m.Other} {
			if st.Requests < 20 || st.Errors != 0 {
				t.Errorf("%s %s: %d requests, %d errors (first: %q); want >= 20, all answered", m.Mode, name, st.Requests, st.Errors, st.FirstError)
			}
		}
		if m.RouterCPU <= 0 || m.OtherCPU <= 0 || m.CPURatio <= 0 {
			t.Errorf("%s: CPU router %v, other %v, ratio %v; want all measured", m.Mode, m.RouterCPU, m.OtherCPU, m.CPURatio)
		}
	}
	var table strings.Builder
	if err := d.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"router against " + bin, "CPU per request, nonstream: router", "CPU per request, stream: router", "peak RSS: router"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("the table lacks %q:\n%s", want, table.String())
		}
	}
	if _, err := RunAgainst(ctx, Options{Rate: 1, Duration: time.Second, RouterCommand: []string{bin}}); err == nil {
		t.Error("RunAgainst without Against: no error")
	}
}
