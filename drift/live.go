package drift

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"switchyard/drift/stats"
	"switchyard/llm"
	"switchyard/store"
)

// The metrics of the live monitor (store.DriftTest.Metric), besides
// MetricRefusalRate and MetricAnswerLength.
const (
	MetricFormatFailure = "format_failure_rate"
	MetricTruncation    = "truncation_rate"
)

// ScopeLive is the scope of a live test: the recent window against the
// trailing one.
const ScopeLive = "live"

// maxLiveSample bounds the answer lengths one side of a live length test
// ranks.
const maxLiveSample = 5000

// LiveOptions tune the live monitor. Zero fields take the defaults noted.
type LiveOptions struct {
	// Window is the recent traffic tested (1h); Trailing the traffic
	// before it that it is compared with (24h).
	Window, Trailing time.Duration
	// MinRequests is the fewest requests each side of a path needs
	// (50).
	MinRequests int
	// MinFormatFailureRise and MinTruncationRise are the smallest rises
	// flagged (0.05 each); the refusal rise and length change come from
	// Options.
	MinFormatFailureRise, MinTruncationRise float64
	// Options give the alarm budget (Alpha over Looks checks) and the
	// other minimum effects.
	Options Options
}

func (o LiveOptions) withDefaults() LiveOptions {
	if o.Window == 0 {
		o.Window = time.Hour
	}
	if o.Trailing == 0 {
		o.Trailing = 24 * time.Hour
	}
	if o.MinRequests == 0 {
		o.MinRequests = 50
	}
	if o.MinFormatFailureRise == 0 {
		o.MinFormatFailureRise = 0.05
	}
	if o.MinTruncationRise == 0 {
		o.MinTruncationRise = 0.05
	}
	o.Options = o.Options.WithDefaults()
	return o
}

// Path is one routing path of live traffic.
type Path struct {
	Route      string       `json:"route"`
	Category   llm.Category `json:"category"`
	Deployment string       `json:"deployment"`
}

func (p Path) String() string {
	return fmt.Sprintf("route %s, category %s, deployment %s", orNone(p.Route), orNone(string(p.Category)), p.Deployment)
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// Live watches live traffic per routing path (route × category ×
// deployment) from the stored quality signals: the recent window's
// refusal, format failure and truncation rates and answer lengths
// against the trailing window's, with the tests and corrections golden
// runs use. It alerts on flagged paths (once per window per path and
// metric); it does not demote. It is safe for concurrent use.
type Live struct {
	Store   store.DriftLog
	Options LiveOptions
	Alerter *Alerter
	Metrics *Metrics
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	alerted map[string]time.Time // path and metric → last alert
}

// pathSample is one path's traffic on one side of the comparison.
type pathSample struct {
	n, refused, checked, formatFailed, truncated int
	lengths                                      []float64
}

func (s *pathSample) add(r *store.SignalRow) {
	if r.Failed {
		return
	}
	s.n++
	refused := r.Flags&store.FlagRefusal != 0
	if refused {
		s.refused++
	}
	if r.Flags&store.FlagFormatChecked != 0 {
		s.checked++
		if r.Flags&store.FlagFormatFailed != 0 {
			s.formatFailed++
		}
	}
	truncated := r.Flags&store.FlagTruncated != 0
	if truncated {
		s.truncated++
	}
	if !refused && !truncated && r.AnswerTokens > 0 && len(s.lengths) < maxLiveSample {
		s.lengths = append(s.lengths, float64(r.AnswerTokens))
	}
}

// Check reads the traffic of the last Window and Trailing, tests every
// path with enough of both, and alerts on the flagged ones. It returns
// the look's tests by path.
func (l *Live) Check(ctx context.Context) error {
	_, err := l.Look(ctx)
	return err
}

// LivePath is one path's tests in a look.
type LivePath struct {
	Path  Path              `json:"path"`
	Tests []store.DriftTest `json:"tests"`
}

// Look is Check returning the tests of every path it tested.
func (l *Live) Look(ctx context.Context) ([]LivePath, error) {
	o := l.Options.withDefaults()
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	split := now.Add(-o.Window)
	recent, trailing := map[Path]*pathSample{}, map[Path]*pathSample{}
	err := l.Store.SignalRows(ctx, store.SignalQuery{Since: split.Add(-o.Trailing), Until: now}, func(r *store.SignalRow) error {
		side := trailing
		if !r.Time.Before(split) {
			side = recent
		}
		p := Path{Route: r.Route, Category: r.Category, Deployment: r.Deployment}
		if side[p] == nil {
			side[p] = &pathSample{}
		}
		side[p].add(r)
		return nil
	})
	if err != nil {
		l.Metrics.liveCheck("failed")
		return nil, fmt.Errorf("drift: read live signals: %w", err)
	}
	var paths []LivePath
	var comps []*Comparison
	for _, p := range sortedPaths(recent) {
		cur, base := recent[p], trailing[p]
		if base == nil || cur.n < o.MinRequests || base.n < o.MinRequests {
			continue
		}
		c := &Comparison{Deployment: p.Deployment, Tests: liveTests(base, cur, o)}
		comps = append(comps, c)
		paths = append(paths, LivePath{Path: p})
	}
	Decide(comps, o.Options)
	flagged := false
	for i, c := range comps {
		for j := range c.Tests {
			c.Tests[j].Flagged = c.Tests[j].Flagged || liveFlag(&c.Tests[j], o)
		}
		paths[i].Tests = c.Tests
		if l.alert(ctx, paths[i], now, o) {
			flagged = true
		}
	}
	if flagged {
		l.Metrics.liveCheck("flagged")
	} else {
		l.Metrics.liveCheck("clean")
	}
	return paths, nil
}

// liveFlag flags the live metrics Decide does not know the minimum effect
// of.
func liveFlag(t *store.DriftTest, o LiveOptions) bool {
	switch t.Metric {
	case MetricFormatFailure:
		return t.Q <= o.Options.LookAlpha() && t.Effect >= o.MinFormatFailureRise
	case MetricTruncation:
		return t.Q <= o.Options.LookAlpha() && t.Effect >= o.MinTruncationRise
	}
	return false
}

func sortedPaths(m map[Path]*pathSample) []Path {
	out := make([]Path, 0, len(m))
	for p := range m {
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Path) int { return strings.Compare(a.String(), b.String()) })
	return out
}

// liveTests compares one path's recent traffic with its trailing traffic.
func liveTests(base, cur *pathSample, o LiveOptions) []store.DriftTest {
	var out []store.DriftTest
	rate := func(metric string, b, k stats.Count) {
		if b.N < o.Options.MinSamples || k.N < o.Options.MinSamples {
			return
		}
		p, err := stats.ProportionTest(k, b, stats.Greater)
		if err != nil {
			return
		}
		name := "fisher_greater"
		if b.N+k.N > stats.ExactLimit {
			name = "two_proportion_z_greater"
		}
		out = append(out, store.DriftTest{Metric: metric, Scope: ScopeLive, Baseline: b.Rate(), Current: k.Rate(),
			BaselineN: b.N, CurrentN: k.N, Effect: k.Rate() - b.Rate(), Test: name, P: p})
	}
	rate(MetricRefusalRate, stats.Count{X: base.refused, N: base.n}, stats.Count{X: cur.refused, N: cur.n})
	rate(MetricFormatFailure, stats.Count{X: base.formatFailed, N: base.checked}, stats.Count{X: cur.formatFailed, N: cur.checked})
	rate(MetricTruncation, stats.Count{X: base.truncated, N: base.n}, stats.Count{X: cur.truncated, N: cur.n})
	if min(len(base.lengths), len(cur.lengths)) >= 2*o.Options.MinSamples {
		mw := stats.MannWhitneyU(cur.lengths, base.lengths, stats.TwoSided)
		bm, cm := median(base.lengths), median(cur.lengths)
		out = append(out, store.DriftTest{Metric: MetricAnswerLength, Scope: ScopeLive, Baseline: bm, Current: cm,
			BaselineN: len(base.lengths), CurrentN: len(cur.lengths), Effect: cm/bm - 1, Test: "mann_whitney_two.sided", P: mw.P})
	}
	return out
}

// alert raises an alert for a flagged path, unless the same path and
// metric was alerted on within the window; it reports whether the path
// is flagged.
func (l *Live) alert(ctx context.Context, lp LivePath, now time.Time, o LiveOptions) bool {
	var fresh []store.DriftTest
	flagged := false
	l.mu.Lock()
	if l.alerted == nil {
		l.alerted = map[string]time.Time{}
	}
	for _, t := range lp.Tests {
		if !t.Flagged {
			continue
		}
		flagged = true
		key := lp.Path.String() + "\x00" + t.Metric
		if last, ok := l.alerted[key]; ok && now.Sub(last) < o.Window {
			continue
		}
		l.alerted[key] = now
		fresh = append(fresh, t)
	}
	for k, at := range l.alerted {
		if now.Sub(at) > o.Window+o.Trailing {
			delete(l.alerted, k)
		}
	}
	l.mu.Unlock()
	if len(fresh) == 0 {
		return flagged
	}
	descs := make([]string, len(fresh))
	for i := range fresh {
		descs[i] = Describe(&fresh[i])
	}
	l.Alerter.Raise(ctx, &Alert{
		Source: SourceLive, Time: now, Deployment: lp.Path.Deployment, Route: lp.Path.Route, Category: lp.Path.Category,
		Summary: "live traffic changed on " + lp.Path.String() + ": " + strings.Join(descs, "; "), Tests: fresh,
	})
	return true
}
