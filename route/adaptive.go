package route

import (
	"switchyard/config"
	"switchyard/learn/bandit"
)

// This file is the adaptive scorer: on a route with adaptive enabled it
// reorders the candidates that passed every check and that the static
// ranking ties at the top (not pinned, not moved by a prefer list, a
// split or health), by what the bandit learned. See docs/adaptive.md.

// ScorerAdaptive is Explanation.Scorer for a plan the adaptive scorer
// ordered.
const ScorerAdaptive = "adaptive"

// adaptiveConf is a route's compiled adaptive section.
type adaptiveConf struct {
	lambda, explore   float64
	minOutcomes       float64
	priorWeight, pool float64
	configMinOutcomes int
}

func compileAdaptive(a *config.Adaptive) *adaptiveConf {
	if !a.On() {
		return nil
	}
	return &adaptiveConf{
		lambda: a.Lambda, explore: a.Explore, minOutcomes: float64(a.MinOutcomes), configMinOutcomes: a.MinOutcomes,
		priorWeight: a.PriorWeight, pool: a.Pool,
	}
}

// Adaptive is what the adaptive scorer did for one plan; the zero value
// means it did not run.
type Adaptive struct {
	// Context is the bandit context the request was learned in.
	Context bandit.Context `json:"context"`
	// Lambda, Explore and MinOutcomes are the route's settings.
	Lambda      float64 `json:"lambda"`
	Explore     float64 `json:"explore"`
	MinOutcomes int     `json:"min_outcomes"`
	// Arms is how many candidates it chose among.
	Arms int `json:"arms"`
	// Greedy is the deployment the posterior means put first; Explored
	// reports a Thompson draw (taken with probability Explore), which may
	// have put another first.
	Greedy   string `json:"greedy"`
	Explored bool   `json:"explored,omitempty"`
}

// Learned is the adaptive scorer's estimate of one candidate; the zero
// value means none (the route is not adaptive, or the candidate was not
// among those it ordered).
type Learned struct {
	// Set reports an estimate.
	Set bool
	// P is the posterior mean of p(good); Half its 95% half-width.
	P, Half float64
	// Outcomes are the deployment's effective outcomes in the request's
	// category; ContextOutcomes and TenantOutcomes those in its full
	// context, and the tenant's own there.
	Outcomes, ContextOutcomes, TenantOutcomes float64
	// Cost is the normalized cost in [0, 1]; Value is P − λ·Cost.
	Cost, Value float64
	// Static reports a deployment with fewer than min_outcomes outcomes:
	// it keeps its place in the static order.
	Static bool
	// Rank is the candidate's 1-based place in the static order of the
	// candidates the scorer chose among (an offline replay re-decides
	// from it).
	Rank int
}

// adaptiveSalt separates the adaptive scorer's randomness from the
// split's, both derived from Input.Seed.
const adaptiveSalt = 0xad4b7e5a1c0ffee5

// adapt reorders the leading group of ranked candidates by the bandit
// and sets the plan's propensity.
func (d *decision) adapt(cands []ranked) {
	if d.r == nil || d.r.adaptive == nil || len(cands) < 2 || cands[0].c.Pinned {
		return
	}
	a := d.r.adaptive
	n := 1
	for n < len(cands) && n < bandit.MaxArms && sameClass(&cands[0], &cands[n]) {
		n++
	}
	f := &d.in.Features
	ctx := bandit.ContextOf(bandit.Features{
		Category: d.plan.Explanation.Category, PromptTokens: f.PromptTokens, Language: f.Language, Turn: f.Turn,
		Structured: f.HasTools || f.WantsJSON || f.Needs&(NeedTools|NeedJSONMode|NeedJSONSchema) != 0,
	})
	e := &d.plan.Explanation
	e.Scorer = ScorerAdaptive
	e.Adaptive = Adaptive{Context: ctx, Lambda: a.lambda, Explore: a.explore, MinOutcomes: a.configMinOutcomes, Arms: n}
	if n < 2 {
		var arm [1]bandit.Arm
		e.Adaptive.Greedy = cands[0].c.Deployment.Name
		d.estimate(cands[:1], ctx, arm[:])
		return
	}
	var arms [bandit.MaxArms]bandit.Arm
	var order [bandit.MaxArms]int
	d.estimate(cands[:n], ctx, arms[:n])
	bandit.Greedy(arms[:n], a.lambda, order[:n])
	dec := bandit.Decide(arms[:n], order[:n], a.lambda, a.explore, mix(d.in.Seed^adaptiveSalt))
	e.Adaptive.Greedy = cands[order[0]].c.Deployment.Name
	e.Adaptive.Explored = dec.Explored
	d.plan.Propensity = dec.Propensity
	var group [bandit.MaxArms]ranked
	copy(group[:n], cands[:n])
	cands[0] = group[dec.First]
	k := 1
	for _, i := range order[:n] {
		if i != dec.First {
			cands[k] = group[i]
			k++
		}
	}
}

// estimate sets each candidate's Learned and its arm: the pooled
// posterior, and the cost normalized by the costliest candidate with a
// known price (an unknown price counts as the dearest, 1).
func (d *decision) estimate(cands []ranked, ctx bandit.Context, arms []bandit.Arm) {
	a := d.r.adaptive
	dearest := 0.0
	for i := range cands {
		if !cands[i].c.CostUnknown {
			dearest = max(dearest, cands[i].c.EstCostUSD)
		}
	}
	for i := range cands {
		c := &cands[i].c
		est := d.in.Learned.Estimate(d.r.name, c.Deployment.Name, d.in.Tenant, ctx,
			bandit.Prior{Quality: c.quality(), Weight: a.priorWeight, Pool: a.pool})
		cost := 1.0
		if !c.CostUnknown {
			cost = 0
			if dearest > 0 {
				cost = c.EstCostUSD / dearest
			}
		}
		arms[i] = bandit.Arm{Alpha: est.Alpha, Beta: est.Beta, Cost: cost, Learned: est.Outcomes >= a.minOutcomes-outcomeSlack, Outcomes: est.Outcomes}
		c.Learned = Learned{
			Set: true, P: est.Mean(), Half: est.Half95(), Outcomes: est.Outcomes, ContextOutcomes: est.ContextOutcomes,
			TenantOutcomes: est.TenantOutcomes, Cost: cost, Value: arms[i].Value(a.lambda), Static: !arms[i].Learned,
			Rank: i + 1,
		}
	}
}

// sameClass reports whether the static ranking ties a and b on
// everything but the strategy: pin, health, prefer lists and split.
func sameClass(a, b *ranked) bool {
	return a.c.Pinned == b.c.Pinned && (a.c.DroppedHosted == 0) == (b.c.DroppedHosted == 0) && a.c.ranksLast() == b.c.ranksLast() && a.rulePref == b.rulePref &&
		a.c.Split == b.c.Split && a.catPref == b.catPref
}

// outcomeSlack is how far below min_outcomes an arm's decayed count may be
// and still count as learned: five ratings a moment apart decay to
// 4.9999 outcomes, which are five.
const outcomeSlack = 1e-3
