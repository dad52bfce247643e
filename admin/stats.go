package admin

import (
	"net/http"
	"time"

	"switchyard/llm"
	"switchyard/store"
)

// StatsList is the answer of GET /admin/stats.
type StatsList struct {
	// Since and Until are the time range read; null when unbounded.
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
	// By are the dimensions grouped by, in the order asked.
	By []string `json:"by"`
	// Data are the groups, ordered by their values; one group of every
	// row when By is empty, none when no row matched.
	Data []StatsGroup `json:"data"`
}

// StatsGroup are the aggregates of one group of requests.
type StatsGroup struct {
	// Group holds the group's value of each dimension of By.
	Group        map[string]string `json:"group"`
	Count        int64             `json:"count"`
	Errors       int64             `json:"errors"`
	Fallbacks    int64             `json:"fallbacks"`
	ErrorRate    float64           `json:"error_rate"`
	FallbackRate float64           `json:"fallback_rate"`
	// LatencyMs is over every request; TTFTMs over those that sent a
	// first byte.
	LatencyMs Percentiles `json:"latency_ms"`
	TTFTMs    Percentiles `json:"ttft_ms"`
	Tokens    Tokens      `json:"tokens"`
	// CostUSD and ServedCostUSD sum the requests' costs; UnknownCost
	// counts the requests with a cost_unknown part, which they leave out.
	CostUSD       float64     `json:"cost_usd"`
	ServedCostUSD float64     `json:"served_cost_usd"`
	UnknownCost   int64       `json:"unknown_cost_requests"`
	Signals       SignalRates `json:"signal_rates"`
}

// Percentiles are nearest-rank percentiles of a duration, in ms.
type Percentiles struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
}

// SignalRates are the share of a group's requests with each quality
// signal; FormatFailed is over the requests whose format was checked.
type SignalRates struct {
	Refusal         float64 `json:"refusal"`
	ContentFilter   float64 `json:"content_filter"`
	Truncated       float64 `json:"truncated"`
	Empty           float64 `json:"empty"`
	FormatFailed    float64 `json:"format_failed"`
	InvalidToolCall float64 `json:"invalid_tool_call"`
}

func percentilesOf(p store.Percentiles) Percentiles {
	return Percentiles{P50: ms(p.P50), P90: ms(p.P90), P99: ms(p.P99)}
}

// StatsOf returns the view of the groups of q.
func StatsOf(q store.StatsQuery, groups []store.Stats) StatsList {
	out := StatsList{By: dimensionNames(q.By), Since: timeOrNil(q.Since), Until: timeOrNil(q.Until), Data: make([]StatsGroup, len(groups))}
	for i, s := range groups {
		g := StatsGroup{
			Group: groupOf(s.Group), Count: s.Count, Errors: s.Errors, Fallbacks: s.Fallbacks,
			ErrorRate: s.ErrorRate, FallbackRate: s.FallbackRate,
			LatencyMs: percentilesOf(s.Latency), TTFTMs: percentilesOf(s.TTFT),
			Tokens: tokensOf(s.Tokens), CostUSD: llm.RoundUSD(s.CostUSD), ServedCostUSD: llm.RoundUSD(s.ServedCostUSD), UnknownCost: s.CostUnknown,
			Signals: SignalRates{
				Refusal: s.RefusalRate, ContentFilter: s.ContentFilterRate, Truncated: s.TruncatedRate,
				Empty: s.EmptyRate, FormatFailed: s.FormatFailedRate, InvalidToolCall: s.InvalidToolCallRate,
			},
		}
		out.Data[i] = g
	}
	return out
}

// timeOrNil is t, or nil when it is zero (a bound a query did not set).
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// dimensionNames returns the names of dims.
func dimensionNames(dims []store.Dimension) []string {
	out := make([]string, len(dims))
	for i, d := range dims {
		out[i] = string(d)
	}
	return out
}

// groupOf returns a group's values by the names of its dimensions.
func groupOf(group map[store.Dimension]string) map[string]string {
	out := make(map[string]string, len(group))
	for d, v := range group {
		out[string(d)] = v
	}
	return out
}

func (h *Handler) stats(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseStatsQuery)
	if !ok {
		return
	}
	groups, err := h.Store.Stats(r.Context(), scope, q.Query)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	writeJSON(w, StatsOf(q.Query, groups))
}
