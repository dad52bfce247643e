package admin

import (
	"math"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"switchyard/learn"
	"switchyard/llm"
	"switchyard/store"
)

// This file serves the feedback: GET /admin/scores (the cost-quality
// score of each route, category and/or deployment) and GET
// /admin/feedback (the ratings and signals, with their evidence).

// ScoresRequest is a parsed GET /admin/scores query.
type ScoresRequest struct {
	Query learn.ScoreQuery
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
	// LambdaSet reports that the query gave lambda.
	LambdaSet bool
}

func (q ScoresRequest) tenant() *string { return q.Tenant }

var scoresParams = []string{"since", "until", "tenant", "by", "lambda"}

// ParseScoresQuery parses the parameters of GET /admin/scores: since,
// until, tenant and by as GET /admin/stats takes them, and lambda, the
// weight of cost (a number >= 0).
func ParseScoresQuery(v url.Values, now time.Time) (ScoresRequest, error) {
	var q ScoresRequest
	p := params{v: v, now: now}
	p.only(scoresParams)
	q.Query.Since, q.Query.Until = p.time("since"), p.time("until")
	p.order(q.Query.Since, q.Query.Until)
	q.Tenant = p.optional("tenant")
	q.Query.By = p.dimensions("by")
	if s := p.str("lambda"); s != "" {
		l, err := strconv.ParseFloat(s, 64)
		if err != nil || !(l >= 0) || math.IsInf(l, 0) {
			p.fail("lambda", "%q is not a number >= 0 (quality points per US dollar per request)", llm.Clip(s))
		}
		q.Query.Lambda, q.LambdaSet = l, true
	}
	return q, p.err
}

// ScoresList is the answer of GET /admin/scores.
type ScoresList struct {
	// Since and Until are the time range read; null when unbounded.
	Since *time.Time `json:"since"`
	Until *time.Time `json:"until"`
	By    []string   `json:"by"`
	// Lambda is the weight of cost in each score.
	Lambda float64 `json:"lambda"`
	// Data are the groups, ordered by their values.
	Data []ScoreGroup `json:"data"`
}

// ScoreGroup is the cost-quality account of one group (learn.Score).
type ScoreGroup struct {
	Group    map[string]string `json:"group"`
	Requests int64             `json:"requests"`
	Outcomes int64             `json:"outcomes"`
	Explicit int64             `json:"explicit"`
	// Refused counts the group's refusals passed over for another
	// candidate (learn.Score.Refused).
	Refused int64 `json:"refused"`
	// Signals counts the requests with each implicit signal.
	Signals map[string]int64 `json:"signals"`
	// Satisfaction is the mean reward of the outcomes and
	// SatisfactionInterval its 95% Wilson interval; null without outcomes.
	Satisfaction         *float64    `json:"satisfaction"`
	SatisfactionInterval *[2]float64 `json:"satisfaction_interval"`
	CostUSD              float64     `json:"cost_usd"`
	RepromptUSD          float64     `json:"reprompt_cost_usd"`
	CorrectionUSD        float64     `json:"correction_cost_usd"`
	CostPerRequest       float64     `json:"cost_per_request_usd"`
	// Score is satisfaction − λ × cost per request, ScoreInterval its
	// interval; null without outcomes.
	Score         *float64    `json:"score"`
	ScoreInterval *[2]float64 `json:"score_interval"`
}

// ScoresOf returns the view of the scores of q.
func ScoresOf(q learn.ScoreQuery, scores []learn.Score) ScoresList {
	out := ScoresList{By: dimensionNames(q.By), Since: timeOrNil(q.Since), Until: timeOrNil(q.Until), Lambda: q.Lambda, Data: make([]ScoreGroup, len(scores))}
	for i, s := range scores {
		g := ScoreGroup{
			Group: groupOf(s.Group), Requests: s.Requests, Outcomes: s.Outcomes, Explicit: s.Explicit, Refused: s.Refused,
			Signals: make(map[string]int64, len(s.Signals)), CostUSD: s.CostUSD, RepromptUSD: s.RepromptUSD,
			CorrectionUSD: s.CorrectionUSD, CostPerRequest: s.CostPerRequest,
		}
		for k, n := range s.Signals {
			g.Signals[string(k)] = n
		}
		if s.Outcomes > 0 {
			sat, val := s.Satisfaction, s.Value
			g.Satisfaction, g.SatisfactionInterval = &sat, &[2]float64{s.Low, s.High}
			g.Score, g.ScoreInterval = &val, &[2]float64{s.ValueLow, s.ValueHigh}
		}
		out.Data[i] = g
	}
	return out
}

func (h *Handler) scores(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseScoresQuery)
	if !ok {
		return
	}
	if !q.LambdaSet {
		q.Query.Lambda = h.lambda()
	}
	q.Query.RefusalWeight = h.RefusalWeight
	scores, err := learn.Scores(r.Context(), h.Store, scope, q.Query)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	writeJSON(w, ScoresOf(q.Query, scores))
}

func (h *Handler) lambda() float64 {
	if h.Lambda != nil {
		return *h.Lambda
	}
	return learn.DefaultLambda
}

// FeedbackRequest is a parsed GET /admin/feedback query.
type FeedbackRequest struct {
	Filter store.FeedbackFilter
	// Tenant is the tenant asked for; nil when not given.
	Tenant *string
}

func (q FeedbackRequest) tenant() *string { return q.Tenant }

var feedbackParams = []string{"since", "until", "tenant", "request_id", "kind", "limit", "cursor"}

// ParseFeedbackQuery parses the parameters of GET /admin/feedback:
// since, until, tenant, limit and cursor as GET /admin/requests takes
// them; request_id; kind, one of the feedback kinds.
func ParseFeedbackQuery(v url.Values, now time.Time) (FeedbackRequest, error) {
	var q FeedbackRequest
	p := params{v: v, now: now}
	p.only(feedbackParams)
	f := &q.Filter
	f.Since, f.Until = p.time("since"), p.time("until")
	p.order(f.Since, f.Until)
	q.Tenant = p.optional("tenant")
	f.RequestID = p.str("request_id")
	if k := store.FeedbackKind(p.str("kind")); k != "" {
		if !k.Known() {
			p.fail("kind", "%q is not a feedback kind (explicit, retry, regenerate, abandoned, continued, format_failed, refusal)", llm.Clip(string(k)))
		}
		f.Kind = k
	}
	f.Limit = p.limit("limit")
	f.Cursor = p.cursor("cursor")
	return q, p.err
}

// FeedbackList is the answer of GET /admin/feedback.
type FeedbackList struct {
	// Data are the feedback rows, newest first.
	Data []*store.Feedback `json:"data"`
	// Next is the cursor of the next page; empty on the last one.
	Next string `json:"next"`
}

func (h *Handler) listFeedback(w http.ResponseWriter, r *http.Request) {
	q, scope, ok := parseScoped(h, w, r, ParseFeedbackQuery)
	if !ok {
		return
	}
	page, err := h.Store.ListFeedback(r.Context(), scope, q.Filter)
	if err != nil {
		h.storeError(w, r, err)
		return
	}
	out := FeedbackList{Data: page.Feedback, Next: page.Next}
	if out.Data == nil {
		out.Data = []*store.Feedback{}
	}
	writeJSON(w, out)
}
