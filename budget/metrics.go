package budget

import "github.com/prometheus/client_golang/prometheus"

// metrics are the budget counters, labelled by budget name only: budgets
// are configured, so their names are few, while a match: "*" budget has
// one instance per tenant, key or route.
type metrics struct {
	rejections, ceiling, usd, tokens *prometheus.CounterVec
	alerts                           *prometheus.CounterVec
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_budget_rejections_total",
			Help: "Requests refused with 429 budget_exceeded, by hard budget.",
		}, []string{"budget"}),
		ceiling: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_budget_ceiling_total",
			Help: "Requests routed under the price ceiling of a spent soft budget, by budget.",
		}, []string{"budget"}),
		usd: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_budget_charged_usd_total",
			Help: "USD charged to USD budgets by this process, by budget.",
		}, []string{"budget"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_budget_charged_tokens_total",
			Help: "Tokens charged to token budgets by this process, by budget.",
		}, []string{"budget"}),
		alerts: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_budget_alerts_total",
			Help: "Budget alerts raised (once per budget instance, level and period across processes), by budget and level (threshold, exhausted).",
		}, []string{"budget", "level"}),
	}
	if reg != nil {
		reg.MustRegister(m.rejections, m.ceiling, m.usd, m.tokens, m.alerts)
	}
	return m
}

// ruleMetrics are one budget's counters, bound once.
type ruleMetrics struct {
	rejections, ceiling, charged prometheus.Counter
	threshold, exhausted         prometheus.Counter
	usd                          bool
}

func (m *metrics) forRule(name string, u Unit) ruleMetrics {
	rm := ruleMetrics{
		rejections: m.rejections.WithLabelValues(name), ceiling: m.ceiling.WithLabelValues(name),
		threshold: m.alerts.WithLabelValues(name, LevelThreshold), exhausted: m.alerts.WithLabelValues(name, LevelExhausted),
		usd: u == USD,
	}
	if rm.usd {
		rm.charged = m.usd.WithLabelValues(name)
	} else {
		rm.charged = m.tokens.WithLabelValues(name)
	}
	return rm
}

// charge counts amount, in the budget's unit (micro-dollars or tokens).
func (rm ruleMetrics) charge(amount int64) {
	if rm.usd {
		rm.charged.Add(float64(amount) / 1e6)
		return
	}
	rm.charged.Add(float64(amount))
}

func (rm ruleMetrics) alert(level string) {
	if level == LevelExhausted {
		rm.exhausted.Inc()
		return
	}
	rm.threshold.Inc()
}
