package record

import "github.com/prometheus/client_golang/prometheus"

// guardMetrics count what the guards did (switchyard/guard): scans by
// the action configured and whether it applied, and what the answers'
// sanitizer changed. Their labels take configured values only.
type guardMetrics struct {
	scans  *prometheus.CounterVec
	output *prometheus.CounterVec
}

func newGuardMetrics() *guardMetrics {
	return &guardMetrics{
		scans: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_guard_scans_total",
			Help: "Prompts scanned for injection, by the action configured (flag, block, reroute) and whether the score reached the threshold (acted: true or false).",
		}, []string{"action", "acted"}),
		output: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_guard_output_total",
			Help: "What the answers' sanitizer changed: links and images neutralized (kind link, image), system prompt leaks found (leak) and answers cut at one (leak_cut).",
		}, []string{"kind"}),
	}
}

func (m *guardMetrics) register(reg prometheus.Registerer) { reg.MustRegister(m.scans, m.output) }

func (m *guardMetrics) consume(r *Record) {
	g := r.Guard
	if g == nil {
		return
	}
	if g.Scanned {
		acted := "false"
		if g.Acted {
			acted = "true"
		}
		m.scans.WithLabelValues(g.Action, acted).Inc()
	}
	add(m.output.WithLabelValues("link"), float64(g.LinksRemoved))
	add(m.output.WithLabelValues("image"), float64(g.ImagesRemoved))
	if g.Leak {
		m.output.WithLabelValues("leak").Inc()
	}
	if g.LeakCut {
		m.output.WithLabelValues("leak_cut").Inc()
	}
}
