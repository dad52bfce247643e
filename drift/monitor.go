package drift

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"switchyard/llm"
	"switchyard/store"
)

// Monitor compares golden runs with their deployments' baselines, keeps
// them (in Store, when set), and acts on the verdicts: alerts, and
// demotions when Demoter is set. It is safe for concurrent use.
type Monitor struct {
	// Store keeps the runs and holds the histories across restarts; nil
	// keeps them in memory only.
	Store store.DriftLog
	// Options tune the comparisons.
	Options Options
	// Alerter raises the alerts of flagged runs; nil raises none.
	Alerter *Alerter
	// Demoter, when not nil, demotes a flagged run's deployment for the
	// affected categories until a later run is clean (action demote).
	Demoter *Demoter
	// Metrics count the runs; nil counts nothing.
	Metrics *Metrics
	// Log receives failures to store; nil means slog.Default().
	Log *slog.Logger

	mu        sync.Mutex
	histories map[historyKey]*History
}

type historyKey struct{ set, deployment string }

// Observe compares the runs of one look (the deployments a set was just
// run against) with their baselines: each complete run joins its
// baseline while that is incomplete, the others are tested, with the
// false discovery rate controlled across all of them. It sets each run's
// Verdict and Tests, stores the runs, alerts on the flagged ones and,
// with a Demoter, demotes or reinstates their deployments. An error to
// store a run is returned after the others are handled.
func (m *Monitor) Observe(ctx context.Context, runs []*store.DriftRun) error {
	alerts, err := m.observe(ctx, runs)
	for _, al := range alerts { // outside the lock: a webhook may retry for a while
		m.Alerter.Raise(ctx, al)
	}
	return err
}

// observe is Observe but for raising the alerts, which it returns.
func (m *Monitor) observe(ctx context.Context, runs []*store.DriftRun) ([]*Alert, error) {
	o := m.Options.WithDefaults()
	m.mu.Lock()
	defer m.mu.Unlock()
	var comps []*Comparison
	var compared []*store.DriftRun
	for _, run := range runs {
		h, err := m.history(ctx, run.Set, run.Deployment)
		if err != nil {
			return nil, err
		}
		switch {
		case run.Verdict == VerdictCapped:
		case !Complete(run.Results, o):
			run.Verdict = VerdictIncomplete
		case h.NeedsBaseline(o):
			run.Verdict = VerdictBaseline
		default:
			comps = append(comps, &Comparison{Deployment: run.Deployment, Tests: h.Compare(run.Results, o)})
			compared = append(compared, run)
		}
	}
	Decide(comps, o)
	for i, run := range compared {
		run.Tests = comps[i].Tests
		run.Verdict = VerdictOf(run.Tests, o)
	}
	var errs []error
	var alerts []*Alert
	for _, run := range runs {
		if m.Store != nil {
			if err := m.Store.WriteDriftRun(ctx, run); err != nil {
				errs = append(errs, fmt.Errorf("drift: store run %s: %w", run.ID, err))
			}
		}
		m.remember(run, o)
		m.Metrics.observeRun(run)
		if al := m.act(run, o); al != nil {
			alerts = append(alerts, al)
		}
	}
	return alerts, errors.Join(errs...)
}

// remember adds a run to its deployment's history.
func (m *Monitor) remember(run *store.DriftRun, o Options) {
	h := m.histories[historyKey{run.Set, run.Deployment}]
	switch run.Verdict {
	case VerdictBaseline:
		h.AddBaseline(run.Results)
	case VerdictClean, VerdictWatch, VerdictFlagged:
		h.AddCompared(run.Results, o)
	}
}

// act demotes or reinstates a run's deployment and returns the alert of a
// flagged run (nil for another).
func (m *Monitor) act(run *store.DriftRun, o Options) *Alert {
	if run.Verdict != VerdictFlagged {
		if m.Demoter != nil {
			for _, lifted := range m.Demoter.Review(run, o.Alpha) {
				m.logger().Info("drift demotion lifted", "deployment", lifted.Deployment, "category", lifted.Category,
					"set", run.Set, "run_id", run.ID, "demoted_by", lifted.RunID)
			}
		}
		return nil
	}
	al := &Alert{Source: SourceGolden, Time: run.Finished, Deployment: run.Deployment, Set: run.Set, RunID: run.ID}
	var descs []string
	for _, t := range run.Tests {
		if t.Flagged {
			al.Tests = append(al.Tests, t)
			descs = append(descs, Describe(&t))
		}
	}
	al.Summary = run.Deployment + " changed in golden set " + run.Set + ": " + strings.Join(descs, "; ")
	if m.Demoter != nil {
		al.Demoted = m.Demoter.Demote(run)
	}
	return al
}

func (m *Monitor) logger() *slog.Logger {
	if m.Log != nil {
		return m.Log
	}
	return slog.Default()
}

// history returns the history of set on deployment, reading it from the
// store the first time: the pinned baseline, else the first baseline
// runs; and the latest compared runs for the window. A deployment whose
// latest compared run was flagged is demoted again (with a Demoter), so
// a restart does not reinstate it. m.mu is held.
func (m *Monitor) history(ctx context.Context, set, dep string) (*History, error) {
	k := historyKey{set, dep}
	if h := m.histories[k]; h != nil {
		return h, nil
	}
	if m.histories == nil {
		m.histories = map[historyKey]*History{}
	}
	h := &History{}
	if m.Store != nil {
		if err := m.load(ctx, h, set, dep); err != nil {
			return nil, fmt.Errorf("drift: read the history of %s on %s: %w", set, dep, err)
		}
	}
	m.histories[k] = h
	return h, nil
}

func (m *Monitor) load(ctx context.Context, h *History, set, dep string) error {
	o := m.Options.WithDefaults()
	base, err := m.Store.DriftRuns(ctx, store.DriftFilter{Set: set, Deployment: dep, Pinned: true, Oldest: true, Limit: store.MaxLimit})
	if err != nil {
		return err
	}
	h.Pinned = len(base) > 0
	if !h.Pinned {
		if base, err = m.Store.DriftRuns(ctx, store.DriftFilter{Set: set, Deployment: dep, Verdict: VerdictBaseline, Oldest: true, Limit: o.BaselineRuns}); err != nil {
			return err
		}
	}
	for _, r := range base {
		rs, err := m.Store.DriftResults(ctx, r.ID)
		if err != nil {
			return err
		}
		h.AddBaseline(rs)
	}
	recent, err := m.Store.DriftRuns(ctx, store.DriftFilter{Set: set, Deployment: dep, Limit: 4 * o.Window})
	if err != nil {
		return err
	}
	recent = slices.DeleteFunc(recent, func(r *store.DriftRun) bool {
		return r.Verdict != VerdictClean && r.Verdict != VerdictWatch && r.Verdict != VerdictFlagged
	})
	if len(recent) > 0 && recent[0].Verdict == VerdictFlagged && m.Demoter != nil {
		m.Demoter.Demote(recent[0])
	}
	recent = recent[:min(len(recent), o.Window-1)]
	for i := len(recent) - 1; i >= 0; i-- {
		rs, err := m.Store.DriftResults(ctx, recent[i].ID)
		if err != nil {
			return err
		}
		h.AddCompared(rs, o)
	}
	return nil
}

// Restore reads the histories of the given sets and deployments now (a
// server does so at start, so its demotions survive a restart).
func (m *Monitor) Restore(ctx context.Context, sets map[string][]string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for set, deps := range sets {
		for _, dep := range deps {
			if _, err := m.history(ctx, set, dep); err != nil {
				return err
			}
		}
	}
	return nil
}

// Reset forgets the histories held in memory (after a baseline is pinned
// or unpinned, say); they are read again from the store.
func (m *Monitor) Reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.histories = nil
}

// Flagged returns the categories run's flagged tests name (AllCategories
// for a test of every category).
func Flagged(run *store.DriftRun) []llm.Category {
	seen := map[llm.Category]bool{}
	var out []llm.Category
	for _, t := range run.Tests {
		c := t.Category
		if c == "" {
			c = AllCategories
		}
		if t.Flagged && !seen[c] {
			seen[c] = true
			out = append(out, c)
		}
	}
	return out
}
