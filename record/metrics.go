package record

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
)

// Metrics is a Sink that exports records as Prometheus metrics.
type Metrics struct {
	requests      *prometheus.CounterVec
	streamFailed  *prometheus.CounterVec
	tokens        *prometheus.CounterVec
	cost          *prometheus.CounterVec
	latency       *prometheus.HistogramVec
	ttft          *prometheus.HistogramVec
	upstreamCalls *prometheus.CounterVec
	resumed       *prometheus.CounterVec
	estimated     *prometheus.CounterVec
}

// NewMetrics registers the router's request metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_requests_total", Help: "Requests by endpoint, route, deployment and HTTP status.",
		}, []string{"endpoint", "route", "deployment", "status"}),
		streamFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_stream_failures_total", Help: "Streams that failed after their first byte reached the client.",
		}, []string{"deployment", "kind"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_tokens_total", Help: "Tokens by deployment and type (prompt, completion, cached, reasoning).",
		}, []string{"deployment", "type"}),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_cost_usd_total", Help: "Upstream cost in USD by deployment.",
		}, []string{"deployment"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "switchyard_request_duration_seconds", Help: "Total request time.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}, []string{"endpoint", "deployment"}),
		ttft: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "switchyard_time_to_first_byte_seconds", Help: "Time to the first streamed byte.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 14),
		}, []string{"deployment"}),
		upstreamCalls: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_upstream_attempts_total", Help: "Upstream calls made, failovers included.",
		}, []string{"endpoint"}),
		resumed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_streams_resumed_total", Help: "Streams that broke after their first byte and were continued on another deployment.",
		}, []string{"route", "from", "to"}),
		estimated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_usage_estimated_total",
			Help: "Billed attempts whose usage the router estimated (the upstream reported none), by deployment.",
		}, []string{"deployment"}),
	}
	reg.MustRegister(m.requests, m.streamFailed, m.tokens, m.cost, m.latency, m.ttft, m.upstreamCalls, m.resumed, m.estimated)
	return m
}

// Consume implements Sink. Negative or NaN counts and costs (a
// misbehaving upstream's usage) are not added: a Prometheus counter panics
// on a negative increment, and NaN would stick forever.
func (m *Metrics) Consume(r *Record) {
	m.requests.WithLabelValues(r.Endpoint, r.Route, r.Deployment, strconv.Itoa(r.Status)).Inc()
	add(m.upstreamCalls.WithLabelValues(r.Endpoint), float64(r.Attempts))
	if r.ResumedFrom != "" {
		m.resumed.WithLabelValues(r.Route, r.ResumedFrom, r.Deployment).Inc()
	}
	if r.StreamFailed {
		m.streamFailed.WithLabelValues(r.Deployment, string(r.ErrorKind)).Inc()
	}
	if len(r.Billed) > 0 {
		for i := range r.Billed {
			b := &r.Billed[i]
			m.usage(b.Deployment, &b.Usage, b.CostUSD)
		}
	} else if r.Deployment != "" {
		m.usage(r.Deployment, &r.Usage, r.CostUSD)
	}
	m.latency.WithLabelValues(r.Endpoint, r.Deployment).Observe(r.Latency.Seconds())
	if r.TTFT > 0 {
		m.ttft.WithLabelValues(r.Deployment).Observe(r.TTFT.Seconds())
	}
}

// usage counts one attempt's tokens and cost against dep.
func (m *Metrics) usage(dep string, u *llm.Usage, cost float64) {
	add(m.tokens.WithLabelValues(dep, "prompt"), float64(u.PromptTokens))
	add(m.tokens.WithLabelValues(dep, "completion"), float64(u.CompletionTokens))
	add(m.tokens.WithLabelValues(dep, "cached"), float64(u.CachedPromptTokens))
	add(m.tokens.WithLabelValues(dep, "reasoning"), float64(u.ReasoningTokens))
	add(m.cost.WithLabelValues(dep), cost)
	if u.Estimated {
		m.estimated.WithLabelValues(dep).Inc()
	}
}

// add adds v to c when v is positive.
func add(c prometheus.Counter, v float64) {
	if v > 0 {
		c.Add(v)
	}
}
