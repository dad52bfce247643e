package reload

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/internal/periodic"
	"switchyard/store"
)

// This file keeps several routers that share one store on one
// configuration (docs/admin-api.md#several-routers): each asks the
// history, every few seconds, for its newest version, and applies a
// version newer than its own as if it had been sent to it — built aside,
// swapped in without dropping a request, audited — but never stores it
// again. A version that does not build here is refused once (logged,
// audited, counted) and this router keeps what it runs until a newer one
// comes.

// DefaultFollowInterval is how often Follow asks the history for a newer
// version when given no interval: one cheap query (the newest version's
// number) each time.
const DefaultFollowInterval = 2 * time.Second

// ActionFollow is the audit action of a version this router applied
// because another router sharing the store stored it.
const ActionFollow = "config.follow"

// followMetrics are what following reports.
type followMetrics struct {
	version  prometheus.Gauge
	behind   prometheus.Gauge
	followed *prometheus.CounterVec
	// reloads and lastReloadOK are the file's reloads (SIGHUP, a watch).
	reloads      *prometheus.CounterVec
	lastReloadOK prometheus.Gauge
}

func newFollowMetrics(reg prometheus.Registerer) *followMetrics {
	m := &followMetrics{
		version: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchyard_config_version",
			Help: "The configuration version this router serves (0 when it could not be stored).",
		}),
		behind: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchyard_config_behind",
			Help: "1 while the newest configuration version in the shared store is one this router could not apply (it serves an older one), else 0.",
		}),
		followed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_config_follow_total",
			Help: "Configuration versions stored by another router that this router applied (outcome ok) or could not apply (failed).",
		}, []string{"outcome"}),
		reloads: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_config_reloads_total",
			Help: "Reloads of the configuration file (SIGHUP, serve --watch) applied (outcome ok), refused as not valid or unreadable (refused), or not applied as the store failed (failed).",
		}, []string{"outcome"}),
		lastReloadOK: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "switchyard_config_last_reload_successful",
			Help: "1 when the last reload of the configuration file was applied (or none was tried since start), 0 while the router keeps its configuration after a refused or failed one.",
		}),
	}
	for _, outcome := range []string{store.AuditOK, store.AuditRefused, store.AuditFailed} {
		m.reloads.WithLabelValues(outcome)
	}
	m.lastReloadOK.Set(1)
	if reg != nil {
		reg.MustRegister(m.version, m.behind, m.followed, m.reloads, m.lastReloadOK)
	}
	return m
}

// reloaded counts a reload of the file that ended with err.
func (m *followMetrics) reloaded(err error) {
	outcome, ok := store.AuditOK, 1.0
	var inv *Invalid
	var read *fs.PathError
	switch {
	case err == nil:
	case errors.As(err, &inv), errors.As(err, &read):
		outcome, ok = store.AuditRefused, 0
	default:
		outcome, ok = store.AuditFailed, 0
	}
	m.reloads.WithLabelValues(outcome).Inc()
	m.lastReloadOK.Set(ok)
}

// Follow applies, every interval (zero: DefaultFollowInterval) until ctx
// ends, the history's newest version when it is newer than the one
// running. A history that cannot be read is logged once, and tried again
// at the next tick; a version that does not build here is refused once
// (FollowOnce).
func (m *Manager) Follow(ctx context.Context, interval time.Duration) {
	if interval <= 0 {
		interval = DefaultFollowInterval
	}
	periodic.Run(ctx, interval, m.FollowOnce,
		func(err error) {
			m.log.Warn("config: the stored versions could not be read; this router keeps the configuration it runs", "err", err)
		},
		func() { m.log.Info("config: the stored versions are readable again") })
}

// FollowOnce applies the history's newest version if it is newer than
// the one running and was not refused here before. It returns the
// history's error when it could not be read; a version that does not
// build here is not an error of FollowOnce: it is logged, audited
// (ActionFollow, outcome failed), counted, and not tried again.
func (m *Manager) FollowOnce(ctx context.Context) error {
	vs, err := m.opts.History.ConfigVersions(ctx, 0, 1)
	if err != nil {
		return fmt.Errorf("reload: newest version: %w", err)
	}
	if len(vs) == 0 || !m.newer(vs[0].Version) {
		return nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	n := vs[0].Version
	if !m.newer(n) { // applied here meanwhile
		return nil
	}
	v, err := m.opts.History.ConfigVersion(ctx, n)
	if err != nil {
		return fmt.Errorf("reload: version %d: %w", n, err)
	}
	m.follow(ctx, v)
	return nil
}

// newer reports whether version n is newer than the one running and was
// not refused here.
func (m *Manager) newer(n int64) bool {
	return n > m.cur.Load().version && n != m.failed.Load()
}

// follow applies v, a version another router stored; m.mu is held.
func (m *Manager) follow(ctx context.Context, v store.ConfigVersion) {
	cur := m.cur.Load()
	c := Change{Text: []byte(v.YAML), Actor: m.actor(), Source: v.Source, Restores: v.Restores}
	ch, err := m.validate(cur, c, fromStore)
	var prepared Prepared
	if err == nil {
		if prepared, err = m.opts.Prepare(ch.cfg); err != nil {
			err = m.invalid(err)
		}
	}
	if err != nil {
		m.refuseFollow(ctx, v, err)
		return
	}
	d := diff(string(cur.text), string(ch.masked))
	prepared.Commit()
	m.store(&running{cfg: ch.cfg, text: ch.masked, secrets: ch.secrets, version: v.Version, security: cur.security,
		shown: ch.shown, fileSum: cur.fileSum})
	m.metrics.followed.WithLabelValues("ok").Inc()
	detail := fmt.Sprintf("followed %s (stored by %s, source %s): %s", versionName(v.Version), v.Actor, v.Source,
		changeSummary(cur.version, v.Version, d))
	if len(ch.kept) > 0 {
		detail += "; kept this router's own " + strings.Join(ch.kept, ", ") + " (they change only when it restarts)"
	}
	m.log.Info("config: applied a version another router stored", "version", v.Version, "previous", cur.version,
		"stored_by", v.Actor, "source", v.Source, "kept", ch.kept)
	m.record(ctx, store.AuditEvent{Actor: c.Actor, Action: ActionFollow, Target: fmt.Sprintf("config version %d", v.Version),
		Detail: detail, Outcome: store.AuditOK})
}

// refuseFollow logs, audits and counts a stored version that does not
// build here, and remembers it so that it is not tried again.
func (m *Manager) refuseFollow(ctx context.Context, v store.ConfigVersion, err error) {
	cur := m.cur.Load()
	m.failed.Store(v.Version)
	m.metrics.behind.Set(1)
	m.metrics.followed.WithLabelValues("failed").Inc()
	detail := m.problems(err)
	m.log.Error("config: a version another router stored does not apply here; this router keeps the configuration it runs",
		"version", v.Version, "running", cur.version, "stored_by", v.Actor, "problems", detail)
	m.record(ctx, store.AuditEvent{Actor: m.actor(), Action: ActionFollow, Target: fmt.Sprintf("config version %d", v.Version),
		Detail: fmt.Sprintf("%s (stored by %s) was not applied; this router keeps %s:\n%s", versionName(v.Version), v.Actor,
			versionName(cur.version), detail), Outcome: store.AuditFailed})
}

// actor is who this router is in the audit trail when it follows.
func (m *Manager) actor() string { return "replica:" + m.opts.Replica }

// FollowStatus says whether this router serves the newest stored
// version: Refused is the newest version it could not apply (0 when it
// applied every one it saw).
type FollowStatus struct {
	Refused int64 `json:"refused_version,omitempty"`
}

// Following returns the follow status.
func (m *Manager) Following() FollowStatus { return FollowStatus{Refused: m.failed.Load()} }

// store makes r the running configuration.
func (m *Manager) store(r *running) {
	m.cur.Store(r)
	m.metrics.version.Set(float64(r.version))
	if r.version > m.failed.Load() {
		m.metrics.behind.Set(0)
	}
}
