package logreplay

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"switchyard/learn"
	"switchyard/learn/bandit"
	"switchyard/store"
)

// Source is what Load reads: the request log and the feedback on it.
// store.Store implements it.
type Source interface {
	List(ctx context.Context, scope store.Scope, f store.Filter) (store.Page, error)
	Outcomes(ctx context.Context, scope store.Scope, q store.OutcomeQuery, fn func(*store.Outcome) error) error
}

// Query selects the requests Load reads: the chat requests in Scope with
// Since <= Time < Until (zero: unbounded) on Route ("" for every route).
type Query struct {
	Since, Until time.Time
	Route        string
	Scope        store.Scope
	// Unrated says how a request without feedback counts.
	Unrated Unrated
}

// Log is what Load read: the decisions of each route, and the requests
// it could not use.
type Log struct {
	// Routes are sorted by name; each has at least one decision.
	Routes []RouteLog `json:"-"`
	// Requests counts the chat requests read.
	Requests int `json:"requests"`
	// Skipped counts the requests that are not decisions, by why.
	Skipped Skipped `json:"skipped"`
	// CostUnknown counts the decisions with a deployment of unknown price
	// among their attempts: their cost is a lower bound.
	CostUnknown int `json:"cost_unknown"`
}

// RouteLog is one route's decisions.
type RouteLog struct {
	Route     string
	Decisions []Decision
}

// Skipped counts the chat requests that are not decisions.
type Skipped struct {
	// NotAdaptive: the adaptive scorer did not choose the first
	// candidate: a route without it, a pinned deployment, a split's pick,
	// a request refused before routing.
	NotAdaptive int `json:"not_adaptive"`
	// NotRecorded: the row lacks the candidates' estimates (written
	// before they were recorded) or holds malformed ones.
	NotRecorded int `json:"not_recorded"`
	// BadPropensity: a recorded propensity outside (0, 1].
	BadPropensity int `json:"bad_propensity"`
}

// skipReason is why a row is not a decision (isDecision when it is).
type skipReason int

const (
	isDecision skipReason = iota
	notAdaptive
	notRecorded
	badPropensity
)

// Load reads the decisions q selects from src: the request rows (a page
// at a time), then the feedback on them. It returns src's errors.
func Load(ctx context.Context, src Source, q Query) (*Log, error) {
	l := &loader{log: &Log{}, byRoute: map[string]*RouteLog{}, index: map[string]decisionRef{}, unrated: q.Unrated}
	f := store.Filter{Since: q.Since, Until: q.Until, Route: q.Route, Limit: store.MaxLimit}
	for {
		page, err := src.List(ctx, q.Scope, f)
		if err != nil {
			return nil, fmt.Errorf("read the request log: %w", err)
		}
		for _, row := range page.Requests {
			l.add(row)
		}
		if page.Next == "" {
			break
		}
		f.Cursor = page.Next
	}
	err := src.Outcomes(ctx, q.Scope, store.OutcomeQuery{Since: q.Since, Until: q.Until}, func(o *store.Outcome) error {
		if at, ok := l.index[o.RequestID]; ok {
			addFeedback(&at.r.Decisions[at.i], o)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read the feedback: %w", err)
	}
	for _, rl := range l.byRoute {
		l.log.Routes = append(l.log.Routes, *rl)
	}
	slices.SortFunc(l.log.Routes, func(a, b RouteLog) int { return strings.Compare(a.Route, b.Route) })
	return l.log, nil
}

// loader gathers the decisions of the rows Load reads.
type loader struct {
	log     *Log
	byRoute map[string]*RouteLog
	index   map[string]decisionRef // by request id
	unrated Unrated
}

// decisionRef is where a request's decision is.
type decisionRef struct {
	r *RouteLog
	i int
}

// add counts a chat row and keeps its decision, if it is one.
func (l *loader) add(row *store.Request) {
	if row.Endpoint != "chat" {
		return
	}
	l.log.Requests++
	d, why := decisionOf(row, l.unrated)
	if !l.log.Skipped.count(why) {
		return
	}
	rl := l.byRoute[row.Route]
	if rl == nil {
		rl = &RouteLog{Route: row.Route}
		l.byRoute[row.Route] = rl
	}
	l.index[row.ID] = decisionRef{rl, len(rl.Decisions)}
	rl.Decisions = append(rl.Decisions, d)
	if row.CostUnknown {
		l.log.CostUnknown++
	}
}

// count counts a skipped row and reports whether the row is a decision.
func (s *Skipped) count(why skipReason) bool {
	switch why {
	case notAdaptive:
		s.NotAdaptive++
	case notRecorded:
		s.NotRecorded++
	case badPropensity:
		s.BadPropensity++
	}
	return why == isDecision
}

// addFeedback sets d's reward from the request's feedback (learn.Reward;
// without any, d keeps what Unrated gave it) and adds the costs of the
// retries, regenerations and corrections of its answer.
func addFeedback(d *Decision, o *store.Outcome) {
	if r, ok := learn.Reward(o); ok {
		d.Reward, d.Rated = r, true
	}
	d.CostUSD += o.RepromptUSD + o.CorrectionUSD
}

// decisionOf makes the decision of a chat row, or says why it is none.
func decisionOf(row *store.Request, u Unrated) (Decision, skipReason) {
	e := &row.Explanation
	if e.Adaptive == nil || len(e.Candidates) == 0 || !e.Candidates[0].Kept {
		return Decision{}, notAdaptive
	}
	group := make([]*store.Candidate, 0, 4)
	for i := range e.Candidates {
		if c := &e.Candidates[i]; c.Kept && c.Rank > 0 {
			group = append(group, c)
		}
	}
	if len(group) == 0 || len(group) > bandit.MaxArms || e.Candidates[0].Rank == 0 {
		return Decision{}, notRecorded
	}
	slices.SortFunc(group, func(a, b *store.Candidate) int { return a.Rank - b.Rank })
	d := Decision{
		Deployments: make([]string, len(group)), Arms: make([]bandit.Arm, len(group)),
		Chosen: e.Candidates[0].Rank - 1, Propensity: row.Propensity,
		Lambda: e.Adaptive.Lambda, Explore: e.Adaptive.Explore, CostUSD: row.CostUSD,
	}
	for i, c := range group {
		arm, ok := armOf(c.PGood, c.CI95, c.Cost, float64(c.Outcomes), !c.Static)
		if c.Rank != i+1 || !ok {
			return Decision{}, notRecorded
		}
		d.Deployments[i], d.Arms[i] = c.Deployment, arm
	}
	if !(d.Propensity > 0 && d.Propensity <= 1) {
		return Decision{}, badPropensity
	}
	if len(group) == 1 {
		// The scorer had no choice (a split's pick, a prefer list or the
		// only healthy candidate decided): what the row's propensity may
		// hold is the split's weight, common to every policy replayed.
		d.Propensity = 1
	}
	d.Reward, d.Rated = u.reward(row.Failed())
	return d, isDecision
}
