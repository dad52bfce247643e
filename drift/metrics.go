package drift

import (
	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
	"switchyard/store"
)

// Metrics are drift detection's Prometheus metrics. A nil *Metrics
// records nothing.
type Metrics struct {
	runs      *prometheus.CounterVec
	passRate  *prometheus.GaugeVec
	flagged   *prometheus.GaugeVec
	alerts    *prometheus.CounterVec
	demoted   *prometheus.GaugeVec
	onRoute   *prometheus.GaugeVec
	spend     prometheus.Counter
	webhook   *prometheus.CounterVec
	liveLooks *prometheus.CounterVec
}

// NewMetrics registers the metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_drift_runs_total", Help: "Golden set runs by set, deployment and verdict.",
		}, []string{"set", "deployment", "verdict"}),
		passRate: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_drift_pass_rate", Help: "Share of the last golden run's answered prompts that met their expectation.",
		}, []string{"set", "deployment"}),
		flagged: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_drift_flagged", Help: "1 when the deployment's last compared golden run was flagged as changed.",
		}, []string{"set", "deployment"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_drift_alerts_total", Help: "Drift alerts raised, by source (golden or live) and deployment.",
		}, []string{"source", "deployment"}),
		demoted: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_drift_demoted", Help: "1 while the deployment is demoted for quality drift in the category (* for every category).",
		}, []string{"deployment", "category"}),
		onRoute: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_drift_live_demoted", Help: "1 while the deployment is demoted on the route for the category because its live traffic there changed.",
		}, []string{"route", "deployment", "category"}),
		spend: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "switchyard_drift_spend_usd_total", Help: "What golden runs' answers cost, in US dollars.",
		}),
		webhook: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_drift_webhook_deliveries_total", Help: "Drift alert webhook deliveries by outcome (delivered or failed, after retries).",
		}, []string{"outcome"}),
		liveLooks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_drift_live_checks_total", Help: "Checks of live traffic's quality signals by outcome (clean, flagged, failed).",
		}, []string{"outcome"}),
	}
	reg.MustRegister(m.runs, m.passRate, m.flagged, m.alerts, m.demoted, m.onRoute, m.spend, m.webhook, m.liveLooks)
	return m
}

// observeRun counts a run and its outcome.
func (m *Metrics) observeRun(run *store.DriftRun) {
	if m == nil {
		return
	}
	m.runs.WithLabelValues(run.Set, run.Deployment, run.Verdict).Inc()
	m.spend.Add(run.CostUSD)
	if answered := run.Prompts - run.Errors; answered > 0 {
		m.passRate.WithLabelValues(run.Set, run.Deployment).Set(float64(run.Passed) / float64(answered))
	}
	switch run.Verdict {
	case VerdictFlagged:
		m.flagged.WithLabelValues(run.Set, run.Deployment).Set(1)
	case VerdictClean, VerdictWatch:
		m.flagged.WithLabelValues(run.Set, run.Deployment).Set(0)
	}
}

func (m *Metrics) alert(source, deployment string) {
	if m != nil {
		m.alerts.WithLabelValues(source, deployment).Inc()
	}
}

// Demoted follows a demotion change (Demoter.OnChange).
func (m *Metrics) Demoted(deployment string, category llm.Category, demoted bool) {
	if m == nil {
		return
	}
	v := 0.0
	if demoted {
		v = 1
	}
	m.demoted.WithLabelValues(deployment, string(category)).Set(v)
}

// LiveDemoted follows a live demotion change (Demoter.OnRouteChange).
func (m *Metrics) LiveDemoted(route, deployment string, category llm.Category, demoted bool) {
	if m == nil {
		return
	}
	v := 0.0
	if demoted {
		v = 1
	}
	m.onRoute.WithLabelValues(route, deployment, string(category)).Set(v)
}

func (m *Metrics) webhookOutcome(ok bool) {
	if m == nil {
		return
	}
	outcome := "failed"
	if ok {
		outcome = "delivered"
	}
	m.webhook.WithLabelValues(outcome).Inc()
}

func (m *Metrics) liveCheck(outcome string) {
	if m != nil {
		m.liveLooks.WithLabelValues(outcome).Inc()
	}
}
