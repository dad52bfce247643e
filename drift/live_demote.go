package drift

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"switchyard/store"
)

// LiveSnapshot is the name of the store snapshot (store.Snapshots) that
// keeps the live monitor's demotions across restarts.
const LiveSnapshot = "drift.live_demotions"

// LiveDemoter acts on the live monitor's flagged paths (action demote):
// it demotes a path's deployment on its route for its category, keeping
// the traffic the path was flagged against as its reference, and lifts
// the demotion once the path's traffic of the last LiftAfter, all of it
// after the demotion, tests clean against that reference. It keeps the
// demotions in Demoter, which routing reads, and in Snapshots, so that a
// restart keeps them. It is safe for concurrent use.
type LiveDemoter struct {
	// Demoter holds the demotions routing reads. Required.
	Demoter *Demoter
	// Snapshots keeps the demotions across restarts; nil keeps them in
	// memory only.
	Snapshots store.Snapshots
	// MayDemote, when not nil, returns why p's deployment must not be
	// demoted on p's route, or "" when it may: the router refuses to
	// demote the last healthy deployment a route has for a category.
	MayDemote func(p Path) string
	// Log receives demotions, lifts and failures to keep them; nil means
	// slog.Default().
	Log *slog.Logger

	mu     sync.Mutex
	byPath map[Path]*liveDemotion
}

// liveDemotion is one demoted path, as the snapshot keeps it.
type liveDemotion struct {
	Path     Path              `json:"path"`
	Since    time.Time         `json:"since"`
	Reason   string            `json:"reason"`
	Evidence []store.DriftTest `json:"evidence"`
	// Reference is the path's traffic the change was flagged against.
	Reference pathSample `json:"reference"`
}

// demoted returns the demoted paths (nil without d). The values are
// shared and must not be changed.
func (d *LiveDemoter) demoted() map[Path]*liveDemotion {
	if d == nil {
		return nil
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.byPath)
}

// demote demotes p unless it may not be (a path of no route or no
// category, or MayDemote's refusal), returning why not, or "".
func (d *LiveDemoter) demote(ctx context.Context, p Path, base *pathSample, flagged []store.DriftTest, summary string, now time.Time) string {
	switch {
	case p.Route == "":
		return "the requests named no route"
	case p.Category == "":
		return "the requests have no category"
	case base == nil:
		return "no trailing traffic to compare with later"
	}
	if d.MayDemote != nil {
		if why := d.MayDemote(p); why != "" {
			return why
		}
	}
	reason := "quality drift in live traffic on route " + p.Route + ", category " + string(p.Category) + ": " + strings.Join(describeAll(flagged), "; ")
	ld := &liveDemotion{Path: p, Since: now, Reason: reason, Evidence: flagged, Reference: *base}
	d.mu.Lock()
	if d.byPath == nil {
		d.byPath = map[Path]*liveDemotion{}
	}
	d.byPath[p] = ld
	d.mu.Unlock()
	d.Demoter.DemoteOnRoute(p, now, reason, flagged)
	d.logger().Warn("drift: deployment demoted on a route for live traffic drift", "route", p.Route, "category", p.Category,
		"deployment", p.Deployment, "summary", summary)
	d.save(ctx, now)
	return ""
}

func describeAll(ts []store.DriftTest) []string {
	out := make([]string, len(ts))
	for i := range ts {
		out[i] = Describe(&ts[i])
	}
	return out
}

// review lifts the demotions of demoted whose path is not flagged in this
// look and whose traffic since the demotion's LiftAfter (lift) is enough
// and tests clean against its reference: no test flagged at the look's
// level with its minimum effect, none of the metrics that demoted it
// with p below alpha.
func (d *LiveDemoter) review(ctx context.Context, demoted map[Path]*liveDemotion, lift map[Path]*pathSample, flagged map[Path]bool, now time.Time, o LiveOptions) {
	if d == nil {
		return
	}
	changed := false
	for _, p := range slices.SortedFunc(maps.Keys(demoted), func(a, b Path) int { return strings.Compare(a.String(), b.String()) }) {
		ld, s := demoted[p], lift[p]
		if flagged[p] || now.Sub(ld.Since) < o.LiftAfter || s == nil || s.N < o.MinRequests {
			continue
		}
		tests := liveTests(&ld.Reference, s, o)
		if stillLive(tests, ld.Evidence, o) {
			continue
		}
		d.mu.Lock()
		if d.byPath[p] == ld {
			delete(d.byPath, p)
			changed = true
		}
		d.mu.Unlock()
		d.Demoter.Retain(func(dm *Demotion) bool {
			return dm.Source != SourceLive || (Path{dm.Route, dm.Category, dm.Deployment}) != p
		})
		d.logger().Info("drift: live demotion lifted", "route", p.Route, "category", p.Category, "deployment", p.Deployment,
			"since", ld.Since, "requests", s.N)
	}
	if changed {
		d.save(ctx, now)
	}
}

// stillLive reports whether tests, of a demoted path's later traffic
// against its reference, show a change: one flagged at the look's level
// (its p uncorrected) with its minimum effect, or one of the metrics of
// the evidence with p below alpha.
func stillLive(tests []store.DriftTest, evidence []store.DriftTest, o LiveOptions) bool {
	for i := range tests {
		t := &tests[i]
		if t.P <= o.Options.LookAlpha() && liveBigEnough(t, o) {
			return true
		}
		for _, e := range evidence {
			if e.Metric == t.Metric && t.P < o.Options.Alpha {
				return true
			}
		}
	}
	return false
}

// Retain lifts the live demotions of the paths keep rejects (the action
// is no longer demote, the route or the deployment is gone) and forgets
// them in the snapshot.
func (d *LiveDemoter) Retain(ctx context.Context, keep func(Path) bool) {
	d.mu.Lock()
	n := 0
	for p := range d.byPath {
		if !keep(p) {
			delete(d.byPath, p)
			n++
		}
	}
	d.mu.Unlock()
	lifted := d.Demoter.Retain(func(dm *Demotion) bool {
		return dm.Source != SourceLive || keep(Path{dm.Route, dm.Category, dm.Deployment})
	})
	if n > 0 || len(lifted) > 0 {
		d.logger().Info("drift: live demotions lifted: the live action is no longer demote, or their route or deployment is gone", "demotions", max(n, len(lifted)))
		d.save(ctx, time.Now())
	}
}

// Restore reads the demotions the snapshot kept and demotes them again
// (a router does so at start). A missing snapshot is none.
func (d *LiveDemoter) Restore(ctx context.Context) error {
	if d.Snapshots == nil {
		return nil
	}
	data, _, err := d.Snapshots.LoadSnapshot(ctx, LiveSnapshot)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("drift: read the live demotions: %w", err)
	}
	var kept []*liveDemotion
	if err := json.Unmarshal(data, &kept); err != nil {
		return fmt.Errorf("drift: decode the live demotions: %w", err)
	}
	kept = slices.DeleteFunc(kept, func(ld *liveDemotion) bool { return ld == nil }) // a null is no demotion
	d.mu.Lock()
	d.byPath = make(map[Path]*liveDemotion, len(kept))
	for _, ld := range kept {
		d.byPath[ld.Path] = ld
	}
	d.mu.Unlock()
	for _, ld := range kept {
		d.Demoter.DemoteOnRoute(ld.Path, ld.Since, ld.Reason, ld.Evidence)
	}
	return nil
}

// save writes the demotions to the snapshot, logging a failure (the
// demotions hold in memory regardless).
func (d *LiveDemoter) save(ctx context.Context, now time.Time) {
	if d.Snapshots == nil {
		return
	}
	d.mu.Lock()
	kept := slices.SortedFunc(maps.Values(d.byPath), func(a, b *liveDemotion) int { return strings.Compare(a.Path.String(), b.Path.String()) })
	data, err := json.Marshal(kept)
	d.mu.Unlock()
	if err == nil {
		err = d.Snapshots.SaveSnapshot(ctx, LiveSnapshot, now, data)
	}
	if err != nil {
		d.logger().Error("drift: the live demotions were not kept in the store; a restart would forget them", "err", err)
	}
}

func (d *LiveDemoter) logger() *slog.Logger {
	if d.Log != nil {
		return d.Log
	}
	return slog.Default()
}
