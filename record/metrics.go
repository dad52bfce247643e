package record

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/llm"
	"switchyard/route"
)

// Metrics is a Sink that exports records as Prometheus metrics. Every
// label takes its values from a set the configuration bounds (endpoints,
// routes, deployments, tiers, error kinds, tenants), never from a
// request's content.
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
	unknownCost   *prometheus.CounterVec
	priceKnown    *prometheus.GaugeVec
	tooLarge      *prometheus.CounterVec
	routing       *routingMetrics
	guard         *guardMetrics
	// tenant adds the record's tenant as the last label of requests,
	// tokens and cost.
	tenant bool
}

// MetricsOptions tune NewMetricsWith. The zero value is what NewMetrics
// uses.
type MetricsOptions struct {
	// TenantLabel adds a "tenant" label to switchyard_requests_total,
	// switchyard_tokens_total and switchyard_cost_usd_total. Tenants come
	// from the configuration (auth.keys), so the series stay bounded, but
	// each tenant multiplies them: off by default.
	TenantLabel bool
}

// NewMetrics registers the router's request metrics with reg.
func NewMetrics(reg prometheus.Registerer) *Metrics {
	return NewMetricsWith(reg, MetricsOptions{})
}

// NewMetricsWith registers the router's request metrics with reg, tuned by
// opts.
func NewMetricsWith(reg prometheus.Registerer, opts MetricsOptions) *Metrics {
	withTenant := func(labels ...string) []string {
		if opts.TenantLabel {
			return append(labels, "tenant")
		}
		return labels
	}
	m := &Metrics{
		tenant: opts.TenantLabel,
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_requests_total", Help: "Requests by endpoint, route, deployment and HTTP status.",
		}, withTenant("endpoint", "route", "deployment", "status")),
		streamFailed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_stream_failures_total", Help: "Streams that failed after their first byte reached the client.",
		}, []string{"deployment", "kind"}),
		tokens: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_tokens_total", Help: "Tokens by deployment and type (prompt, completion, cached, reasoning).",
		}, withTenant("deployment", "type")),
		cost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_cost_usd_total", Help: "Upstream cost in USD by deployment.",
		}, withTenant("deployment")),
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
			Name: "switchyard_streams_resumed_total",
			Help: "Streams that broke after their first byte and were continued on another deployment, by route, broken deployment, finishing deployment and mode (prefill or regenerate).",
		}, []string{"route", "from", "to", "mode"}),
		estimated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_usage_estimated_total",
			Help: "Billed attempts whose usage the router estimated (the upstream reported none), by deployment.",
		}, []string{"deployment"}),
		unknownCost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_requests_unknown_cost_total",
			Help: "Requests that used a deployment with no known price, by that deployment: their cost there is missing from switchyard_cost_usd_total (unknown, not $0).",
		}, []string{"deployment"}),
		priceKnown: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "switchyard_deployment_price_known",
			Help: "1 when the deployment's price is known (configured or from the built-in catalog), 0 when its cost is unknown.",
		}, []string{"deployment"}),
		tooLarge: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_answers_too_large_total",
			Help: "Upstream calls whose answer passed server.max_answer_bytes (error code answer_too_large), by deployment.",
		}, []string{"deployment"}),
		routing: newRoutingMetrics(),
		guard:   newGuardMetrics(),
	}
	reg.MustRegister(m.requests, m.streamFailed, m.tokens, m.cost, m.latency, m.ttft, m.upstreamCalls, m.resumed, m.estimated,
		m.unknownCost, m.priceKnown, m.tooLarge)
	m.routing.register(reg)
	m.guard.register(reg)
	return m
}

// Consume implements Sink. Negative or NaN counts and costs (a
// misbehaving upstream's usage) are not added: a Prometheus counter panics
// on a negative increment, and NaN would stick forever.
func (m *Metrics) Consume(r *Record) {
	m.requests.WithLabelValues(m.labels(r, r.Endpoint, r.Route, r.Deployment, strconv.Itoa(r.Status))...).Inc()
	add(m.upstreamCalls.WithLabelValues(r.Endpoint), float64(r.Attempts))
	if r.ResumedFrom != "" {
		m.resumed.WithLabelValues(r.Route, r.ResumedFrom, r.Deployment, r.ResumeMode).Inc()
	}
	if r.StreamFailed {
		m.streamFailed.WithLabelValues(r.Deployment, string(r.ErrorKind)).Inc()
	}
	if len(r.Billed) > 0 {
		for i := range r.Billed {
			b := &r.Billed[i]
			m.usage(r, b.Deployment, &b.Usage, b.CostUSD)
			if b.CostUnknown && !billedBefore(r.Billed[:i], b.Deployment) {
				m.unknownCost.WithLabelValues(b.Deployment).Inc()
			}
		}
	} else if r.Deployment != "" {
		m.usage(r, r.Deployment, &r.Usage, r.CostUSD)
		if r.CostUnknown {
			m.unknownCost.WithLabelValues(r.Deployment).Inc()
		}
	}
	m.latency.WithLabelValues(r.Endpoint, r.Deployment).Observe(r.Latency.Seconds())
	if r.TTFT > 0 {
		m.ttft.WithLabelValues(r.Deployment).Observe(r.TTFT.Seconds())
	}
	for i := range r.Trail {
		if a := &r.Trail[i]; a.ErrorCode == llm.CodeAnswerTooLarge {
			m.tooLarge.WithLabelValues(a.Deployment).Inc()
		}
	}
	m.routing.consume(r)
	m.guard.consume(r)
}

// billedBefore reports whether dep has an unknown-price attempt in bs:
// a request counts once per deployment.
func billedBefore(bs []Billed, dep string) bool {
	for i := range bs {
		if bs[i].Deployment == dep && bs[i].CostUnknown {
			return true
		}
	}
	return false
}

// ObservePrices sets switchyard_deployment_price_known for each
// deployment: 1 for a known price, 0 for an unknown one. The router calls
// it once its policy is built.
func (m *Metrics) ObservePrices(deps []*route.Deployment) {
	for _, d := range deps {
		v := 1.0
		if d.PriceUnknown {
			v = 0
		}
		m.priceKnown.WithLabelValues(d.Name).Set(v)
	}
}

// labels returns vals, followed by r's tenant when the tenant label is on.
func (m *Metrics) labels(r *Record, vals ...string) []string {
	if m.tenant {
		return append(vals, r.Tenant)
	}
	return vals
}

// usage counts one attempt's tokens and cost against dep.
func (m *Metrics) usage(r *Record, dep string, u *llm.Usage, cost float64) {
	add(m.tokens.WithLabelValues(m.labels(r, dep, "prompt")...), float64(u.PromptTokens))
	add(m.tokens.WithLabelValues(m.labels(r, dep, "completion")...), float64(u.CompletionTokens))
	add(m.tokens.WithLabelValues(m.labels(r, dep, "cached")...), float64(u.CachedPromptTokens))
	add(m.tokens.WithLabelValues(m.labels(r, dep, "reasoning")...), float64(u.ReasoningTokens))
	add(m.cost.WithLabelValues(m.labels(r, dep)...), cost)
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
