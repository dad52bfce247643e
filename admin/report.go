package admin

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchyard/learn"
	"switchyard/llm"
)

// This file serves GET /admin/report: the weekly report of volume, cost
// and satisfaction per route, category and deployment, with the
// recommendations the numbers support (docs/report.md).

// ReportRequest is a parsed GET /admin/report query.
type ReportRequest struct {
	Query learn.ReportQuery
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
}

func (q ReportRequest) tenant() *string { return q.Tenant }

var reportParams = []string{"since", "until", "tenant", "min_outcomes", "large_prompt_tokens", "reference"}

// ParseReportQuery parses the parameters of GET /admin/report: since,
// until and tenant as GET /admin/stats takes them; min_outcomes, the
// outcomes each deployment of a comparison needs (default 30); and
// large_prompt_tokens, the prompt size above which a prompt is large
// (default 2000); and reference, the savings' reference deployment for
// every route (DEP) or some (ROUTE=DEP), comma-separated.
func ParseReportQuery(v url.Values, now time.Time) (ReportRequest, error) {
	var q ReportRequest
	p := params{v: v, now: now}
	p.only(reportParams)
	q.Query.Since, q.Query.Until = p.time("since"), p.time("until")
	p.order(q.Query.Since, q.Query.Until)
	q.Tenant = p.optional("tenant")
	q.Query.MinOutcomes = p.positive("min_outcomes")
	q.Query.LargePrompt = p.positive("large_prompt_tokens")
	q.Query.References = p.references("reference")
	return q, p.err
}

// positive parses an optional whole number >= 1; zero when absent.
func (p *params) positive(name string) int64 {
	s := p.str(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 1 {
		p.fail(name, "%q is not a whole number >= 1", llm.Clip(s))
		return 0
	}
	return n
}

// ReportView is the answer of GET /admin/report.
type ReportView struct {
	// Since and Until are the time range read; null when unbounded.
	Since       *time.Time `json:"since"`
	Until       *time.Time `json:"until"`
	MinOutcomes int64      `json:"min_outcomes"`
	LargePrompt int64      `json:"large_prompt_tokens"`
	// Rows are ordered by route, category, then volume.
	Rows            []ReportRowView      `json:"rows"`
	Recommendations []RecommendationView `json:"recommendations"`
	// Notes say where a comparison had too few outcomes.
	Notes []string `json:"notes"`
	// Savings are what routing saved against each route's reference;
	// null when the report was built without the configuration.
	Savings *SavingsView `json:"savings"`
	// Batches are the batch lines of the range per deployment, largest
	// cost first (docs/report.md#batches): a breakdown, whose chat lines
	// (in_rows) are also requests of Rows; empty when there were none.
	Batches []BatchReportRow `json:"batches"`
}

// BatchReportRow is one deployment's batch lines (learn.BatchRow).
type BatchReportRow struct {
	Deployment       string  `json:"deployment"`
	Batches          int64   `json:"batches"`
	Lines            int64   `json:"lines"`
	Forwarded        int64   `json:"forwarded"`
	OnRouter         int64   `json:"on_router"`
	InRows           int64   `json:"in_rows"`
	CostUSD          float64 `json:"cost_usd"`
	ForwardedCostUSD float64 `json:"forwarded_cost_usd"`
	CostUnknown      bool    `json:"cost_unknown,omitempty"`
}

// ReportStats is the account of a deployment (or of its small or large
// prompts).
type ReportStats struct {
	Requests int64 `json:"requests"`
	Outcomes int64 `json:"outcomes"`
	// Refused counts the deployment's refusals passed over for another
	// candidate (routes.NAME.on_refusal: fallback): each an outcome at
	// the refusal signal's reward, its cost in CostUSD.
	Refused int64 `json:"refused"`
	// Satisfaction and its 95% Wilson interval; null without outcomes.
	Satisfaction         *float64    `json:"satisfaction"`
	SatisfactionInterval *[2]float64 `json:"satisfaction_interval"`
	CostUSD              float64     `json:"cost_usd"`
	CostPerRequest       float64     `json:"cost_per_request_usd"`
}

// ReportRowView is one deployment's row in a route's category.
type ReportRowView struct {
	Route      string `json:"route"`
	Category   string `json:"category"`
	Deployment string `json:"deployment"`
	// Share is the row's part of the category's requests.
	Share float64 `json:"share"`
	ReportStats
}

// RecommendationView is one recommendation (learn.Recommendation).
type RecommendationView struct {
	Route     string      `json:"route"`
	Category  string      `json:"category"`
	Incumbent ReportSide  `json:"incumbent"`
	Cheaper   ReportSide  `json:"cheaper"`
	Share     float64     `json:"share"`
	CostRatio float64     `json:"cost_ratio"`
	Large     *LargeSplit `json:"large_prompts,omitempty"`
	Text      string      `json:"text"`
	// Changes are the config edits that apply it.
	Changes []ChangeView `json:"changes"`
}

// ReportSide is a deployment of a comparison and its account.
type ReportSide struct {
	Deployment string `json:"deployment"`
	ReportStats
}

// LargeSplit is the comparison on large prompts, where the cheaper
// deployment is worse.
type LargeSplit struct {
	OverTokens int64       `json:"over_tokens"`
	Incumbent  ReportStats `json:"incumbent"`
	Cheaper    ReportStats `json:"cheaper"`
}

// ChangeView is a config edit: set path to value, or append value to the
// list at path.
type ChangeView struct {
	Path   []string `json:"path"`
	Value  any      `json:"value"`
	Append bool     `json:"append,omitempty"`
}

// ReportOf returns the view of a report.
func ReportOf(rep *learn.Report) ReportView {
	q := rep.Query
	out := ReportView{MinOutcomes: q.MinOutcomes, LargePrompt: q.LargePrompt, Rows: make([]ReportRowView, len(rep.Rows)),
		Recommendations: make([]RecommendationView, len(rep.Recommendations)), Notes: rep.Notes, Savings: savingsOf(rep.Savings),
		Since: timeOrNil(q.Since), Until: timeOrNil(q.Until)}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	out.Batches = make([]BatchReportRow, len(rep.Batches))
	for i, b := range rep.Batches {
		out.Batches[i] = BatchReportRow{Deployment: b.Deployment, Batches: b.Batches, Lines: b.Lines, Forwarded: b.Forwarded,
			OnRouter: b.OnRouter, InRows: b.InRows, CostUSD: b.CostUSD, ForwardedCostUSD: b.ForwardedCostUSD, CostUnknown: b.CostUnknown}
	}
	for i, r := range rep.Rows {
		out.Rows[i] = ReportRowView{Route: r.Route, Category: r.Category, Deployment: r.Deployment, Share: r.Share, ReportStats: statsOf(&r.Score)}
	}
	for i, r := range rep.Recommendations {
		v := RecommendationView{Route: r.Route, Category: r.Category, Share: r.Share, CostRatio: r.CostRatio, Text: r.Text,
			Incumbent: ReportSide{r.Incumbent, statsOf(&r.IncumbentScore)}, Cheaper: ReportSide{r.Cheaper, statsOf(&r.CheaperScore)}}
		if r.LargeWorse {
			v.Large = &LargeSplit{OverTokens: r.LargePrompt, Incumbent: statsOf(&r.LargeIncumbent), Cheaper: statsOf(&r.LargeCheaper)}
		}
		for _, c := range r.Changes {
			v.Changes = append(v.Changes, ChangeView{Path: c.Path, Value: c.Value, Append: c.Append})
		}
		out.Recommendations[i] = v
	}
	return out
}

func statsOf(s *learn.Score) ReportStats {
	out := ReportStats{Requests: s.Requests, Outcomes: s.Outcomes, Refused: s.Refused, CostUSD: llm.RoundUSD(s.CostUSD), CostPerRequest: llm.RoundUSD(s.CostPerRequest)}
	if s.Outcomes > 0 {
		sat := s.Satisfaction
		out.Satisfaction, out.SatisfactionInterval = &sat, &[2]float64{s.Low, s.High}
	}
	return out
}

func (h *Handler) report(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseReportQuery)
	if !ok {
		return
	}
	if h.Savings != nil {
		q.Query.Policy = h.Savings()
	}
	q.Query.RefusalWeight = h.RefusalWeight
	rep, err := learn.BuildReport(r.Context(), h.Store, scope, q.Query)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	writeJSON(w, ReportOf(rep))
}
