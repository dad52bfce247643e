package health

import (
	"context"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
)

// Reporter turns transitions into log lines and Prometheus metrics. Pass
// its Transition method as Options.OnTransition.
type Reporter struct {
	log         *slog.Logger
	transitions *prometheus.CounterVec
	breaker     *prometheus.GaugeVec
	demoted     *prometheus.GaugeVec
}

// NewReporter registers the health metrics with reg and logs to log.
func NewReporter(log *slog.Logger, reg prometheus.Registerer) *Reporter {
	r := &Reporter{
		log: log,
		transitions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_health_transitions_total", Help: "Breaker and demotion transitions by deployment.",
		}, []string{"deployment", "what", "to"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_deployment_breaker_state", Help: "1 for the current breaker state of each deployment.",
		}, []string{"deployment", "state"}),
		demoted: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_deployment_demoted", Help: "1 while a deployment is demoted for latency spikes.",
		}, []string{"deployment"}),
	}
	reg.MustRegister(r.transitions, r.breaker, r.demoted)
	return r
}

// Init sets the gauges of deployments that have not transitioned yet.
func (r *Reporter) Init(deployments []string) {
	for _, d := range deployments {
		r.breaker.WithLabelValues(d, string(Closed)).Set(1)
		r.demoted.WithLabelValues(d).Set(0)
	}
}

// Transition logs t and updates the metrics.
func (r *Reporter) Transition(t Transition) {
	r.transitions.WithLabelValues(t.Deployment, t.What, t.To).Inc()
	level := slog.LevelWarn
	switch t.What {
	case "breaker":
		for _, s := range []BreakerState{Closed, Open, HalfOpen} {
			v := 0.0
			if string(s) == t.To {
				v = 1
			}
			r.breaker.WithLabelValues(t.Deployment, string(s)).Set(v)
		}
		if t.To == string(Closed) {
			level = slog.LevelInfo
		}
	case "latency":
		v := 0.0
		if t.To == "demoted" {
			v = 1
		} else {
			level = slog.LevelInfo
		}
		r.demoted.WithLabelValues(t.Deployment).Set(v)
	}
	r.log.Log(context.Background(), level, "deployment health changed", "deployment", t.Deployment, "what", t.What, "from", t.From, "to", t.To, "reason", t.Reason)
}
