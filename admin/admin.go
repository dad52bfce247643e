// Package admin serves the router's operational API under /admin/: the
// live health of every deployment and its reset, the request log (the
// requests served, one by one, and their statistics) and the feedback on
// their answers (the ratings and signals, and the cost-quality scores)
// and the budgets' use and the batches within the caller's tenant scope, the golden
// sets' drift runs, the versioned configuration and the audit trail,
// behind role-based access control (Rules, Authorize).
//
// The server's guard authenticates the caller and puts its Principal in
// the request's context (WithPrincipal); Authorize then checks its role
// and tenant against the endpoint's rule.
package admin

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"switchyard/audit"
	"switchyard/budget"
	"switchyard/cost"
	"switchyard/drift"
	"switchyard/health"
	"switchyard/learn"
	"switchyard/reload"
	"switchyard/store"
	"switchyard/tenant"
)

// Handler serves the admin endpoints. Its fields are set before Mount and
// not changed after.
type Handler struct {
	// Health is the tracker whose state GET /admin/health reports.
	Health *health.Tracker
	// Store is the request log that GET /admin/requests and
	// GET /admin/stats read; nil means no request log is kept, and they
	// answer 404 (code request_log_off).
	Store store.Store
	// Logger receives the request log's read failures; nil means
	// slog.Default().
	Logger *slog.Logger
	// Now is the clock relative times ("since=1h") count back from; nil
	// means time.Now.
	Now func() time.Time
	// Prices are the deployments' prices, by name, that GET /admin/health
	// shows (known or not, and from where); nil shows none.
	Prices map[string]cost.Pricing
	// Lambda is the weight of cost in GET /admin/scores when the query
	// gives none (learn.lambda); nil means learn.DefaultLambda.
	Lambda *float64
	// RefusalWeight weighs the refusals passed over in GET /admin/scores
	// and /admin/report (learn.signals.refusal); nil means the default.
	RefusalWeight *float64
	// CurrentPrices, when set, returns the prices GET /admin/health shows
	// in place of Prices: those of the configuration serving now.
	CurrentPrices func() map[string]cost.Pricing
	// Savings returns what GET /admin/report's savings read of the
	// configuration serving now (SavingsPolicyOf); nil leaves the
	// savings out of the report.
	Savings func() *learn.SavingsPolicy
	// Config serves the configuration endpoints; nil means the router was
	// built without its configuration's text (in Go code), and they
	// answer 404 (code config_api_off).
	Config *reload.Manager
	// Audit is the audit trail GET /admin/audit reads and the health
	// actions write; nil means none (404, code audit_off).
	Audit *audit.Trail
	// Drift holds the deployments quality monitoring demoted, which
	// GET /admin/health shows with their evidence; nil shows none.
	Drift *drift.Demoter
	// Keys manages the managed keys (/admin/keys); nil or without a store
	// answers 404 (code keys_off). Who may call those endpoints is
	// decided by Rules, like every other; the manager keeps a tenant's
	// admin keys to its own tenant and an admin key's role to at most its
	// creator's.
	Keys *tenant.Manager
	// Budgets are the budgets GET /admin/budgets lists with their use;
	// nil lists none.
	Budgets *budget.Budgets
	// KeyTenants returns the tenants of the client keys named name (file
	// and managed keys); GET /admin/budgets shows a key budget's instance
	// to a tenant's admin key only when every key of that name is its
	// tenant's. Nil shows key instances to unscoped keys only.
	KeyTenants func(name string) []string
	// StoreTimeouts bound each route's wait for the store
	// (store.timeout; the aggregates over a range of the request log:
	// store.aggregate_timeout); the zero value holds the defaults.
	StoreTimeouts store.Timeouts
}

// Mux is where Mount registers the routes: an *http.ServeMux, or a
// wrapper that notes them.
type Mux interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
}

// Mount registers the admin routes on mux. Each must have its row in
// Rules. Each but a configuration's change is served with its request's
// context bounded by h.StoreTimeouts (storeBounds): with the database (or
// the budgets' state back end) not answering, a route answers 503 within
// the bound.
func (h *Handler) Mount(outer Mux) {
	mux := storeBounds{Mux: outer, t: h.StoreTimeouts}
	mux.HandleFunc("GET /admin/whoami", h.whoami)
	mux.HandleFunc("GET /admin/health", h.health)
	mux.HandleFunc("POST /admin/health/{deployment}/reset", h.resetHealth)
	mux.HandleFunc("GET /admin/audit", h.listAudit)
	mux.HandleFunc("GET /admin/config", h.getConfig)
	mux.HandleFunc("PUT /admin/config", h.putConfig)
	mux.HandleFunc("POST /admin/config/rollback", h.rollback)
	mux.HandleFunc("GET /admin/config/versions", h.listVersions)
	mux.HandleFunc("GET /admin/config/versions/{version}", h.getVersion)
	mux.HandleFunc("GET /admin/requests", h.listRequests)
	mux.HandleFunc("GET /admin/requests/{id}", h.getRequest)
	mux.HandleFunc("GET /admin/stats", h.stats)
	mux.HandleFunc("GET /admin/scores", h.scores)
	mux.HandleFunc("GET /admin/feedback", h.listFeedback)
	mux.HandleFunc("GET /admin/report", h.report)
	mux.HandleFunc("GET /admin/budgets", h.listBudgets)
	mux.HandleFunc("GET /admin/batches", h.listBatches)
	mux.HandleFunc("GET /admin/batches/{id}", h.getBatch)
	mux.HandleFunc("GET /admin/drift/runs", h.listDriftRuns)
	mux.HandleFunc("GET /admin/drift/runs/{id}", h.getDriftRun)
	mux.HandleFunc("GET /admin/keys", h.listKeys)
	mux.HandleFunc("POST /admin/keys", h.createKey)
	mux.HandleFunc("DELETE /admin/keys/{id}", h.revokeKey)
	mux.HandleFunc("POST /admin/keys/{id}/rotate", h.rotateKey)
}

func (h *Handler) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

func (h *Handler) logger() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// writeJSON answers v as indented JSON.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.Encode(v)
}

type healthView struct {
	Deployment   string  `json:"deployment"`
	Status       string  `json:"status"`
	Breaker      string  `json:"breaker"`
	Reason       string  `json:"reason,omitempty"`
	Since        string  `json:"since,omitempty"`
	Demoted      bool    `json:"demoted"`
	Requests     int     `json:"window_requests"`
	Failures     int     `json:"window_failures"`
	RateLimited  int     `json:"window_rate_limited"`
	ErrorRate    float64 `json:"window_error_rate"`
	TTFTp50ms    float64 `json:"ttft_p50_ms"`
	TTFTp90ms    float64 `json:"ttft_p90_ms"`
	TTFTp99ms    float64 `json:"ttft_p99_ms"`
	LatencyP50ms float64 `json:"latency_p50_ms"`
	LatencyP99ms float64 `json:"latency_p99_ms"`
	BaselineMs   float64 `json:"baseline_ttft_ms"`
	RecentSpikes int     `json:"recent_spikes"`
	// RateLimitedUntil ends the deployment's rate limit window (RFC 3339).
	RateLimitedUntil string `json:"rate_limited_until,omitempty"`
	// FlexUnavailableUntil ends the deployment's flex window (RFC 3339),
	// and FlexReason says what opened it: flex requests alone skip the
	// deployment until then.
	FlexUnavailableUntil string `json:"flex_unavailable_until,omitempty"`
	FlexReason           string `json:"flex_reason,omitempty"`
	// FastUnavailableUntil ends the deployment's fast window (RFC 3339):
	// requests for Claude's fast mode are sent to it at standard speed
	// until then, after a 429 of fast mode's own rate limit.
	FastUnavailableUntil string `json:"fast_unavailable_until,omitempty"`
	// Price is the deployment's price, and whether it is known.
	Price *priceView `json:"price,omitempty"`
	// QualityDemotions are the categories quality monitoring demoted the
	// deployment for ("*" for every one), with the evidence.
	QualityDemotions []drift.Demotion `json:"quality_demotions,omitempty"`
}

func (h *Handler) health(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, struct {
		Deployments []healthView `json:"deployments"`
	}{Deployments: h.healthViews()})
}

// flexReason is why a deployment is in a flex window.
const flexReason = "429 resource_unavailable (no flex capacity) with Retry-After: flex requests skip it while another candidate can answer"

// healthViews describes every deployment's health.
func (h *Handler) healthViews() []healthView {
	snap := h.Health.Snapshot()
	out := make([]healthView, 0, len(snap))
	for _, d := range snap {
		v := healthView{
			Deployment: d.Deployment, Breaker: string(d.Breaker), Demoted: d.Demoted,
			Requests: d.Requests, Failures: d.Failures, RateLimited: d.RateLimited, ErrorRate: d.ErrorRate,
			TTFTp50ms: ms(d.TTFTp50), TTFTp90ms: ms(d.TTFTp90), TTFTp99ms: ms(d.TTFTp99),
			LatencyP50ms: ms(d.LatencyP50), LatencyP99ms: ms(d.LatencyP99), BaselineMs: ms(d.BaselineTTFT),
			RecentSpikes: d.RecentSpikes, Status: "healthy", Price: h.price(d.Deployment),
		}
		switch {
		case d.Breaker != health.Closed:
			v.Status, v.Reason = "unavailable", d.BreakerReason
			v.Since = d.BreakerSince.UTC().Format(time.RFC3339)
		case d.Demoted:
			v.Status, v.Reason = "demoted", d.DemoteReason
			v.Since = d.DemotedSince.UTC().Format(time.RFC3339)
		case !d.RateLimitedUntil.IsZero():
			v.Status, v.Reason = "rate_limited", "429 with Retry-After: skipped while another candidate can answer"
		}
		if v.QualityDemotions = h.Drift.Of(d.Deployment); len(v.QualityDemotions) > 0 && v.Status == "healthy" {
			v.Status, v.Reason = "quality_demoted", v.QualityDemotions[0].Reason
			v.Since = v.QualityDemotions[0].Since.UTC().Format(time.RFC3339)
		}
		if !d.RateLimitedUntil.IsZero() {
			v.RateLimitedUntil = d.RateLimitedUntil.UTC().Format(time.RFC3339Nano)
		}
		if !d.FlexUnavailableUntil.IsZero() {
			v.FlexUnavailableUntil = d.FlexUnavailableUntil.UTC().Format(time.RFC3339Nano)
			v.FlexReason = flexReason
		}
		if !d.FastUnavailableUntil.IsZero() {
			v.FastUnavailableUntil = d.FastUnavailableUntil.UTC().Format(time.RFC3339Nano)
		}
		out = append(out, v)
	}
	return out
}

// storeBounds registers each handler with its request's context bounded
// by t.Request (store.BoundedMux; the aggregates over a range:
// t.Aggregate), but a configuration's change (PUT /admin/config, its
// rollback): applying one may take longer (a semantic category embeds
// its examples), so the configuration manager bounds each of its store
// calls instead (reload.Options.StoreTimeout).
type storeBounds struct {
	Mux
	t store.Timeouts
}

func (m storeBounds) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	switch pattern {
	case "PUT /admin/config", "POST /admin/config/rollback":
		m.Mux.HandleFunc(pattern, h)
	case "GET /admin/report", "GET /admin/stats", "GET /admin/scores":
		store.BoundedMux{Mux: m.Mux, Timeout: m.t.AggregateOr()}.HandleFunc(pattern, h)
	default:
		store.BoundedMux{Mux: m.Mux, Timeout: m.t.RequestOr()}.HandleFunc(pattern, h)
	}
}
