package adaptive

import (
	"fmt"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/learn/bandit"
	"switchyard/state"
	"switchyard/store"
)

// pattern returns the reward of the i-th outcome of a deployment that is
// good 9 times in 10.
func pattern(i int) float64 {
	if i%10 == 3 {
		return 0
	}
	return 1
}

// TestLearnerNoticesAChange: cheap answers code well for 300 rated
// requests, a minute apart, then badly. Within a change window of bad
// outcomes the learner notices (the metric counts it), and its record for
// code shrinks at once to a window and a quarter of outcomes, about half
// of them good, instead of fading over hours; its global record keeps its
// history. A later rating correcting an outcome is not a new outcome for
// the detector.
func TestLearnerNoticesAChange(t *testing.T) {
	c := newClock()
	reg := prometheus.NewRegistry()
	l := newLearner(t, c, Options{Registerer: reg})
	for i := range 300 {
		c.Advance(time.Minute)
		rate(l, fmt.Sprintf("good%d", i), "cheap", pattern(i))
	}
	s := flush(t, l)
	if got := testutil.ToFloat64(l.m.changes.WithLabelValues("auto", "cheap")); got != 0 {
		t.Fatalf("%v changes while nothing changed", got)
	}
	cat := key("cheap", "", ctxCode.Category())
	before, global := s.Counts(cat), s.Counts(key("cheap", "", bandit.Global))
	// Corrections of earlier outcomes (all to 0) do not count as recent
	// outcomes.
	for i := range bandit.ChangeWindow {
		l.Feedback([]*store.Feedback{rating(fmt.Sprintf("good%d", 299-i), "", 0)})
	}
	flush(t, l)
	if got := testutil.ToFloat64(l.m.changes.WithLabelValues("auto", "cheap")); got != 0 {
		t.Fatalf("corrections were taken for a change")
	}
	noticed := 0
	for i := 1; i <= bandit.ChangeWindow && noticed == 0; i++ {
		c.Advance(time.Minute)
		rate(l, fmt.Sprintf("bad%d", i), "cheap", 0)
		flush(t, l)
		if testutil.ToFloat64(l.m.changes.WithLabelValues("auto", "cheap")) == 1 {
			noticed = i
		}
	}
	if noticed == 0 {
		t.Fatalf("no change noticed after %d bad outcomes", bandit.ChangeWindow)
	}
	s = flush(t, l)
	after := s.Counts(cat)
	if want := bandit.ChangeWindow * (1 + bandit.ChangeKeep); after.Good/after.N() > 0.55 || !near(after.N(), want) {
		t.Errorf("after the change: code %+v (before %+v)", after, before)
	}
	if g := s.Counts(key("cheap", "", bandit.Global)); g.N() < global.N() {
		t.Errorf("the global record was discounted: %+v → %+v", global, g)
	}
	t.Logf("noticed after %d bad outcomes; code %+v → %+v", noticed, before, after)
}

// TestChangeShared: with the shared state, the discount one process
// applies reaches the other at the next merge.
func TestChangeShared(t *testing.T) {
	c := newClock()
	prefix := "switchyard-test:" + state.NewID() + ":"
	opts := func() Options {
		return Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Shared: openRedis(t, prefix, c), SyncEvery: time.Hour}
	}
	a, b := newLearner(t, c, opts()), newLearner(t, c, opts())
	for i := range 100 {
		rate(a, fmt.Sprintf("g%d", i), "cheap", pattern(i))
	}
	flush(t, a)
	cat := key("cheap", "", ctxCode.Category())
	if got := flush(t, b).Counts(cat); got.N() < 99 {
		t.Fatalf("b before the change: %+v", got)
	}
	for i := range bandit.ChangeWindow {
		rate(a, fmt.Sprintf("b%d", i), "cheap", 0)
	}
	sa := flush(t, a)
	sb := flush(t, b)
	if got := testutil.ToFloat64(a.m.changes.WithLabelValues("auto", "cheap")); got != 1 {
		t.Fatalf("a noticed %v changes", got)
	}
	ga, gb := sa.Counts(cat), sb.Counts(cat)
	if !near(ga.Good, gb.Good) || !near(ga.Bad, gb.Bad) || ga.N() > 2*bandit.ChangeWindow || ga.Good/ga.N() > 0.5 {
		t.Errorf("after the change: a %+v, b %+v", ga, gb)
	}
}
