package server

import (
	"fmt"
	"log/slog"
	"sync"
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
// routing reads, the golden runs' histories, the live monitor, and the
// scheduler of golden runs and live checks, built from the drift section
// at start and built again when a configuration change alters the
// section, the deployments or their providers, or a set's file
// (drift_apply.go). The demotions and histories outlive the schedulers.
type driftParts struct {
	reg   prometheus.Registerer
	store store.Store
	log   *slog.Logger
	after func(time.Duration) <-chan time.Time

	// demoter holds the golden and the live demotions; onRoute the live
	// ones' reference traffic; monitor the golden histories; live the
	// live monitor (its memory of alerts).
	demoter *drift.Demoter
	onRoute *drift.LiveDemoter
	monitor *drift.Monitor
	live    *drift.Live

	// metrics are registered when a configuration first enables drift.
	metricsOnce sync.Once
	metrics     *drift.Metrics

	// mu is held while a configuration is applied; running is the one
	// applied (nil before the first), with the sums of its set files;
	// scheduler runs it (nil when it monitors nothing); restored reports
	// the live demotions read from the store.
	mu        sync.Mutex
	running   *config.Config
	sums      map[string]string
	scheduler *drift.Scheduler
	restored  bool
}

// newDriftParts makes the demoter the gateway reads and the parts that
// outlive configuration changes; st (nil for none) keeps the runs, the
// live demotions and the request log the live monitor reads; now is the
// live monitor's clock (nil: time.Now).
func newDriftParts(reg prometheus.Registerer, st store.Store, log *slog.Logger, after func(time.Duration) <-chan time.Time, now func() time.Time) *driftParts {
	p := &driftParts{reg: reg, store: st, log: log, after: after, demoter: &drift.Demoter{}}
	p.onRoute = &drift.LiveDemoter{Demoter: p.demoter, Log: log}
	p.monitor = &drift.Monitor{Log: log}
	p.live = &drift.Live{Now: now}
	if st != nil {
		p.onRoute.Snapshots, p.monitor.Store, p.live.Store = st, st, st
	}
	return p
}

// metricsOn registers drift's metrics, once, and has the parts count.
func (p *driftParts) metricsOn() *drift.Metrics {
	p.metricsOnce.Do(func() {
		p.metrics = drift.NewMetrics(p.reg)
		p.demoter.OnChange, p.demoter.OnRouteChange = p.metrics.Demoted, p.metrics.LiveDemoted
		p.monitor.Metrics, p.live.Metrics = p.metrics, p.metrics
	})
	return p.metrics
}

// demotions is the gateway's Options.Demotions.
func (p *driftParts) demotions() func() route.Demotions {
	return func() route.Demotions { return p.demoter.Routing() }
}

// routeDemotions is the gateway's Options.RouteDemotions.
func (p *driftParts) routeDemotions() func() (route.RouteDemotions, float64) {
	return func() (route.RouteDemotions, float64) { return p.demoter.RouteRouting() }
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
		a.Webhook = &drift.Webhook{URL: d.Webhook.URL, Headers: d.Webhook.Headers, Name: "drift webhook", UserAgent: "switchyard-drift"}
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

// start applies the configuration the router starts with: it reads the
// histories, the live demotions and today's spend from the store and
// starts the scheduler.
func (p *driftParts) start(cfg *config.Config, gw *gateway.Gateway) error {
	c, err := p.prepare(cfg, gw)
	if err != nil {
		return err
	}
	return c.commit()
}

// close stops the scheduler, cancelling runs in progress.
func (p *driftParts) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.scheduler != nil {
		p.scheduler.Close()
		p.scheduler = nil
	}
}

// Demoter returns the router's drift demoter: the deployments demoted
// for quality drift, by golden runs (drift.action demote) and on routes
// by the live monitor (drift.live.action demote).
func (r *Router) Demoter() *drift.Demoter { return r.drift.demoter }

// DriftScheduler returns the router's drift scheduler, which a
// configuration change may replace; nil when the configuration monitors
// nothing.
func (r *Router) DriftScheduler() *drift.Scheduler {
	r.drift.mu.Lock()
	defer r.drift.mu.Unlock()
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
