package adaptive

import (
	"github.com/prometheus/client_golang/prometheus"

	"switchyard/learn/bandit"
)

// metrics are the learner's series. The per-arm gauges are kept at the
// category level for every tenant, so their cardinality is bounded by
// routes × deployments × 8 categories.
type metrics struct {
	decisions  *prometheus.CounterVec
	outcomes   *prometheus.CounterVec
	pGood      *prometheus.GaugeVec
	evidence   *prometheus.GaugeVec
	arms       prometheus.Gauge
	dropped    prometheus.Counter
	refused    prometheus.Gauge
	syncErrors prometheus.Counter
	changes    *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	arm := []string{"route", "deployment", "category"}
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_adaptive_decisions_total",
			Help: "Requests an adaptive route served, by whether the first candidate came from exploring (a Thompson draw) or exploiting; the explore share is explore over the sum.",
		}, []string{"route", "choice"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_adaptive_outcomes_total",
			Help: "Outcomes (requests with feedback) the adaptive scorer learned from, by route.",
		}, []string{"route"}),
		pGood: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_adaptive_p_good",
			Help: "The decayed share of good outcomes of a deployment on an adaptive route, per category, every tenant (no prior).",
		}, arm),
		evidence: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_adaptive_outcomes",
			Help: "The decayed number of outcomes behind switchyard_adaptive_p_good.",
		}, arm),
		arms:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchyard_adaptive_arms", Help: "Arms (route, context, deployment, tenant) the adaptive scorer holds."}),
		dropped:    prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_adaptive_dropped_total", Help: "Outcome events dropped because the learner's queue was full."}),
		refused:    prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchyard_adaptive_refused_arms", Help: "Updates of new arms refused because the table was full."}),
		syncErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_adaptive_sync_errors_total", Help: "Failed merges with the shared state (retried)."}),
		changes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_adaptive_changes_total",
			Help: "Changes noticed in a deployment on an adaptive route (its recent outcomes in a category against its older record there), after which the older record counts for little.",
		}, []string{"route", "deployment"}),
	}
	if reg != nil {
		reg.MustRegister(m.decisions, m.outcomes, m.pGood, m.evidence, m.arms, m.dropped, m.refused, m.syncErrors, m.changes)
	}
	return m
}

func (m *metrics) decision(route string, explored bool) {
	choice := "exploit"
	if explored {
		choice = "explore"
	}
	m.decisions.WithLabelValues(route, choice).Inc()
}

// observe sets the gauges from a published snapshot.
func (m *metrics) observe(s *bandit.Snapshot, t *bandit.Table) {
	m.pGood.Reset()
	m.evidence.Reset()
	s.Each(func(k bandit.Key, c bandit.Counts) {
		if k.Tenant != "" || k.Context.Level() != bandit.LevelCategory || c.N() <= 0 {
			return
		}
		cat := string(k.Context.CategoryName())
		if cat == "" {
			cat = "none"
		}
		m.pGood.WithLabelValues(k.Route, k.Deployment, cat).Set(c.Good / c.N())
		m.evidence.WithLabelValues(k.Route, k.Deployment, cat).Set(c.N())
	})
	m.arms.Set(float64(s.Len()))
	m.refused.Set(float64(t.Refused))
}
