package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"os"
	"reflect"
	"slices"
	"time"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/drift"
	"switchyard/gateway"
	"switchyard/health"
	"switchyard/llm"
	"switchyard/route"
)

// This file applies a configuration's drift section to a running router:
// prepare checks it and loads its sets (a change that fails there leaves
// everything as it was); commit stops the running scheduler, hands the
// kept parts their new settings — thresholds, alerts, actions — lifts the
// demotions the new section no longer makes, and starts a scheduler of
// the new sets and schedules, which carries over what today's runs spent
// and when each set last ran.

// driftChange is a drift section prepared to be applied.
type driftChange struct {
	p   *driftParts
	cfg *config.Config
	// keep reports that nothing the scheduler uses changed: commit only
	// records cfg.
	keep bool
	sums map[string]string
	// schedules and targets are the new scheduler's; policy is the new
	// configuration's routing policy; spent is today's spend read from
	// the store when no running scheduler has it.
	schedules []drift.Schedule
	restore   map[string][]string
	targets   map[string]*dispatch.Target
	policy    *route.Policy
	spent     float64
}

// prepare checks cfg's drift section against the router and loads its
// sets, through gw's adapters; its errors are config.Errors.
func (p *driftParts) prepare(cfg *config.Config, gw *gateway.Gateway) (*driftChange, error) {
	d := &cfg.Drift
	if d.Live.Interval > 0 && p.store == nil {
		return nil, config.Errors{cfg.FieldError("drift.live.interval", "needs the request log, which this router does not keep",
			"configure store, or remove drift.live")}
	}
	c := &driftChange{p: p, cfg: cfg, policy: gw.Policy(), sums: map[string]string{}, restore: map[string][]string{}}
	for i := range d.Sets {
		if path := d.Sets[i].Path; path != "" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, config.Errors{cfg.FieldError(fmt.Sprintf("drift.sets[%d].file", i), "cannot be read: "+err.Error(), "the set's YAML, relative to the config file")}
			}
			sum := sha256.Sum256(data)
			c.sums[d.Sets[i].Name] = hex.EncodeToString(sum[:])
		}
	}
	p.mu.Lock()
	running, sums, scheduler := p.running, p.sums, p.scheduler
	p.mu.Unlock()
	if running != nil && !driftChanged(running, cfg) && maps.Equal(sums, c.sums) {
		c.keep = true
		return c, nil
	}
	c.targets = DriftTargets(gw)
	for i := range d.Sets {
		set, err := LoadDriftSet(&d.Sets[i])
		if err != nil {
			return nil, config.Errors{cfg.FieldError(fmt.Sprintf("drift.sets[%d]", i), err.Error(), "fix the set's file, or the set's name")}
		}
		deps := priced(cfg.DriftDeployments(&d.Sets[i], func(n string) bool { return cost.ServesChat(cfg, n) }), c.targets, set.Name, p.log)
		c.schedules = append(c.schedules, drift.Schedule{Set: set, Deployments: deps, Interval: d.Sets[i].Interval,
			Jitter: d.Sets[i].Jitter, Prompts: d.Sets[i].Prompts})
		c.restore[set.Name] = deps
	}
	if len(d.Sets) > 0 && scheduler == nil && p.store != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		var err error
		if c.spent, err = p.store.DriftSpend(ctx, drift.DayOf(time.Now())); err != nil {
			return nil, fmt.Errorf("drift: read today's spend: %w", err)
		}
	}
	return c, nil
}

// driftChanged reports whether next changes what the drift scheduler of
// running uses: the drift section, the deployments or the providers.
func driftChanged(running, next *config.Config) bool {
	return !reflect.DeepEqual(running.Drift, next.Drift) || !reflect.DeepEqual(running.Deployments, next.Deployments) ||
		!reflect.DeepEqual(running.Providers, next.Providers)
}

// commitLogged is commit for a configuration change, which applies
// regardless: it logs commit's error.
func (c *driftChange) commitLogged() {
	if err := c.commit(); err != nil {
		c.p.log.Error("drift: a configuration change applied, but the store could not be read (the histories are read again at the next run)", "err", err)
	}
}

// commit applies the prepared section. Its error is about reading the
// store (histories, live demotions): the section applies regardless, the
// histories being read again at the next run.
func (c *driftChange) commit() error {
	p := c.p
	p.mu.Lock()
	defer p.mu.Unlock()
	p.running, p.sums = c.cfg, c.sums
	if c.keep {
		return nil
	}
	spent, ran := c.spent, map[string]time.Time(nil)
	if old := p.scheduler; old != nil {
		old.Close()
		spent, ran = old.Runner.Budget.Spent(), old.LastRuns()
		p.scheduler = nil
	}
	d := &c.cfg.Drift
	var metrics *drift.Metrics
	if d.Enabled() {
		metrics = p.metricsOn()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alerter := DriftAlerter(d, p.log, metrics)
	err := c.applyGolden(ctx, alerter)
	err = errors.Join(err, c.applyLive(ctx, alerter))
	if !d.Enabled() {
		return err
	}
	s := &drift.Scheduler{
		Runner: &drift.Runner{Asker: drift.NewDispatchAsker(c.targets, int(c.cfg.Server.MaxAnswerBytes)), Budget: drift.NewBudget(d.DailyCapUSD, spent, nil),
			Concurrency: d.Concurrency},
		Monitor: p.monitor, Schedules: c.schedules, Log: p.log, After: p.after, Ran: ran,
	}
	if d.Live.Interval > 0 {
		s.Live, s.LiveInterval = p.live, d.Live.Interval
	}
	s.Start()
	p.scheduler = s
	return err
}

// applyGolden hands the monitor its new options and alerts, lifts the
// golden demotions the section no longer makes (action alert, a set or
// deployment gone), and reads the histories again from the store (pinned
// baselines included; a deployment whose latest compared run was flagged
// is demoted again with action demote).
func (c *driftChange) applyGolden(ctx context.Context, alerter *drift.Alerter) error {
	p, d := c.p, &c.cfg.Drift
	demote := d.Action == config.DriftDemote
	p.monitor.Options, p.monitor.Alerter, p.monitor.Demoter = DriftOptions(d), alerter, nil
	if demote {
		p.monitor.Demoter = p.demoter
	}
	p.demoter.Retain(func(dm *drift.Demotion) bool {
		return dm.Source != drift.SourceGolden || demote && slices.Contains(c.restore[dm.Set], dm.Deployment)
	})
	if p.store == nil {
		return nil
	}
	p.monitor.Reset()
	if !demote {
		return nil
	}
	return p.monitor.Restore(ctx, c.restore)
}

// applyLive hands the live monitor its new options and alerts, the probe
// share to routing, reads the kept live demotions the first time, and
// lifts those the section no longer makes (action alert) or whose route
// or deployment is gone.
func (c *driftChange) applyLive(ctx context.Context, alerter *drift.Alerter) error {
	p, l := c.p, &c.cfg.Drift.Live
	p.live.Options = drift.LiveOptions{Window: l.Window, Trailing: l.Trailing, MinRequests: l.MinRequests, LiftAfter: l.LiftAfter,
		Options: DriftOptions(&c.cfg.Drift)}
	p.live.Alerter, p.live.Demoter = alerter, nil
	if l.Demotes() {
		p.live.Demoter = p.onRoute
	}
	p.demoter.SetProbe(l.ProbeShare())
	var err error
	if !p.restored {
		switch rerr := p.onRoute.Restore(ctx); {
		case rerr == nil:
			p.restored = true
		case l.Demotes():
			err = rerr
		default: // read again when a change turns demotion on
			p.log.Warn("drift: the kept live demotions could not be read", "err", rerr)
		}
	}
	p.onRoute.Retain(ctx, func(path drift.Path) bool {
		return l.Demotes() && c.policy.IsRoute(path.Route) && c.policy.Deployment(path.Deployment) != nil
	})
	return err
}

// mayDemote is the live monitor's LiveDemoter.MayDemote: it refuses to
// demote the last healthy deployment a route has for a category — one
// whose breaker is closed, not demoted for latency or quality, not in a
// rate limit window — among the category's acceptable deployments.
func (r *Router) mayDemote(p drift.Path) string {
	gw := r.Gateway // until the first generation is stored
	if g := r.gens.cur.Load(); g != nil {
		gw = g.gw
	}
	pol := gw.Policy()
	if !pol.IsRoute(p.Route) {
		return "route " + p.Route + " is no longer configured"
	}
	golden := r.drift.demoter.Routing()
	onRoute, _ := r.drift.demoter.RouteRouting()
	for _, d := range pol.Acceptable(p.Route, p.Category) {
		if d.Name == p.Deployment {
			continue
		}
		st := r.tracker.Status(d.Name)
		if st.Breaker != health.Closed || st.Demoted || !st.RateLimitedUntil.IsZero() ||
			demotedFor(golden[d.Name], p.Category) || demotedFor(onRoute[p.Route][d.Name], p.Category) {
			continue
		}
		return ""
	}
	return p.Deployment + " is the last healthy deployment of route " + p.Route + " for " + string(p.Category)
}

// demotedFor reports whether cats (category → reason) demotes c.
func demotedFor(cats map[llm.Category]string, c llm.Category) bool {
	return cats[c] != "" || cats[route.AllCategories] != ""
}
