package gateway

import (
	"context"
	"fmt"

	"switchyard/budget"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// This file charges each request to its budgets (switchyard/budget): the
// soft ones are read before routing (a spent one caps the candidates'
// prices), the hard ones are reserved with the request's estimate before
// dispatch, and all are settled with what the request really cost when it
// is recorded (finish), or released when it never reached an upstream.
// Dry runs cost nothing and touch no budget.

// who is what budgets match a request for model by: the caller's tenant
// and key name, and the route when model names one.
func (g *Gateway) who(ctx context.Context, model string) budget.Who {
	c := CallerFrom(ctx)
	w := budget.Who{Tenant: c.Tenant, Key: c.Name}
	if g.policy.IsRoute(model) {
		w.Route = model
	}
	return w
}

// beginBudgets starts a chat request's hold and returns the overrides to
// route with: ov, or a copy of it with the price ceiling of the spent
// soft budgets and the budget that keeps the request off deployments of
// unknown cost.
func (g *Gateway) beginBudgets(ctx context.Context, model string, ov *route.Overrides, h *budget.Hold) (*route.Overrides, error) {
	if g.budgets == nil {
		return ov, nil
	}
	var err error
	if *h, err = g.budgets.Begin(ctx, g.who(ctx, model)); err != nil {
		return nil, err
	}
	c, noUnknown := h.Ceiling(), h.UnknownCostExcludedBy()
	if noUnknown != "" && !g.anyPriceUnknown() {
		noUnknown = "" // nothing to exclude: no copy of the overrides
	}
	if c.IsZero() && noUnknown == "" {
		return ov, nil
	}
	var o route.Overrides
	if ov != nil {
		o = *ov
	}
	if !c.IsZero() {
		o.MaxInputPricePerM, o.MaxOutputPricePerM, o.CeilingBy = c.MaxInputPricePerM, c.MaxOutputPricePerM, "budget "+c.By
	}
	if noUnknown != "" {
		o.UnknownCostBy = "budget " + noUnknown
	}
	return &o, nil
}

// anyPriceUnknown reports whether some deployment has no known price.
func (g *Gateway) anyPriceUnknown() bool {
	for _, t := range g.targets {
		if t.Deployment.PriceUnknown {
			return true
		}
	}
	return false
}

// reserveBudgets reserves plan's estimate against the hard budgets, each
// candidate's at the service tier the request is served on there
// (tierEstimate).
func (g *Gateway) reserveBudgets(ctx context.Context, h *budget.Hold, plan *route.Plan) error {
	if g.budgets == nil {
		return nil
	}
	return h.Reserve(ctx, planEstimate(plan, tierEstimate))
}

// tierEstimate is c's estimated cost on the tier the request is served
// on there (route.Candidate.TierCostUSD) where that costs more than the
// standard tier: at the priority price where c's deployment is sent a
// priority (or fast, or ultrafast) request, so that a hard budget is not
// reserved at half of what the request may cost; the standard estimate
// otherwise (a flex request is reserved at the standard price, more than
// it costs, as it may be served at the standard tier).
func tierEstimate(c *route.Candidate) float64 {
	return max(c.TierCostUSD, c.EstCostUSD)
}

// planEstimate is what a request routed by plan is reserved at: the
// estimate of its most expensive candidate, over every tier, since
// failover may end on any of them. In tokens, the prompt plus the
// expected output (the caller's max_tokens, else the route's or the
// category's typical length), capped by each deployment's output limit.
func planEstimate(plan *route.Plan, estimate func(*route.Candidate) float64) budget.Amount {
	var a budget.Amount
	prompt := int64(plan.Explanation.Features.PromptTokens)
	out := int64(plan.Explanation.Limits.ExpectedOutputTokens)
	for i := range plan.Tiers {
		for _, c := range plan.Tiers[i].Candidates {
			usd := c.EstCostUSD
			if estimate != nil {
				usd = estimate(&c)
			}
			a.USD = max(a.USD, usd)
			o := out
			if m := int64(c.Deployment.MaxOutputTokens); m > 0 && m < o {
				o = m
			}
			if m := int64(c.MaxTokens); m > 0 && m < o { // lowered to a learned limit
				o = m
			}
			a.Tokens = max(a.Tokens, prompt+o)
		}
	}
	return a
}

// settleBudgets ends rec's hold (nil: none): it charges what the record
// says the request cost, every billed attempt included, or releases the
// hold when no upstream was called; rec.Budgets names those charged.
func settleBudgets(h *budget.Hold, rec *record.Record) {
	if h == nil {
		return
	}
	var spent budget.Amount
	spent.USD = rec.CostUSD
	if len(rec.Billed) == 0 {
		spent.Tokens = tokens(rec.Usage)
	}
	for i := range rec.Billed {
		spent.Tokens += tokens(rec.Billed[i].Usage)
	}
	// The request's context may be gone (a client that left): settling
	// must happen all the same, bounded by the back end's own timeouts.
	rec.Budgets = h.Settle(context.Background(), len(rec.Trail) > 0, spent)
}

func tokens(u llm.Usage) int64 {
	if u.TotalTokens > 0 {
		return int64(u.TotalTokens)
	}
	return int64(u.PromptTokens + u.CompletionTokens)
}

// namedBudgets starts the hold of an embeddings or moderations request
// for model, keeps the candidates within the ceiling of the spent soft
// budgets, and reserves the estimate of the most expensive one left (the
// tokens of texts at its input price). With no candidate left it returns
// a 422 naming the budget. estimate, when not nil, gives a candidate's
// estimate instead (the media endpoints, priced per image, character or
// second).
func (g *Gateway) namedBudgets(ctx context.Context, model string, texts []string, estimate func(*Target) float64, routeName string, cands []*Target, h *budget.Hold) ([]*Target, error) {
	if g.budgets == nil {
		return cands, nil
	}
	var err error
	w := g.who(ctx, "")
	w.Route = routeName
	if *h, err = g.budgets.Begin(ctx, w); err != nil {
		return nil, err
	}
	if cands, err = keepBudgeted(model, cands, h); err != nil {
		return nil, err
	}
	n := textTokens(texts)
	est := budget.Amount{Tokens: int64(n)}
	for _, t := range cands {
		if estimate != nil {
			est.USD = max(est.USD, estimate(t))
			continue
		}
		est.USD = max(est.USD, float64(n)*t.Deployment.InputPricePerM/1e6)
	}
	return cands, h.Reserve(ctx, est)
}

// keepBudgeted keeps the embeddings or moderations candidates that h's
// budgets allow:
// within the ceiling of the spent soft budgets, and of known price under
// a USD budget that excludes unknown costs. With none left it returns a
// 422 saying why the first was dropped.
func keepBudgeted(model string, cands []*Target, h *budget.Hold) ([]*Target, error) {
	c, noUnknown := h.Ceiling(), h.UnknownCostExcludedBy()
	if c.MaxInputPricePerM == 0 && noUnknown == "" {
		return cands, nil
	}
	kept := make([]*Target, 0, len(cands))
	var why string
	for _, t := range cands {
		d := &t.Deployment
		var drop string
		switch {
		case d.PriceUnknown && noUnknown != "":
			drop = fmt.Sprintf("%s has no known price, and budget %s counts USD: its cost could not be charged (set its price, or the budget's unknown_cost: allow)", d.Name, noUnknown)
		case d.PriceUnknown && c.MaxInputPricePerM > 0:
			drop = fmt.Sprintf("%s has no known price, so it cannot be held to the budget %s price ceiling (the budget is spent)", d.Name, c.By)
		case c.MaxInputPricePerM > 0 && d.InputPricePerM > c.MaxInputPricePerM:
			drop = fmt.Sprintf("no deployment for %s is within the price ceiling of budget %s ($%g/1M input tokens): the budget is spent; it applies until the budget resets",
				model, c.By, c.MaxInputPricePerM)
		default:
			kept = append(kept, t)
		}
		if why == "" {
			why = drop
		}
	}
	if len(kept) == 0 && len(cands) > 0 {
		e := llm.Errorf(llm.KindUnprocessable, "%s", why)
		e.Code = "no_candidate"
		return nil, e
	}
	return kept, nil
}
