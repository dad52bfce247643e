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
	// LiftAfter is how long a demoted path's traffic, all of it after the
	// demotion, must test clean against the traffic it was demoted on
	// before the demotion is lifted (6h, or Window+Trailing when
	// shorter; at most that: a check reads no more).
	LiftAfter time.Duration
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
	if o.LiftAfter == 0 || o.LiftAfter > o.Window+o.Trailing {
		o.LiftAfter = min(6*time.Hour, o.Window+o.Trailing)
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
// metric) and, with Demoter, demotes their deployments on their routes
// until their traffic tests clean again. It is safe for concurrent use;
// its fields are set before the first check and not changed while one
// runs.
type Live struct {
	Store   store.DriftLog
	Options LiveOptions
	Alerter *Alerter
	Metrics *Metrics
	// Demoter, when not nil, demotes flagged paths and lifts them (action
	// demote).
	Demoter *LiveDemoter
	// Now is the clock; nil means time.Now.
	Now func() time.Time

	mu      sync.Mutex
	alerted map[string]time.Time // path and metric → last alert
}

// pathSample is one path's traffic on one side of a comparison: the
// answered requests, those refused, checked for format and failing it,
// and truncated, and the lengths (tokens) of the answers neither refused
// nor truncated, at most maxLiveSample of them. A demotion keeps the one
// it was flagged against (as JSON).
type pathSample struct {
	N            int       `json:"n"`
	Refused      int       `json:"refused"`
	Checked      int       `json:"format_checked"`
	FormatFailed int       `json:"format_failed"`
	Truncated    int       `json:"truncated"`
	Lengths      []float64 `json:"lengths"`
}

func (s *pathSample) add(r *store.SignalRow) {
	if r.Failed {
		return
	}
	s.N++
	refused := r.Flags&store.FlagRefusal != 0
	if refused {
		s.Refused++
	}
	if r.Flags&store.FlagFormatChecked != 0 {
		s.Checked++
		if r.Flags&store.FlagFormatFailed != 0 {
			s.FormatFailed++
		}
	}
	truncated := r.Flags&store.FlagTruncated != 0
	if truncated {
		s.Truncated++
	}
	if !refused && !truncated && r.AnswerTokens > 0 && len(s.Lengths) < maxLiveSample {
		s.Lengths = append(s.Lengths, float64(r.AnswerTokens))
	}
}

// sampleOf returns m[p], adding an empty one first.
func sampleOf(m map[Path]*pathSample, p Path) *pathSample {
	s := m[p]
	if s == nil {
		s = &pathSample{}
		m[p] = s
	}
	return s
}

// Check reads the traffic of the last Window and Trailing, tests every
// path with enough of both, and alerts on the flagged ones (and acts on
// them, with a Demoter); see Look.
func (l *Live) Check(ctx context.Context) error {
	_, err := l.Look(ctx)
	return err
}

// LivePath is one path's tests in a look.
type LivePath struct {
	Path  Path              `json:"path"`
	Tests []store.DriftTest `json:"tests"`
}

// Look is Check returning the tests of every path it tested. With a
// Demoter it also demotes the flagged paths it may and lifts the
// demotions whose traffic of the last LiftAfter tested clean.
func (l *Live) Look(ctx context.Context) ([]LivePath, error) {
	o := l.Options.withDefaults()
	now := time.Now()
	if l.Now != nil {
		now = l.Now()
	}
	split := now.Add(-o.Window)
	demoted := l.Demoter.demoted()
	recent, trailing, lift := map[Path]*pathSample{}, map[Path]*pathSample{}, map[Path]*pathSample{}
	err := l.Store.SignalRows(ctx, store.SignalQuery{Since: split.Add(-o.Trailing), Until: now}, func(r *store.SignalRow) error {
		p := Path{Route: r.Route, Category: r.Category, Deployment: r.Deployment}
		if r.Time.Before(split) {
			sampleOf(trailing, p).add(r)
		} else {
			sampleOf(recent, p).add(r)
		}
		if d := demoted[p]; d != nil && !r.Time.Before(d.Since) && !r.Time.Before(now.Add(-o.LiftAfter)) {
			sampleOf(lift, p).add(r)
		}
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
		if base == nil || cur.N < o.MinRequests || base.N < o.MinRequests {
			continue
		}
		c := &Comparison{Deployment: p.Deployment, Tests: liveTests(base, cur, o)}
		comps = append(comps, c)
		paths = append(paths, LivePath{Path: p})
	}
	Decide(comps, o.Options)
	flagged := map[Path]bool{}
	for i, c := range comps {
		for j := range c.Tests {
			c.Tests[j].Flagged = c.Tests[j].Flagged || liveFlag(&c.Tests[j], o)
		}
		paths[i].Tests = c.Tests
		if l.act(ctx, paths[i], trailing[paths[i].Path], demoted, now, o) {
			flagged[paths[i].Path] = true
		}
	}
	l.Demoter.review(ctx, demoted, lift, flagged, now, o)
	if len(flagged) > 0 {
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
	case MetricFormatFailure, MetricTruncation:
		return t.Q <= o.Options.LookAlpha() && liveBigEnough(t, o)
	}
	return false
}

// liveBigEnough reports whether a live test's effect is at least its
// metric's minimum.
func liveBigEnough(t *store.DriftTest, o LiveOptions) bool {
	switch t.Metric {
	case MetricFormatFailure:
		return t.Effect >= o.MinFormatFailureRise
	case MetricTruncation:
		return t.Effect >= o.MinTruncationRise
	}
	return bigEnough(t, o.Options)
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
	rate(MetricRefusalRate, stats.Count{X: base.Refused, N: base.N}, stats.Count{X: cur.Refused, N: cur.N})
	rate(MetricFormatFailure, stats.Count{X: base.FormatFailed, N: base.Checked}, stats.Count{X: cur.FormatFailed, N: cur.Checked})
	rate(MetricTruncation, stats.Count{X: base.Truncated, N: base.N}, stats.Count{X: cur.Truncated, N: cur.N})
	if min(len(base.Lengths), len(cur.Lengths)) >= 2*o.Options.MinSamples {
		mw := stats.MannWhitneyU(cur.Lengths, base.Lengths, stats.TwoSided)
		bm, cm := median(base.Lengths), median(cur.Lengths)
		out = append(out, store.DriftTest{Metric: MetricAnswerLength, Scope: ScopeLive, Baseline: bm, Current: cm,
			BaselineN: len(base.Lengths), CurrentN: len(cur.Lengths), Effect: cm/bm - 1, Test: "mann_whitney_two.sided", P: mw.P})
	}
	return out
}
