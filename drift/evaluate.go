package drift

import (
	"math"
	"slices"
	"time"

	"switchyard/drift/stats"
	"switchyard/llm"
	"switchyard/store"
)

// Verdicts of a run (store.DriftRun.Verdict).
const (
	// VerdictBaseline: the run joined the deployment's baseline.
	VerdictBaseline = "baseline"
	// VerdictClean: no test is even nominally significant (every p ≥ α).
	VerdictClean = "clean"
	// VerdictWatch: some test is nominally significant, none after the
	// corrections for many tests and repeated looks.
	VerdictWatch = "watch"
	// VerdictFlagged: a change is significant after every correction,
	// and large enough to matter.
	VerdictFlagged = "flagged"
	// VerdictIncomplete: too many prompts got no answer (more than
	// MaxErrorShare); the run is neither tested nor a baseline.
	VerdictIncomplete = "incomplete"
)

// The metrics tests compare (store.DriftTest.Metric).
const (
	MetricPassRate     = "pass_rate"
	MetricRefusalRate  = "refusal_rate"
	MetricAnswerLength = "answer_length"
	MetricLatency      = "latency"
)

// The scopes of a test: this run alone, or the recent runs pooled.
const (
	ScopeRun    = "run"
	ScopeWindow = "window"
)

// Options tune the comparison of runs with their baseline. Zero fields
// take the defaults noted.
type Options struct {
	// Alpha is the alarm budget: the probability of any false alarm on a
	// deployment that does not change, over Looks compared runs (0.05).
	// Each run is tested at Alpha/Looks, the false discovery rate being
	// controlled at that level across the deployments and metrics of
	// the run (Benjamini–Hochberg).
	Alpha float64
	// Looks is the number of compared runs the budget covers (10).
	Looks int
	// BaselineRuns is how many complete runs form the baseline when none
	// is pinned (5).
	BaselineRuns int
	// Window is how many recent runs (this one included) the window tests
	// pool (3); 1 turns them off.
	Window int
	// The smallest changes flagged, however significant: a pass rate
	// lower by MinPassDrop (0.05), a refusal rate higher by
	// MinRefusalRise (0.03), answers longer or shorter by MinLengthChange
	// of the median (0.15), latency higher by MinLatencyRise (0.25).
	MinPassDrop, MinRefusalRise, MinLengthChange, MinLatencyRise float64
	// MinLatencyIncrease is the smallest rise of the median latency
	// flagged, however large relatively (250ms): a few milliseconds more
	// on a fast answer is noise, not drift.
	MinLatencyIncrease time.Duration
	// MinSamples is the fewest answers each side of a test needs (5 for
	// rates; twice that for lengths and latencies).
	MinSamples int
	// MaxErrorShare is the share of prompts without an answer above
	// which a run is incomplete (0.2).
	MaxErrorShare float64
	// IgnoreLatency leaves latency out of the tests: for answers whose
	// latency is no provider's but the measuring machine's, such as the
	// demo's in-process simulators (a few milliseconds of scheduling
	// noise that would make a seeded run's tests differ from run to run).
	IgnoreLatency bool
}

// WithDefaults returns o with its zero fields defaulted.
func (o Options) WithDefaults() Options {
	def := func(v *float64, d float64) {
		if *v == 0 {
			*v = d
		}
	}
	def(&o.Alpha, 0.05)
	def(&o.MinPassDrop, 0.05)
	def(&o.MinRefusalRise, 0.03)
	def(&o.MinLengthChange, 0.15)
	def(&o.MinLatencyRise, 0.25)
	def(&o.MaxErrorShare, 0.2)
	if o.Looks == 0 {
		o.Looks = 10
	}
	if o.BaselineRuns == 0 {
		o.BaselineRuns = 5
	}
	if o.Window == 0 {
		o.Window = 3
	}
	if o.MinSamples == 0 {
		o.MinSamples = 5
	}
	if o.MinLatencyIncrease == 0 {
		o.MinLatencyIncrease = 250 * time.Millisecond
	}
	return o
}

// LookAlpha is the level each run is tested at: Alpha/Looks.
func (o Options) LookAlpha() float64 { return o.Alpha / float64(o.Looks) }

// History is what one deployment's comparisons read of its past runs in
// one set. The zero value has no baseline. It is not safe for concurrent
// use.
type History struct {
	// Baseline holds the baseline runs' results, oldest first.
	Baseline [][]store.DriftResult
	// Pinned reports a pinned baseline, which runs never join.
	Pinned bool
	// Recent holds the latest compared runs' results, oldest first: the
	// window tests pool them with the current run.
	Recent [][]store.DriftResult
}

// Complete reports whether results has few enough errors to count.
func Complete(results []store.DriftResult, o Options) bool {
	if len(results) == 0 {
		return false
	}
	errs := 0
	for i := range results {
		if results[i].ErrorKind != "" {
			errs++
		}
	}
	return float64(errs) <= o.MaxErrorShare*float64(len(results))
}

// NeedsBaseline reports whether the next complete run joins the baseline.
func (h *History) NeedsBaseline(o Options) bool {
	return !h.Pinned && len(h.Baseline) < o.WithDefaults().BaselineRuns
}

// AddBaseline adds a run to the baseline.
func (h *History) AddBaseline(results []store.DriftResult) {
	h.Baseline = append(h.Baseline, results)
}

// AddCompared records a compared run for the window tests of later runs.
func (h *History) AddCompared(results []store.DriftResult, o Options) {
	o = o.WithDefaults()
	h.Recent = append(h.Recent, results)
	if keep := o.Window - 1; len(h.Recent) > keep {
		h.Recent = slices.Delete(h.Recent, 0, len(h.Recent)-keep)
	}
}

// Compare tests current against the baseline: pass rate overall and per
// category, refusal rate, answer length and latency on this run, and the
// rates again on the window of recent runs pooled with it. The tests
// have P set; Decide sets Q and Flagged. Without a baseline it returns
// nil.
func (h *History) Compare(current []store.DriftResult, o Options) []store.DriftTest {
	o = o.WithDefaults()
	if len(h.Baseline) == 0 {
		return nil
	}
	base := answered(slices.Concat(h.Baseline...))
	cur := answered(current)
	var tests []store.DriftTest
	tests = append(tests, rateTests(base, cur, ScopeRun, o)...)
	if o.Window > 1 && len(h.Recent) > 0 {
		window := answered(slices.Concat(append(slices.Clone(h.Recent), current)...))
		tests = append(tests, rateTests(base, window, ScopeWindow, o)...)
	}
	lengths := medians(base, func(r *store.DriftResult) (float64, bool) { return float64(r.AnswerChars), !r.Refusal })
	if t, ok := ratioTest(MetricAnswerLength, base, cur, lengths, stats.TwoSided, o,
		func(r *store.DriftResult) (float64, bool) { return float64(r.AnswerChars), !r.Refusal }); ok {
		tests = append(tests, t)
	}
	if o.IgnoreLatency {
		return tests
	}
	latencies := medians(base, func(r *store.DriftResult) (float64, bool) { return float64(r.Latency), true })
	if t, ok := ratioTest(MetricLatency, base, cur, latencies, stats.Greater, o,
		func(r *store.DriftResult) (float64, bool) { return float64(r.Latency), true }); ok {
		tests = append(tests, t)
	}
	return tests
}

// answered keeps the results that got an answer.
func answered(rs []store.DriftResult) []store.DriftResult {
	out := make([]store.DriftResult, 0, len(rs))
	for _, r := range rs {
		if r.ErrorKind == "" {
			out = append(out, r)
		}
	}
	return out
}

// rateTests compares the pass rate (overall and per category) and the
// refusal rate of the prompts that must not be refused.
func rateTests(base, cur []store.DriftResult, scope string, o Options) []store.DriftTest {
	var out []store.DriftTest
	pass := func(r *store.DriftResult) bool { return r.Pass }
	if t, ok := proportionTest(MetricPassRate, "", scope, base, cur, pass, stats.Less, o); ok {
		out = append(out, t)
	}
	for _, c := range llm.Categories {
		in := func(rs []store.DriftResult) []store.DriftResult {
			return slices.DeleteFunc(slices.Clone(rs), func(r store.DriftResult) bool { return r.Category != c })
		}
		b, k := in(base), in(cur)
		if len(b) == len(base) && len(k) == len(cur) {
			break // one category: its test is the overall one
		}
		if t, ok := proportionTest(MetricPassRate, c, scope, b, k, pass, stats.Less, o); ok {
			out = append(out, t)
		}
	}
	benign := func(rs []store.DriftResult) []store.DriftResult {
		return slices.DeleteFunc(slices.Clone(rs), func(r store.DriftResult) bool { return r.Expect == string(KindRefuses) })
	}
	refused := func(r *store.DriftResult) bool { return r.Refusal }
	if t, ok := proportionTest(MetricRefusalRate, "", scope, benign(base), benign(cur), refused, stats.Greater, o); ok {
		out = append(out, t)
	}
	return out
}

func proportionTest(metric string, c llm.Category, scope string, base, cur []store.DriftResult,
	hit func(*store.DriftResult) bool, alt stats.Alternative, o Options) (store.DriftTest, bool) {
	if len(base) < o.MinSamples || len(cur) < o.MinSamples {
		return store.DriftTest{}, false
	}
	count := func(rs []store.DriftResult) stats.Count {
		n := stats.Count{N: len(rs)}
		for i := range rs {
			if hit(&rs[i]) {
				n.X++
			}
		}
		return n
	}
	b, k := count(base), count(cur)
	p, err := stats.ProportionTest(k, b, alt)
	if err != nil {
		return store.DriftTest{}, false
	}
	name := "fisher"
	if b.N+k.N > stats.ExactLimit {
		name = "two_proportion_z"
	}
	return store.DriftTest{
		Metric: metric, Category: c, Scope: scope, Baseline: b.Rate(), Current: k.Rate(), BaselineN: b.N, CurrentN: k.N,
		Effect: k.Rate() - b.Rate(), Test: name + "_" + alt.String(), P: p,
	}, true
}

// medians returns the baseline's median value per prompt, over the
// results value accepts.
func medians(base []store.DriftResult, value func(*store.DriftResult) (float64, bool)) map[string]float64 {
	by := map[string][]float64{}
	for i := range base {
		if v, ok := value(&base[i]); ok {
			by[base[i].PromptID] = append(by[base[i].PromptID], v)
		}
	}
	out := make(map[string]float64, len(by))
	for id, vs := range by {
		out[id] = median(vs)
	}
	return out
}

// ratioTest compares the values of the current run with the baseline's,
// each taken relative to its prompt's baseline median, with the
// Mann–Whitney U test: prompts differ far more from each other than one
// prompt's answers do, so dividing by the prompt's own median leaves the
// change to be seen. Prompts without a baseline value are left out.
func ratioTest(metric string, base, cur []store.DriftResult, med map[string]float64, alt stats.Alternative, o Options,
	value func(*store.DriftResult) (float64, bool)) (store.DriftTest, bool) {
	ratios := func(rs []store.DriftResult) (rel, raw []float64) {
		for i := range rs {
			v, ok := value(&rs[i])
			m, known := med[rs[i].PromptID]
			if ok && known && m > 0 {
				rel, raw = append(rel, v/m), append(raw, v)
			}
		}
		return rel, raw
	}
	bRel, bRaw := ratios(base)
	cRel, cRaw := ratios(cur)
	if min(len(bRel), len(cRel)) < 2*o.MinSamples {
		return store.DriftTest{}, false
	}
	mw := stats.MannWhitneyU(cRel, bRel, alt)
	return store.DriftTest{
		Metric: metric, Scope: ScopeRun, Baseline: median(bRaw), Current: median(cRaw), BaselineN: len(bRel), CurrentN: len(cRel),
		Effect: median(cRel)/median(bRel) - 1, Test: "mann_whitney_" + alt.String(), P: mw.P,
	}, true
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// Comparison is one deployment's tests in one look.
type Comparison struct {
	Deployment string
	Tests      []store.DriftTest
}

// Decide adjusts the p-values of every test of one look (all the
// comparisons: deployments × metrics) with Benjamini–Hochberg, setting
// each test's Q, and flags a test when Q ≤ o.LookAlpha() and its effect
// is at least the option's minimum for its metric.
func Decide(cs []*Comparison, o Options) {
	o = o.WithDefaults()
	var ps []float64
	for _, c := range cs {
		for _, t := range c.Tests {
			ps = append(ps, t.P)
		}
	}
	qs := stats.BenjaminiHochberg(ps)
	i := 0
	for _, c := range cs {
		for j := range c.Tests {
			t := &c.Tests[j]
			t.Q = qs[i]
			i++
			t.Flagged = t.Q <= o.LookAlpha() && bigEnough(t, o)
		}
	}
}

// bigEnough reports whether a test's effect is at least its metric's
// minimum, in the direction the metric is watched in.
func bigEnough(t *store.DriftTest, o Options) bool {
	switch t.Metric {
	case MetricPassRate:
		return -t.Effect >= o.MinPassDrop
	case MetricRefusalRate:
		return t.Effect >= o.MinRefusalRise
	case MetricAnswerLength:
		return math.Abs(t.Effect) >= o.MinLengthChange
	case MetricLatency:
		return t.Effect >= o.MinLatencyRise && t.Current-t.Baseline >= float64(o.MinLatencyIncrease)
	}
	return false
}

// VerdictOf returns a compared run's verdict from its decided tests.
func VerdictOf(tests []store.DriftTest, o Options) string {
	o = o.WithDefaults()
	verdict := VerdictClean
	for _, t := range tests {
		if t.Flagged {
			return VerdictFlagged
		}
		if t.P < o.Alpha {
			verdict = VerdictWatch
		}
	}
	return verdict
}
