package bandit

import (
	"math"
	"time"
)

// This file notices that a deployment changed. Decay alone makes a
// deployment that degrades lose its place only as fast as its old
// outcomes fade, and once it has lost its place it gets few new ones, so
// its estimate stays near the switching point, stale, and traffic goes
// back and forth. Changes compares each deployment's recent outcomes in a
// category with its older record there; when they differ beyond chance,
// the older record is discounted, so the estimate follows the recent
// outcomes at once.

// Change detection's settings.
const (
	// ChangeWindow is how many recent outcomes of a deployment in a
	// category are compared with its older record there (which must weigh
	// at least as much).
	ChangeWindow = 30
	// ChangeZ is how many standard errors apart the recent and older
	// shares of good outcomes must be: at 4.5 a deployment that did not
	// change is taken for changed about once in 20,000 outcomes of a
	// category (bandit tests), and a drop from 0.88 to 0.2 is noticed
	// after about 11 outcomes.
	ChangeZ = 4.5
	// ChangeKeep is the weight of the older record after a change, in
	// windows: it then weighs a quarter of the recent outcomes.
	ChangeKeep = 0.25
	// DefaultMaxWatched bounds the (route, deployment, category) windows
	// a Changes keeps.
	DefaultMaxWatched = 10000
)

// Changes watches the recent outcomes of every (route, deployment,
// category) and discounts a deployment's older record in a category when
// its recent outcomes there show it changed. Like a Table it is owned by
// one goroutine.
type Changes struct {
	windows map[Key]*window
	max     int
}

// window is the last ChangeWindow rewards of an arm, in a ring.
type window struct {
	r       [ChangeWindow]float64
	n, next int
	sum     float64
}

// NewChanges returns a detector keeping at most maxWatched windows (zero:
// DefaultMaxWatched); past that, new arms are not watched.
func NewChanges(maxWatched int) *Changes {
	if maxWatched <= 0 {
		maxWatched = DefaultMaxWatched
	}
	return &Changes{windows: map[Key]*window{}, max: maxWatched}
}

// Change is what Observe found: the arm's category key, the share of good
// outcomes of its recent window and of its older record, and the older
// record's effective outcomes.
type Change struct {
	Key            Key
	Recent, Before float64
	BeforeN        float64
}

// Observe records reward (in [0, 1]) of an outcome of route's deployment
// dep in context c, already added to t at at. When the deployment's
// recent outcomes in c's category differ from its older record there by
// more than ChangeZ standard errors, it discounts that older record to
// ChangeKeep windows in t — the category arm and, at the same mean, its
// contexts' and tenants' arms — calls f with each arm's change (for the
// shared state), starts the window anew and reports the change.
func (ch *Changes) Observe(t *Table, route, dep string, c Context, reward float64, at time.Time, f func(Key, Counts)) (Change, bool) {
	k := Key{Route: route, Deployment: dep, Context: c.Category()}
	w := ch.windows[k]
	if w == nil {
		if len(ch.windows) >= ch.max {
			return Change{}, false
		}
		w = &window{}
		ch.windows[k] = w
	}
	w.push(reward)
	if w.n < ChangeWindow {
		return Change{}, false
	}
	cur := t.Get(k, at)
	recent := Counts{Good: w.sum, Bad: ChangeWindow - w.sum}
	old := Counts{Good: max(0, cur.Good-recent.Good), Bad: max(0, cur.Bad-recent.Bad)}
	if old.N() < ChangeWindow {
		return Change{}, false
	}
	// The two-proportion test, the standard error from the pooled share,
	// kept within [0.1, 0.9]: near 0 or 1 the normal approximation
	// understates how often a window of 30 has a few more bad (or good)
	// outcomes than usual.
	p := min(max((old.Good+recent.Good)/(old.N()+ChangeWindow), 0.1), 0.9)
	se := math.Sqrt(p * (1 - p) * (1.0/ChangeWindow + 1/old.N()))
	if math.Abs(recent.Good/ChangeWindow-old.Good/old.N()) <= ChangeZ*se {
		return Change{}, false
	}
	g := ChangeKeep * ChangeWindow / old.N()
	t.discount(k, Counts{Good: recent.Good + g*old.Good, Bad: recent.Bad + g*old.Bad}, at, f)
	*w = window{}
	return Change{Key: k, Recent: recent.Good / ChangeWindow, Before: old.Good / old.N(), BeforeN: old.N()}, true
}

func (w *window) push(r float64) {
	if w.n == ChangeWindow {
		w.sum -= w.r[w.next]
	} else {
		w.n++
	}
	w.r[w.next] = r
	w.sum += r
	w.next = (w.next + 1) % ChangeWindow
}

// discount makes next the counts of the category arm cat as of at, and
// gives every finer arm of the same route, deployment and category (its
// contexts, every tenant's) next's mean, its effective outcomes shrunk
// in the same proportion; f gets each arm's change.
func (t *Table) discount(cat Key, next Counts, at time.Time, f func(Key, Counts)) {
	prev := t.Get(cat, at)
	if prev.N() <= 0 || next.N() <= 0 {
		return
	}
	shrink, mean := next.N()/prev.N(), next.Good/next.N()
	for k := range t.cells {
		if k.Route != cat.Route || k.Deployment != cat.Deployment || k.Context.Level() == LevelGlobal ||
			k.Context.Category() != cat.Context {
			continue
		}
		cur := t.Get(k, at)
		want := next
		if k != cat {
			n := cur.N() * shrink
			want = Counts{Good: mean * n, Bad: (1 - mean) * n}
		}
		d := Counts{Good: want.Good - cur.Good, Bad: want.Bad - cur.Bad}
		t.Add(k, d, at)
		f(k, d)
	}
}
