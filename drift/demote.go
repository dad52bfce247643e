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

// Demotion is a deployment demoted for a category: on every route because
// a golden run flagged a change (Source SourceGolden), or on one route
// because its live traffic there changed (Source SourceLive).
type Demotion struct {
	Deployment string       `json:"deployment"`
	Category   llm.Category `json:"category"`
	// Source is SourceGolden or SourceLive.
	Source string `json:"source"`
	// Route is the route a live demotion holds on; "" for a golden one,
	// which holds on every route.
	Route string `json:"route,omitempty"`
	// Set and RunID are the golden run that flagged it; Since when.
	Set   string    `json:"set,omitempty"`
	RunID string    `json:"run_id,omitempty"`
	Since time.Time `json:"since"`
	// Reason says it in words; Evidence are the flagged tests.
	Reason   string            `json:"reason"`
	Evidence []store.DriftTest `json:"evidence"`
}

// Demoter keeps the deployments demoted for quality drift — per category
// by golden runs, per route and category by the live monitor — and the
// snapshots routing reads (Routing, RouteRouting). It is safe for
// concurrent use.
type Demoter struct {
	// OnChange, when not nil, is called after every change of a golden
	// demotion (outside the lock): metrics follow the demotions with it.
	OnChange func(deployment string, category llm.Category, demoted bool)
	// OnRouteChange is OnChange for the live demotions, per route.
	OnRouteChange func(route, deployment string, category llm.Category, demoted bool)

	mu    sync.Mutex
	byDep map[string]map[llm.Category]*Demotion
	live  map[Path]*Demotion
	probe float64
	// routing and routes are the immutable snapshots routing reads.
	routing atomic.Pointer[map[string]map[llm.Category]string]
	routes  atomic.Pointer[routeSnapshot]
}

// routeSnapshot is what RouteRouting returns.
type routeSnapshot struct {
	demoted map[string]map[string]map[llm.Category]string
	probe   float64
}

// Demote demotes run's deployment for the categories its flagged tests
// name (AllCategories for a test of every category), replacing earlier
// golden demotions of those categories. It returns the categories
// demoted.
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
			Deployment: run.Deployment, Category: c, Source: SourceGolden, Set: run.Set, RunID: run.ID, Since: run.Finished,
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
	return d.Retain(func(dm *Demotion) bool {
		return dm.Source != SourceGolden || dm.Deployment != run.Deployment || dm.Set != run.Set || stillChanged(dm, run, alpha)
	})
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

// DemoteOnRoute demotes p's deployment on p's route for p's category
// (live), since the given time, replacing an earlier demotion of the
// path.
func (d *Demoter) DemoteOnRoute(p Path, since time.Time, reason string, evidence []store.DriftTest) {
	d.mu.Lock()
	if d.live == nil {
		d.live = map[Path]*Demotion{}
	}
	d.live[p] = &Demotion{Deployment: p.Deployment, Category: p.Category, Source: SourceLive, Route: p.Route,
		Since: since, Reason: reason, Evidence: evidence}
	d.publishLocked()
	d.mu.Unlock()
	if d.OnRouteChange != nil {
		d.OnRouteChange(p.Route, p.Deployment, p.Category, true)
	}
}

// Retain lifts the demotions keep rejects and returns them.
func (d *Demoter) Retain(keep func(*Demotion) bool) []Demotion {
	var lifted []Demotion
	d.mu.Lock()
	for dep, cats := range d.byDep {
		for c, dm := range cats {
			if !keep(dm) {
				lifted = append(lifted, *dm)
				delete(cats, c)
			}
		}
		if len(cats) == 0 {
			delete(d.byDep, dep)
		}
	}
	for p, dm := range d.live {
		if !keep(dm) {
			lifted = append(lifted, *dm)
			delete(d.live, p)
		}
	}
	if len(lifted) > 0 {
		d.publishLocked()
	}
	d.mu.Unlock()
	for _, dm := range lifted {
		switch {
		case dm.Source == SourceLive && d.OnRouteChange != nil:
			d.OnRouteChange(dm.Route, dm.Deployment, dm.Category, false)
		case dm.Source != SourceLive:
			d.changed(dm.Deployment, []llm.Category{dm.Category}, false)
		}
	}
	return lifted
}

// SetProbe sets the share of requests that waive the route demotions
// (RouteRouting).
func (d *Demoter) SetProbe(share float64) {
	d.mu.Lock()
	d.probe = share
	d.publishLocked()
	d.mu.Unlock()
}

func (d *Demoter) changed(dep string, cats []llm.Category, demoted bool) {
	if d.OnChange == nil {
		return
	}
	for _, c := range cats {
		d.OnChange(dep, c, demoted)
	}
}

// publishLocked rebuilds the routing snapshots; d.mu is held.
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
	routes := &routeSnapshot{probe: d.probe}
	for p, dm := range d.live {
		if routes.demoted == nil {
			routes.demoted = map[string]map[string]map[llm.Category]string{}
		}
		if routes.demoted[p.Route] == nil {
			routes.demoted[p.Route] = map[string]map[llm.Category]string{}
		}
		if routes.demoted[p.Route][p.Deployment] == nil {
			routes.demoted[p.Route][p.Deployment] = map[llm.Category]string{}
		}
		routes.demoted[p.Route][p.Deployment][p.Category] = dm.Reason
	}
	d.routes.Store(routes)
}

// Routing returns the golden demotions as routing reads them: deployment
// → category (AllCategories for every one) → reason. The map is shared
// and must not be changed; it is nil when nothing is demoted. It is one
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

// RouteRouting returns the live demotions as routing reads them: route →
// deployment → category → reason (nil when none), and the share of
// requests that waive them. The map is shared and must not be changed.
// It is one atomic load: the gateway calls it on every request.
func (d *Demoter) RouteRouting() (map[string]map[string]map[llm.Category]string, float64) {
	if d == nil {
		return nil, 0
	}
	if p := d.routes.Load(); p != nil {
		return p.demoted, p.probe
	}
	return nil, 0
}

// List returns the demotions, by deployment, then golden before live,
// then route and category.
func (d *Demoter) List() []Demotion {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	var out []Demotion
	for _, cats := range d.byDep {
		for _, dm := range cats {
			out = append(out, *dm)
		}
	}
	for _, dm := range d.live {
		out = append(out, *dm)
	}
	d.mu.Unlock()
	slices.SortFunc(out, func(a, b Demotion) int {
		return strings.Compare(a.Deployment+"\x00"+a.Route+"\x00"+string(a.Category), b.Deployment+"\x00"+b.Route+"\x00"+string(b.Category))
	})
	return out
}

// Of returns the demotions of one deployment, as List orders them.
func (d *Demoter) Of(deployment string) []Demotion {
	var out []Demotion
	for _, dm := range d.List() {
		if dm.Deployment == deployment {
			out = append(out, dm)
		}
	}
	return out
}
