package bandit

import (
	"math"
	"testing"
	"time"

	"switchyard/llm"
)

// changeRun feeds outcomes of arm (r, d) in one full context, tenant t,
// a minute apart, to a table whose half-life is 5 hours (about 430
// outcomes of weight in all), and to a detector.
type changeRun struct {
	tab *Table
	ch  *Changes
	rng *Rand
	ctx Context
	at  time.Time
	n   int
}

func newChangeRun(seed uint64) *changeRun {
	return &changeRun{
		tab: NewTable(func(string) time.Duration { return 5 * time.Hour }, 0), ch: NewChanges(0), rng: RNG(seed),
		ctx: ContextOf(Features{Category: llm.CategoryExtraction, PromptTokens: 100}), at: time.Unix(1700000000, 0),
	}
}

// outcome adds one outcome of probability p of being good; it returns the
// change detected, if any, and the arms' changes passed to f.
func (r *changeRun) outcome(p float64) (Change, bool, map[Key]Counts) {
	r.n++
	r.at = r.at.Add(time.Minute)
	reward := 0.0
	if r.rng.Float64() < p {
		reward = 1
	}
	for _, k := range Keys(nil, "r", "d", "t", r.ctx) {
		r.tab.Add(k, Counts{Good: reward, Bad: 1 - reward}, r.at)
	}
	deltas := map[Key]Counts{}
	c, ok := r.ch.Observe(r.tab, "r", "d", r.ctx, reward, r.at, func(k Key, d Counts) { deltas[k] = d })
	return c, ok, deltas
}

// TestChangesNoticeADrop: a deployment good 88% of the time drops to 20%;
// the detector notices within a window of outcomes, and discounts its
// older record in the category, its context and its tenant's arm (all to
// the same mean, the category's to a quarter window beside the recent
// window), not its global record; f sees each change.
func TestChangesNoticeADrop(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		r := newChangeRun(seed)
		for range 600 {
			if c, ok, _ := r.outcome(0.88); ok {
				t.Fatalf("seed %d: a change before any: %+v", seed, c)
			}
		}
		cat, full, own := Key{"r", "d", "", r.ctx.Category()}, Key{"r", "d", "", r.ctx}, Key{"r", "d", "t", r.ctx}
		global := r.tab.Get(Key{"r", "d", "", Global}, r.at)
		for i := 1; ; i++ {
			before := map[Key]Counts{cat: r.tab.Get(cat, r.at), full: r.tab.Get(full, r.at), own: r.tab.Get(own, r.at)}
			c, ok, deltas := r.outcome(0.2)
			if !ok {
				if i >= ChangeWindow {
					t.Fatalf("seed %d: no change noticed after %d outcomes at 0.2", seed, i)
				}
				global = r.tab.Get(Key{"r", "d", "", Global}, r.at)
				continue
			}
			if c.Key != cat || c.Recent > c.Before-0.25 || math.Abs(c.Before-0.88) > 0.05 || c.BeforeN < 290 {
				t.Errorf("seed %d: change %+v", seed, c)
			}
			after := r.tab.Get(cat, r.at)
			mean := (c.Recent + ChangeKeep*c.Before) / (1 + ChangeKeep)
			if want := ChangeWindow * (1 + ChangeKeep); math.Abs(after.N()-want) > 1e-6 || math.Abs(after.Good/after.N()-mean) > 1e-6 {
				t.Errorf("seed %d: the category's record after the change: %+v", seed, after)
			}
			for _, k := range []Key{full, own} {
				got := r.tab.Get(k, r.at)
				if math.Abs(got.Good/got.N()-after.Good/after.N()) > 1e-9 || got.N() >= before[k].N() {
					t.Errorf("seed %d: %v after the change %+v (before %+v)", seed, k, got, before[k])
				}
			}
			if len(deltas) != 3 {
				t.Errorf("seed %d: f saw %v", seed, deltas)
			}
			for k, d := range deltas {
				b := before[k]
				if got := r.tab.Get(k, r.at); math.Abs(got.N()-(b.N()+d.N())) > 0.5 {
					t.Errorf("seed %d: %v: %+v + change %+v != %+v", seed, k, b, d, got)
				}
			}
			if g := r.tab.Get(Key{"r", "d", "", Global}, r.at); g.N() < global.N() {
				t.Errorf("seed %d: the global record was discounted: %+v → %+v", seed, global, g)
			}
			t.Logf("seed %d: noticed after %d outcomes at 0.2: %+v", seed, i, c)
			break
		}
	}
}

// TestChangesNoticeAnImprovement: from 0.5 to 0.95.
func TestChangesNoticeAnImprovement(t *testing.T) {
	r := newChangeRun(7)
	for range 400 {
		r.outcome(0.5)
	}
	for i := 1; i <= ChangeWindow; i++ {
		if c, ok, _ := r.outcome(0.95); ok {
			if c.Recent < 0.7 {
				t.Errorf("change %+v", c)
			}
			return
		}
	}
	t.Fatalf("no improvement noticed within %d outcomes", ChangeWindow)
}

// TestChangesFalseAlarms: a deployment that does not change is rarely
// taken for changed: at most 3 times in 100,000 outcomes at each rate.
func TestChangesFalseAlarms(t *testing.T) {
	for _, p := range []float64{0.5, 0.88, 0.97} {
		r := newChangeRun(uint64(p * 1000))
		alarms := 0
		for range 100000 {
			if _, ok, _ := r.outcome(p); ok {
				alarms++
			}
		}
		t.Logf("p=%.2f: %d false alarms in 100,000 outcomes", p, alarms)
		if alarms > 3 {
			t.Errorf("p=%.2f: %d false alarms in 100,000 outcomes", p, alarms)
		}
	}
}

// TestChangesBounded: past maxWatched arms, new ones are not watched; an
// arm with less older record than a window is not judged.
func TestChangesBounded(t *testing.T) {
	tab := NewTable(func(string) time.Duration { return 0 }, 0)
	ch := NewChanges(1)
	c := ContextOf(Features{Category: llm.CategoryCode})
	at := time.Unix(0, 0)
	add := func(dep string, reward float64) bool {
		for _, k := range Keys(nil, "r", dep, "", c) {
			tab.Add(k, Counts{Good: reward, Bad: 1 - reward}, at)
		}
		_, ok := ch.Observe(tab, "r", dep, c, reward, at, func(Key, Counts) {})
		return ok
	}
	// 25 good outcomes, then 20 bad: the older record (5 outcomes) is
	// too thin to judge against.
	for i := range 45 {
		if add("a", b2f(i < 25)) {
			t.Fatalf("outcome %d: judged against a thin record", i)
		}
	}
	// b is past the bound: never watched.
	for i := range 200 {
		if add("b", b2f(i < 100)) {
			t.Fatalf("an arm past the bound was watched")
		}
	}
	if len(ch.windows) != 1 {
		t.Errorf("%d windows", len(ch.windows))
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// TestSetNeverNegative: merged shared counts that dip below zero (two
// processes discounting the same record) are held as zero.
func TestSetNeverNegative(t *testing.T) {
	tab := NewTable(func(string) time.Duration { return 0 }, 0)
	k := Key{"r", "d", "", Global}
	tab.Set(k, Counts{Good: -0.5, Bad: 2}, time.Unix(0, 0))
	if got := tab.Get(k, time.Unix(0, 0)); got != (Counts{Bad: 2}) {
		t.Errorf("counts %+v, want {0 2}", got)
	}
}
