package bandit

import (
	"math"
	"time"
)

// Snapshot is every arm's counts at one time. It is immutable and safe
// for concurrent use; a nil *Snapshot holds nothing (every estimate is
// its prior).
type Snapshot struct {
	// At is the time the counts are decayed to.
	At     time.Time
	counts map[Key]Counts
}

// NewSnapshot returns a snapshot of counts at at; it keeps the map.
func NewSnapshot(at time.Time, counts map[Key]Counts) *Snapshot {
	return &Snapshot{At: at, counts: counts}
}

// Counts returns k's counts (zero when absent).
func (s *Snapshot) Counts(k Key) Counts {
	if s == nil {
		return Counts{}
	}
	return s.counts[k]
}

// Len returns the number of arms in the snapshot.
func (s *Snapshot) Len() int {
	if s == nil {
		return 0
	}
	return len(s.counts)
}

// Each calls f with every arm, in no particular order.
func (s *Snapshot) Each(f func(Key, Counts)) {
	if s == nil {
		return
	}
	for k, c := range s.counts {
		f(k, c)
	}
}

// Prior is what an arm's estimate starts from, and how strongly each
// level of pooling holds its children.
type Prior struct {
	// Quality is the deployment's configured quality in [0, 1]: the
	// prior mean of p(good).
	Quality float64
	// Weight is the prior's pseudo-count: a new arm starts from
	// Beta(Quality·Weight, (1−Quality)·Weight).
	Weight float64
	// Pool is the most pseudo-counts a parent level lends its child (the
	// category its full contexts, the full context its tenants): a
	// child's posterior is Beta(m·k + good, (1−m)·k + bad), where m is
	// the parent's mean and k = min(Pool, the parent's α+β).
	Pool float64
}

// Estimate is an arm's pooled posterior of p(good) and its evidence.
type Estimate struct {
	// Alpha and Beta are the posterior's parameters.
	Alpha, Beta float64
	// Outcomes is the arm's effective number of outcomes in the request's
	// category (every tenant): what min_outcomes is held against.
	// ContextOutcomes are those in the full context, TenantOutcomes the
	// tenant's own there.
	Outcomes, ContextOutcomes, TenantOutcomes float64
}

// Mean is the posterior mean of p(good).
func (e Estimate) Mean() float64 { return e.Alpha / (e.Alpha + e.Beta) }

// SD is the posterior's standard deviation.
func (e Estimate) SD() float64 {
	n := e.Alpha + e.Beta
	return math.Sqrt(e.Alpha * e.Beta / (n * n * (n + 1)))
}

// Half95 is the half-width of the normal 95% interval, 1.96·SD.
func (e Estimate) Half95() float64 { return 1.959963984540054 * e.SD() }

// Estimate pools the counts of (route, dep) from the global level down
// to the full context c and the tenant: the prior, plus the global
// counts; that mean lent to the category, plus its counts; likewise to
// the full context, then to the tenant ("" for none). It does not
// allocate.
func (s *Snapshot) Estimate(route, dep, tenant string, c Context, p Prior) Estimate {
	w := max(p.Weight, 1e-6)
	q := min(max(p.Quality, 1e-3), 1-1e-3)
	a, b := q*w, (1-q)*w
	g := s.Counts(Key{route, dep, "", Global})
	a, b = a+g.Good, b+g.Bad
	cat := s.Counts(Key{route, dep, "", c.Category()})
	a, b = pool(a, b, p.Pool, cat)
	full := s.Counts(Key{route, dep, "", c &^ levelMask})
	a, b = pool(a, b, p.Pool, full)
	e := Estimate{Outcomes: cat.N(), ContextOutcomes: full.N()}
	if tenant != "" {
		own := s.Counts(Key{route, dep, tenant, c &^ levelMask})
		a, b = pool(a, b, p.Pool, own)
		e.TenantOutcomes = own.N()
	}
	e.Alpha, e.Beta = a, b
	return e
}

// pool lends a child the parent's mean a/(a+b) as min(k, a+b)
// pseudo-counts and adds the child's counts.
func pool(a, b, k float64, child Counts) (float64, float64) {
	n := a + b
	k = min(k, n)
	return k*a/n + child.Good, k*b/n + child.Bad
}
