package bandit

import (
	"math"
	"time"
)

// Counts are an arm's discounted outcomes: Good is the sum of the
// rewards (each in [0, 1]) and Bad the sum of their complements, both
// decayed with the route's half-life, so Good + Bad is the effective
// number of outcomes.
type Counts struct{ Good, Bad float64 }

// N is the effective number of outcomes.
func (c Counts) N() float64 { return c.Good + c.Bad }

// Decay returns the factor a count loses over elapsed at half-life h:
// 0.5^(elapsed/h). A zero or negative h (no decay) or elapsed gives 1.
func Decay(elapsed, h time.Duration) float64 {
	if h <= 0 || elapsed <= 0 {
		return 1
	}
	return math.Exp2(-float64(elapsed) / float64(h))
}

// scale returns c times f.
func (c Counts) scale(f float64) Counts { return Counts{c.Good * f, c.Bad * f} }

// cell is one arm's counts as of a time.
type cell struct {
	Counts
	at time.Time
}

// DefaultMaxArms bounds a Table's arms (NewTable's default).
const DefaultMaxArms = 100000

// Table holds every arm's counts and takes outcomes. It is not safe for
// concurrent use: one goroutine owns it (switchyard/learn/adaptive's
// learner) and publishes immutable Snapshots for the hot path.
type Table struct {
	cells    map[Key]*cell
	halfLife func(route string) time.Duration
	max      int
	// Refused counts updates of new arms refused because the table was
	// full.
	Refused int64
}

// NewTable returns an empty table whose counts decay with halfLife(route)
// (zero: no decay); it holds at most maxArms arms (zero:
// DefaultMaxArms), refusing new ones past that.
func NewTable(halfLife func(route string) time.Duration, maxArms int) *Table {
	if maxArms <= 0 {
		maxArms = DefaultMaxArms
	}
	return &Table{cells: map[Key]*cell{}, halfLife: halfLife, max: maxArms}
}

// Len returns the number of arms.
func (t *Table) Len() int { return len(t.cells) }

// Add decays k's counts to at and adds d to them; a negative part of d
// (a correction of an earlier reward) takes them no lower than zero. It
// reports false when k is new and the table is full.
func (t *Table) Add(k Key, d Counts, at time.Time) bool {
	c := t.cells[k]
	if c == nil {
		if len(t.cells) >= t.max {
			t.Refused++
			return false
		}
		c = &cell{at: at}
		t.cells[k] = c
	}
	if at.After(c.at) {
		c.Counts = c.scale(Decay(at.Sub(c.at), t.halfLife(k.Route)))
		c.at = at
	} else if at.Before(c.at) { // a late outcome counts as decayed already
		d = d.scale(Decay(c.at.Sub(at), t.halfLife(k.Route)))
	}
	c.Good = max(0, c.Good+d.Good)
	c.Bad = max(0, c.Bad+d.Bad)
	return true
}

// Get returns k's counts decayed to at.
func (t *Table) Get(k Key, at time.Time) Counts {
	c := t.cells[k]
	if c == nil {
		return Counts{}
	}
	return c.scale(Decay(at.Sub(c.at), t.halfLife(k.Route)))
}

// Set replaces k's counts by n as of at (restoring a snapshot, or the
// merged shared state); it reports false when k is new and the table is
// full.
func (t *Table) Set(k Key, n Counts, at time.Time) bool {
	c := t.cells[k]
	if c == nil {
		if len(t.cells) >= t.max {
			t.Refused++
			return false
		}
		c = &cell{}
		t.cells[k] = c
	}
	// Merged shared counts may dip below zero when processes discount the
	// same record at once (Changes): never hold negative counts.
	c.Counts, c.at = Counts{Good: max(0, n.Good), Bad: max(0, n.Bad)}, at
	return true
}

// Each calls f with every arm's counts decayed to at.
func (t *Table) Each(at time.Time, f func(Key, Counts)) {
	for k := range t.cells {
		f(k, t.Get(k, at))
	}
}

// forgetBelow is the effective count under which Snapshot forgets an arm.
const forgetBelow = 1e-3

// Snapshot returns the counts decayed to at, as an immutable Snapshot,
// and forgets the arms decayed to nearly nothing.
func (t *Table) Snapshot(at time.Time) *Snapshot {
	s := &Snapshot{At: at, counts: make(map[Key]Counts, len(t.cells))}
	for k := range t.cells {
		n := t.Get(k, at)
		if n.N() < forgetBelow {
			delete(t.cells, k)
			continue
		}
		s.counts[k] = n
	}
	return s
}

// ReplaceRoute makes counts, as of at, the counts of every arm of route:
// arms of route absent from counts are dropped, other routes' arms are
// kept. Keys of counts must belong to route. Arms past the bound are
// refused and counted.
func (t *Table) ReplaceRoute(route string, counts map[Key]Counts, at time.Time) {
	for k := range t.cells {
		if _, ok := counts[k]; k.Route == route && !ok {
			delete(t.cells, k)
		}
	}
	for k, n := range counts {
		t.Set(k, n, at)
	}
}
