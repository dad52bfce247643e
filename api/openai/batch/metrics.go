package batch

import "github.com/prometheus/client_golang/prometheus"

// Metrics count the batches of one router. A nil *Metrics counts
// nothing.
type Metrics struct {
	runningNow prometheus.Gauge
	requests   *prometheus.CounterVec
	ended      *prometheus.CounterVec
	resumed    prometheus.Counter
	forwards   prometheus.Counter
}

// NewMetrics returns the metrics, registered with reg when it is not nil.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		runningNow: prometheus.NewGauge(prometheus.GaugeOpts{Name: "switchyard_batches_running",
			Help: "Batches this router runs now."}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_batch_requests_total",
			Help: "Requests of batches this router ran, by outcome (ok: answered below 400, the output file; failed: the error file)."}, []string{"outcome"}),
		ended: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "switchyard_batches_ended_total",
			Help: "Batches this router ended, by status (completed, failed, expired, cancelled)."}, []string{"status"}),
		resumed: prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_batches_resumed_total",
			Help: "Batches this router took over because the router running them stopped (their lease ended or was released)."}),
		forwards: prometheus.NewCounter(prometheus.CounterOpts{Name: "switchyard_batch_forwarded_requests_total",
			Help: "Requests of batches this router sent to a provider's own batch API (OpenAI's Batch API, Anthropic's Message Batches)."}),
	}
	if reg != nil {
		reg.MustRegister(m.runningNow, m.requests, m.ended, m.resumed, m.forwards)
	}
	return m
}

func (m *Metrics) running(d float64) {
	if m != nil {
		m.runningNow.Add(d)
	}
}

func (m *Metrics) request(failed bool) {
	if m != nil {
		m.requests.WithLabelValues(map[bool]string{false: "ok", true: "failed"}[failed]).Inc()
	}
}

func (m *Metrics) end(status string) {
	if m != nil {
		m.ended.WithLabelValues(status).Inc()
	}
}

func (m *Metrics) resume() {
	if m != nil {
		m.resumed.Inc()
	}
}

func (m *Metrics) forwarded(n int) {
	if m != nil {
		m.forwards.Add(float64(n))
	}
}
