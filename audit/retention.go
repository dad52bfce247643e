package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/store"
)

// This file prunes the audit trail and the configuration history: events
// older than the retention are deleted, and configuration versions too
// but the newest ones (docs/admin-api.md#retention). It runs off every
// request's path, on a timer.

// Retention is what a Pruner keeps.
type Retention struct {
	// Age is how long events are kept, and configuration versions past
	// the Keep newest; zero or negative keeps everything.
	Age time.Duration
	// Keep is how many of the newest configuration versions are kept
	// whatever their age (at least 1).
	Keep int
}

// DefaultPruneInterval is how often a Pruner runs when given no interval.
const DefaultPruneInterval = time.Hour

// PrunerOptions tune NewPruner. The zero value is usable.
type PrunerOptions struct {
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Logger receives what was deleted and the failures; nil means
	// slog.Default().
	Logger *slog.Logger
	// Registerer receives switchyard_audit_pruned_total; nil means none.
	Registerer prometheus.Registerer
}

// Pruner deletes the audit events and configuration versions past their
// retention. It is safe for concurrent use.
type Pruner struct {
	store  store.HistoryPruner
	policy func() Retention
	opts   PrunerOptions
	pruned *prometheus.CounterVec
}

// NewPruner returns a Pruner of s under the retention policy returns
// (read at each run, so that a configuration change applies at the next).
func NewPruner(s store.HistoryPruner, policy func() Retention, opts PrunerOptions) *Pruner {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	p := &Pruner{store: s, policy: policy, opts: opts, pruned: prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "switchyard_audit_pruned_total",
		Help: "Audit events (what=events) and configuration versions (what=versions) deleted past audit.retention by this process.",
	}, []string{"what"})}
	if opts.Registerer != nil {
		opts.Registerer.MustRegister(p.pruned)
	}
	return p
}

// Run prunes now and every interval (zero: DefaultPruneInterval) until
// ctx ends, logging failures: what is left is deleted at a later run.
func (p *Pruner) Run(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultPruneInterval
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, _, err := p.Prune(ctx); err != nil && ctx.Err() == nil {
			p.opts.Logger.Warn("audit: retention delete failed; it is tried again later", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Prune deletes now what the retention no longer keeps, and returns how
// many events and versions it deleted.
func (p *Pruner) Prune(ctx context.Context) (events, versions int64, err error) {
	r := p.policy()
	if r.Age <= 0 {
		return 0, 0, nil
	}
	before := p.opts.Now().Add(-r.Age)
	if events, err = p.store.PruneAudit(ctx, before); err != nil {
		return 0, 0, err
	}
	p.pruned.WithLabelValues("events").Add(float64(events))
	if versions, err = p.store.PruneConfigVersions(ctx, before, max(r.Keep, 1)); err != nil {
		return events, 0, err
	}
	p.pruned.WithLabelValues("versions").Add(float64(versions))
	if events > 0 || versions > 0 {
		p.opts.Logger.Info("audit: retention deleted old entries", "events", events, "config_versions", versions,
			"retention", r.Age, "keep_versions", r.Keep)
	}
	return events, versions, nil
}
