package gateway

import (
	"context"

	"switchyard/budget"
	"switchyard/cost"
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
// soft budgets.
func (g *Gateway) beginBudgets(ctx context.Context, model string, ov *route.Overrides, h *budget.Hold) (*route.Overrides, error) {
	if g.budgets == nil {
		return ov, nil
	}
	var err error
	if *h, err = g.budgets.Begin(ctx, g.who(ctx, model)); err != nil {
		return nil, err
	}
	c := h.Ceiling()
	if c.IsZero() {
		return ov, nil
	}
	var o route.Overrides
	if ov != nil {
		o = *ov
	}
	o.MaxInputPricePerM, o.MaxOutputPricePerM, o.CeilingBy = c.MaxInputPricePerM, c.MaxOutputPricePerM, "budget "+c.By
	return &o, nil
}

// reserveBudgets reserves plan's estimate against the hard budgets.
func (g *Gateway) reserveBudgets(ctx context.Context, h *budget.Hold, plan *route.Plan) error {
	if g.budgets == nil {
		return nil
	}
	return h.Reserve(ctx, planEstimate(plan))
}

// planEstimate is what a request routed by plan is reserved at: the
// estimate of its most expensive candidate, over every tier, since
// failover may end on any of them. In tokens, the prompt plus the
// expected output (the caller's max_tokens, else the route's or the
// category's typical length), capped by each deployment's output limit.
func planEstimate(plan *route.Plan) budget.Amount {
	var a budget.Amount
	prompt := int64(plan.Explanation.Features.PromptTokens)
	out := int64(plan.Explanation.Limits.ExpectedOutputTokens)
	for i := range plan.Tiers {
		for _, c := range plan.Tiers[i].Candidates {
			a.USD = max(a.USD, c.EstCostUSD)
			o := out
			if m := int64(c.Deployment.MaxOutputTokens); m > 0 && m < o {
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

// embedBudgets starts an embeddings request's hold, keeps the candidates
// within the ceiling of the spent soft budgets, and reserves the
// estimate of the most expensive one left (the inputs' tokens at its
// price). With no candidate left it returns a 422 naming the budget.
func (g *Gateway) embedBudgets(ctx context.Context, req *llm.EmbeddingRequest, routeName string, cands []*Target, h *budget.Hold) ([]*Target, error) {
	if g.budgets == nil {
		return cands, nil
	}
	var err error
	w := g.who(ctx, "")
	w.Route = routeName
	if *h, err = g.budgets.Begin(ctx, w); err != nil {
		return nil, err
	}
	if c := h.Ceiling(); c.MaxInputPricePerM > 0 {
		kept := make([]*Target, 0, len(cands))
		for _, t := range cands {
			if t.Deployment.InputPricePerM <= c.MaxInputPricePerM {
				kept = append(kept, t)
			}
		}
		if len(kept) == 0 && len(cands) > 0 {
			e := llm.Errorf(llm.KindUnprocessable, "no deployment for %s is within the price ceiling of budget %s ($%g/1M input tokens): the budget is spent; it applies until the budget resets",
				req.Model, c.By, c.MaxInputPricePerM)
			e.Code = "no_candidate"
			return nil, e
		}
		cands = kept
	}
	var n int
	for _, s := range req.Input {
		n += cost.Tokens(s)
	}
	est := budget.Amount{Tokens: int64(n)}
	for _, t := range cands {
		est.USD = max(est.USD, float64(n)*t.Deployment.InputPricePerM/1e6)
	}
	return cands, h.Reserve(ctx, est)
}
