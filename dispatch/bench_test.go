package dispatch

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/health"
	"switchyard/llm"
)

// BenchmarkFailover measures what a failover costs beyond the tier
// timeout: the primary never answers, the secondary answers at once, and
// the reported added-µs/op is the time past the 5ms tier timeout until
// the secondary's first chunk is in hand.
func BenchmarkFailover(b *testing.B) {
	const timeout = 5 * time.Millisecond
	a, s := newFake("a", script{delay: time.Hour}), newFake("b", script{})
	d := New(Options{})
	plan := planOf(timeout, a, s)
	var added time.Duration
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		st, err := d.Stream(context.Background(), req(), plan, &llm.Served{})
		if err != nil {
			b.Fatal(err)
		}
		added += time.Since(start) - timeout
		drain(st)
	}
	b.ReportMetric(float64(added.Microseconds())/float64(b.N), "added-µs/op")
}

// BenchmarkDispatchHealthy is the dispatcher's own cost on the happy path:
// one tier, instant upstream, health tracking on.
func BenchmarkDispatchHealthy(b *testing.B) {
	a := newFake("a", script{})
	d := New(Options{Health: health.NewTracker(health.Config{}, []string{"a"}, health.Options{})})
	plan := planOf(800*time.Millisecond, a)
	b.ReportAllocs()
	for b.Loop() {
		st, err := d.Stream(context.Background(), req(), plan, &llm.Served{})
		if err != nil {
			b.Fatal(err)
		}
		drain(st)
	}
}

// BenchmarkDispatchChunks is the dispatcher's cost of relaying an answer
// of 40 chunks that are all there at once (as when an upstream's events
// arrive together in one read): the relay and the stall timer per chunk,
// whose operations it counts (timer-ops/op).
func BenchmarkDispatchChunks(b *testing.B) {
	a := newFake("a", script{chunks: 40})
	var ops atomic.Int64
	d := New(Options{
		Health:    health.NewTracker(health.Config{}, []string{"a"}, health.Options{}),
		AfterFunc: func(d time.Duration, f func()) Timer { ops.Add(1); return countingTimer{time.AfterFunc(d, f), &ops} },
	})
	plan := planOf(800*time.Millisecond, a)
	b.ReportAllocs()
	for b.Loop() {
		st, err := d.Stream(context.Background(), req(), plan, &llm.Served{})
		if err != nil {
			b.Fatal(err)
		}
		drain(st)
	}
	b.ReportMetric(float64(ops.Load())/float64(b.N), "timer-ops/op")
}

// countingTimer counts the operations on a timer.
type countingTimer struct {
	*time.Timer
	ops *atomic.Int64
}

func (t countingTimer) Reset(d time.Duration) bool { t.ops.Add(1); return t.Timer.Reset(d) }
func (t countingTimer) Stop() bool                 { t.ops.Add(1); return t.Timer.Stop() }
