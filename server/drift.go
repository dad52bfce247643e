package server

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/drift"
	"switchyard/gateway"
	"switchyard/route"
	"switchyard/store"
)

// driftParts are quality monitoring's parts of a router: the demotions
// routing reads (with action demote) and the scheduler of golden runs
// and live checks.
type driftParts struct {
	metrics   *drift.Metrics
	demoter   *drift.Demoter
	scheduler *drift.Scheduler
}

// newDriftParts registers drift's metrics and makes the demoter, before
// the gateway that reads it; nil when drift is not configured.
func newDriftParts(cfg *config.Config, reg prometheus.Registerer) *driftParts {
	if !cfg.Drift.Enabled() {
		return nil
	}
	p := &driftParts{metrics: drift.NewMetrics(reg)}
	if cfg.Drift.Action == config.DriftDemote {
		p.demoter = &drift.Demoter{OnChange: p.metrics.Demoted}
	}
	return p
}

// demotions is the gateway's Options.Demotions: nil without a demoter.
func (p *driftParts) demotions() func() route.Demotions {
	if p == nil || p.demoter == nil {
		return nil
	}
	return func() route.Demotions { return p.demoter.Routing() }
}

// DriftOptions maps the drift section onto the comparisons' options.
func DriftOptions(d *config.Drift) drift.Options {
	return drift.Options{Alpha: d.Alpha, Looks: d.Looks, BaselineRuns: d.BaselineRuns, Window: d.Window}
}

// DriftAlerter returns the alerter of the drift section: log lines to
// log, counted in metrics (nil counts nothing), and posts to the
// section's webhook when it has one.
func DriftAlerter(d *config.Drift, log *slog.Logger, metrics *drift.Metrics) *drift.Alerter {
	a := &drift.Alerter{Log: log, Metrics: metrics}
	if d.Webhook.URL != "" {
		a.Webhook = &drift.Webhook{URL: d.Webhook.URL, Headers: d.Webhook.Headers}
	}
	return a
}

// LoadDriftSet returns the configured set: the embedded starter set, or
// the set file, whose name must match.
func LoadDriftSet(s *config.DriftSet) (*drift.Set, error) {
	if s.File == "" {
		return drift.Starter(), nil
	}
	path := s.Path
	if path == "" {
		path = s.File
	}
	set, err := drift.LoadSet(path)
	if err != nil {
		return nil, fmt.Errorf("drift set %s: %w", s.Name, err)
	}
	if set.Name != s.Name {
		return nil, fmt.Errorf("drift set %s: the file %s names its set %q", s.Name, path, set.Name)
	}
	return set, nil
}

// DriftTargets returns the deployments the golden runs may ask, through
// the gateway's provider adapters.
func DriftTargets(gw *gateway.Gateway) map[string]*dispatch.Target {
	ts := map[string]*gateway.Target{}
	for _, d := range gw.Policy().Deployments() {
		if t := gw.Target(d.Name); t != nil {
			ts[d.Name] = t
		}
	}
	return DispatchTargets(ts)
}

// DispatchTargets returns the dispatcher's targets of ts (gateway.Targets).
func DispatchTargets(ts map[string]*gateway.Target) map[string]*dispatch.Target {
	out := make(map[string]*dispatch.Target, len(ts))
	for name, t := range ts {
		out[name] = &dispatch.Target{Deployment: t.Deployment, Provider: t.Provider}
	}
	return out
}

// start loads the sets, reads the histories and today's spend from the
// store and starts the scheduler.
func (p *driftParts) start(cfg *config.Config, gw *gateway.Gateway, st store.Store, log *slog.Logger, after func(time.Duration) <-chan time.Time) error {
	if p == nil {
		return nil
	}
	d := &cfg.Drift
	var logStore store.DriftLog
	if st != nil {
		logStore = st
	} else if d.Live.Interval > 0 {
		return fmt.Errorf("drift.live needs the request log: configure store")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	alerter := DriftAlerter(d, log, p.metrics)
	monitor := &drift.Monitor{Store: logStore, Options: DriftOptions(d), Alerter: alerter, Demoter: p.demoter, Metrics: p.metrics, Log: log}
	spent := 0.0
	if logStore != nil {
		var err error
		if spent, err = logStore.DriftSpend(ctx, drift.DayOf(time.Now())); err != nil {
			return fmt.Errorf("drift: read today's spend: %w", err)
		}
	}
	targets := DriftTargets(gw)
	s := &drift.Scheduler{
		Runner:  &drift.Runner{Asker: drift.NewDispatchAsker(targets), Budget: drift.NewBudget(d.DailyCapUSD, spent, nil), Concurrency: d.Concurrency},
		Monitor: monitor, Log: log, After: after,
	}
	restore := map[string][]string{}
	for i := range d.Sets {
		set, err := LoadDriftSet(&d.Sets[i])
		if err != nil {
			return err
		}
		deps := priced(cfg.DriftDeployments(&d.Sets[i]), targets, set.Name, log)
		s.Schedules = append(s.Schedules, drift.Schedule{Set: set, Deployments: deps, Interval: d.Sets[i].Interval,
			Jitter: d.Sets[i].Jitter, Prompts: d.Sets[i].Prompts})
		restore[set.Name] = deps
	}
	if err := monitor.Restore(ctx, restore); err != nil {
		return err
	}
	if d.Live.Interval > 0 {
		s.Live = &drift.Live{Store: logStore, Alerter: alerter, Metrics: p.metrics, Options: drift.LiveOptions{
			Window: d.Live.Window, Trailing: d.Live.Trailing, MinRequests: d.Live.MinRequests, Options: DriftOptions(d)}}
		s.LiveInterval = d.Live.Interval
	}
	s.Start()
	p.scheduler = s
	return nil
}

// close stops the scheduler, cancelling runs in progress.
func (p *driftParts) close() {
	if p != nil && p.scheduler != nil {
		p.scheduler.Close()
	}
}

// demoterOrNil is the demoter the admin API shows; nil without one.
func (p *driftParts) demoterOrNil() *drift.Demoter {
	if p == nil {
		return nil
	}
	return p.demoter
}

// Demoter returns the router's drift demoter; nil unless drift.action is
// demote.
func (r *Router) Demoter() *drift.Demoter { return r.drift.demoterOrNil() }

// DriftScheduler returns the router's drift scheduler; nil without a
// drift section.
func (r *Router) DriftScheduler() *drift.Scheduler {
	if r.drift == nil {
		return nil
	}
	return r.drift.scheduler
}

// priced returns the deployments of deps with a known price, warning
// about the others: a daily cap cannot hold a deployment whose cost is
// unknown, so golden runs leave it out.
func priced(deps []string, targets map[string]*dispatch.Target, set string, log *slog.Logger) []string {
	var out []string
	for _, d := range deps {
		if t := targets[d]; t != nil && !t.Deployment.PriceUnknown {
			out = append(out, d)
			continue
		}
		log.Warn("drift: a deployment of unknown price is not run: the daily cap cannot hold it", "set", set, "deployment", d)
	}
	return out
}
