package background

import "github.com/prometheus/client_golang/prometheus"

// Metrics count the background responses of one router. A nil *Metrics
// counts nothing.
type Metrics struct {
	queuedNow, runningNow prometheus.Gauge
	done                  *prometheus.CounterVec
	refusals, expiries    prometheus.Counter
}

// NewMetrics returns the metrics, registered with reg when it is not nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		queuedNow: prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchyard_background_queued",
			Help: "Background responses waiting for a worker on this router."}),
		runningNow: prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchyard_background_running",
			Help: "Background responses running on this router."}),
		done: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_background_finished_total",
			Help: "Background responses this router ran to their end, by outcome (completed, incomplete, failed, cancelled: cancelled or stopped by the store)."}, []string{"outcome"}),
		refusals: prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_background_refused_total",
			Help: "Background responses refused with 429 because max_concurrent run and max_queued wait."}),
		expiries: prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_background_lease_expired_total",
			Help: "Background responses this router failed because the router running them stopped (their lease ended)."}),
	}
	if reg != nil {
		reg.MustRegister(m.queuedNow, m.runningNow, m.done, m.refusals, m.expiries)
	}
	return m
}

func (m *Metrics) queued() {
	if m != nil {
		m.queuedNow.Inc()
	}
}

func (m *Metrics) started() {
	if m != nil {
		m.queuedNow.Dec()
		m.runningNow.Inc()
	}
}

func (m *Metrics) finished(outcome string) {
	if m != nil {
		m.runningNow.Dec()
		m.done.WithLabelValues(outcome).Inc()
	}
}

func (m *Metrics) refused() {
	if m != nil {
		m.refusals.Inc()
	}
}

func (m *Metrics) expired() {
	if m != nil {
		m.expiries.Inc()
	}
}
