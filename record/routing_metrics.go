package record

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"switchyard/store"
)

// routingMetrics count what the plan's execution did, read from a
// record's Trail: fallbacks, hedges, and the tier that served.
type routingMetrics struct {
	fallbacks    *prometheus.CounterVec
	hedgeStarted *prometheus.CounterVec
	hedgeWon     *prometheus.CounterVec
	servedTier   *prometheus.CounterVec
}

func newRoutingMetrics() *routingMetrics {
	return &routingMetrics{
		fallbacks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_fallbacks_total",
			Help: "Requests answered (or, when every attempt failed, last tried) by a deployment other than the first one tried, by route, first deployment and final deployment.",
		}, []string{"route", "from", "to"}),
		hedgeStarted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_hedges_started_total",
			Help: "Hedged upstream calls: calls started in parallel with a slow earlier one, by route and the hedge's deployment.",
		}, []string{"route", "deployment"}),
		hedgeWon: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_hedges_won_total",
			Help: "Hedged upstream calls whose answer the client got, by route and the hedge's deployment.",
		}, []string{"route", "deployment"}),
		servedTier: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "switchyard_requests_served_total",
			Help: "Requests answered without error, by route and the plan tier (1-based) of the deployment that answered.",
		}, []string{"route", "tier"}),
	}
}

func (m *routingMetrics) register(reg prometheus.Registerer) {
	reg.MustRegister(m.fallbacks, m.hedgeStarted, m.hedgeWon, m.servedTier)
}

func (m *routingMetrics) consume(r *Record) {
	if first := firstTried(r); first != "" && r.Deployment != "" && first != r.Deployment {
		m.fallbacks.WithLabelValues(r.Route, first, r.Deployment).Inc()
	}
	for i := range r.Trail {
		a := &r.Trail[i]
		if !a.Hedge {
			continue
		}
		m.hedgeStarted.WithLabelValues(r.Route, a.Deployment).Inc()
		if a.Outcome == store.OutcomeOK {
			m.hedgeWon.WithLabelValues(r.Route, a.Deployment).Inc()
		}
	}
	if r.Tier > 0 && r.ErrorKind == "" && !r.StreamFailed && r.Status < 400 {
		m.servedTier.WithLabelValues(r.Route, tierLabel(r.Tier)).Inc()
	}
}

// firstTried returns the deployment of the record's first upstream call,
// "" when it made none or its trail was not kept.
func firstTried(r *Record) string {
	if len(r.Trail) == 0 {
		return ""
	}
	return r.Trail[0].Deployment
}

// tierLabels are the tier label values of the tiers most plans have, so
// counting them does not allocate.
var tierLabels = [...]string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

func tierLabel(t int) string {
	if t >= 0 && t < len(tierLabels) {
		return tierLabels[t]
	}
	return strconv.Itoa(t)
}
