package drift

import (
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// AllCategories is the category of a demotion for every category: a
// change seen over the whole set (refusals, length, the overall pass
// rate).
const AllCategories llm.Category = "*"

// Demotion is a deployment demoted for a category because a golden run
// flagged a change.
type Demotion struct {
	Deployment string       `json:"deployment"`
	Category   llm.Category `json:"category"`
	// Set and RunID are the run that flagged it; Since when.
	Set   string    `json:"set"`
	RunID string    `json:"run_id"`
	Since time.Time `json:"since"`
	// Reason says it in words; Evidence are the flagged tests.
	Reason   string            `json:"reason"`
	Evidence []store.DriftTest `json:"evidence"`
}

// Demoter keeps the deployments demoted for quality drift, per category,
// and the snapshot routing reads (Routing). It is safe for concurrent
// use.
type Demoter struct {
	// OnChange, when not nil, is called after every change (outside the
	// lock): metrics follow the demotions with it.
	OnChange func(deployment string, category llm.Category, demoted bool)

	mu    sync.Mutex
	byDep map[string]map[llm.Category]*Demotion
	// routing is the immutable snapshot: deployment → category → reason.
	routing atomic.Pointer[map[string]map[llm.Category]string]
}

// Demote demotes run's deployment for the categories its flagged tests
// name (AllCategories for a test of every category), replacing earlier
// demotions of those categories. It returns the categories demoted.
func (d *Demoter) Demote(run *store.DriftRun) []llm.Category {
	var flagged []store.DriftTest
	cats := map[llm.Category]bool{}
	for _, t := range run.Tests {
		if !t.Flagged {
			continue
		}
		flagged = append(flagged, t)
		if t.Category == "" {
			cats[AllCategories] = true
		} else {
			cats[t.Category] = true
		}
	}
	if len(flagged) == 0 {
		return nil
	}
	reasons := make([]string, len(flagged))
	for i := range flagged {
		reasons[i] = Describe(&flagged[i])
	}
	out := slices.Sorted(maps.Keys(cats))
	d.mu.Lock()
	if d.byDep == nil {
		d.byDep = map[string]map[llm.Category]*Demotion{}
	}
	if d.byDep[run.Deployment] == nil {
		d.byDep[run.Deployment] = map[llm.Category]*Demotion{}
	}
	for _, c := range out {
		d.byDep[run.Deployment][c] = &Demotion{
			Deployment: run.Deployment, Category: c, Set: run.Set, RunID: run.ID, Since: run.Finished,
			Reason: "quality drift in golden set " + run.Set + ": " + strings.Join(reasons, "; "), Evidence: flagged,
		}
	}
	d.publishLocked()
	d.mu.Unlock()
	d.changed(run.Deployment, out, true)
	return out
}

// Review lifts the demotions of run's deployment that run's set made,
// when run is compared, not flagged, and shows no sign of the change that
// demoted it: none of the tests that flagged it (same metric and
// category) has a p-value below alpha in run. It returns the lifted ones.
func (d *Demoter) Review(run *store.DriftRun, alpha float64) []Demotion {
	if run.Verdict != VerdictClean && run.Verdict != VerdictWatch {
		return nil
	}
	d.mu.Lock()
	var lifted []Demotion
	for c, dm := range d.byDep[run.Deployment] {
		if dm.Set != run.Set || stillChanged(dm, run, alpha) {
			continue
		}
		lifted = append(lifted, *dm)
		delete(d.byDep[run.Deployment], c)
	}
	if len(lifted) > 0 {
		d.publishLocked()
	}
	d.mu.Unlock()
	cats := make([]llm.Category, len(lifted))
	for i := range lifted {
		cats[i] = lifted[i].Category
	}
	d.changed(run.Deployment, cats, false)
	return lifted
}

// stillChanged reports whether run has a test of a metric and category
// that demoted dm with p below alpha.
func stillChanged(dm *Demotion, run *store.DriftRun, alpha float64) bool {
	for _, e := range dm.Evidence {
		for _, t := range run.Tests {
			if t.Metric == e.Metric && t.Category == e.Category && t.P < alpha {
				return true
			}
		}
	}
	return false
}

func (d *Demoter) changed(dep string, cats []llm.Category, demoted bool) {
	if d.OnChange == nil {
		return
	}
	for _, c := range cats {
		d.OnChange(dep, c, demoted)
	}
}

// publishLocked rebuilds the routing snapshot; d.mu is held.
func (d *Demoter) publishLocked() {
	snap := make(map[string]map[llm.Category]string, len(d.byDep))
	for dep, cats := range d.byDep {
		if len(cats) == 0 {
			continue
		}
		m := make(map[llm.Category]string, len(cats))
		for c, dm := range cats {
			m[c] = dm.Reason
		}
		snap[dep] = m
	}
	d.routing.Store(&snap)
}

// Routing returns the demotions as routing reads them: deployment →
// category (AllCategories for every one) → reason. The map is shared and
// must not be changed; it is nil when nothing was ever demoted. It is one
// atomic load: the gateway calls it on every request.
func (d *Demoter) Routing() map[string]map[llm.Category]string {
	if d == nil {
		return nil
	}
	if p := d.routing.Load(); p != nil && len(*p) > 0 {
		return *p
	}
	return nil
}

// List returns the demotions, by deployment then category.
func (d *Demoter) List() []Demotion {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Demotion
	for _, dep := range slices.Sorted(maps.Keys(d.byDep)) {
		for _, c := range slices.Sorted(maps.Keys(d.byDep[dep])) {
			out = append(out, *d.byDep[dep][c])
		}
	}
	return out
}

// Of returns the demotions of one deployment, by category.
func (d *Demoter) Of(deployment string) []Demotion {
	var out []Demotion
	for _, dm := range d.List() {
		if dm.Deployment == deployment {
			out = append(out, dm)
		}
	}
	return out
}
