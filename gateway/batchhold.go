package gateway

import (
	"context"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/llm"
	"switchyard/route"
)

// This file holds a forwarded batch line's estimate against its hard
// budgets from its submission to a provider's batch API until its result
// is settled (docs/budgets.md#batch-lines): a durable hold
// (budget.Durable) named by the batch and the line, which RecordBatchLine
// settles at the real cost and DropBatchLine releases.

// BatchHold says how a batch line routed by PlanBatchLine or
// PlanBatchEmbedding is held.
type BatchHold struct {
	// Durable names the hold and says how long it lasts; Force holds it
	// past the limits (a line already at the provider).
	budget.Durable
	// Takes reports whether t's deployment takes provider batches: only a
	// line going there is held (the others run on the router, whose live
	// path reserves for them). Nil holds none.
	Takes func(t *Target) bool
	// Deployment, when not empty, is the deployment the line was sent to
	// already (a router resuming its batch): the line is held at its
	// price, whatever its first choice is now, Takes unasked.
	Deployment string
	// Price returns a deployment at its batch price (cost.BatchPriced):
	// the estimate's price. Nil means the live price.
	Price func(llm.Deployment) llm.Deployment
}

// holdTarget is the deployment h holds a line routed to first to, nil when
// it holds none.
func (g *Gateway) holdTarget(h *BatchHold, first *Target) *Target {
	switch {
	case g.budgets == nil || h == nil:
		return nil
	case h.Deployment != "":
		return g.byName[h.Deployment]
	case first != nil && h.Takes != nil && h.Takes(first):
		return first
	}
	return nil
}

// priced is t's deployment at h's price.
func (h *BatchHold) priced(t *Target) llm.Deployment {
	if h.Price == nil {
		return t.Deployment
	}
	return h.Price(t.Deployment)
}

// chatEstimate is what a chat line routed by plan costs on t at h's
// price: its prompt and expected output (capped by t's output limit),
// and one web search's fee when it asks for web search (at the search's
// price, which a batch price leaves as it is), as a live request's
// estimate on that one deployment (route's candidate estimate).
func (h *BatchHold) chatEstimate(plan *route.Plan, t *Target) budget.Amount {
	f := plan.Explanation.Features
	prompt, out := f.PromptTokens, plan.Explanation.Limits.ExpectedOutputTokens
	if m := t.Deployment.MaxOutputTokens; m > 0 && m < out {
		out = m
	}
	u := llm.Usage{PromptTokens: prompt, CompletionTokens: out}
	if f.WebSearch && !t.Deployment.PriceUnknown { // as route's estimate: an unknown price holds no fee
		u.WebSearchRequests = 1
	}
	d := h.priced(t)
	return budget.Amount{USD: cost.Of(&d, u), Tokens: int64(prompt + out)}
}

// keep holds est against hold's budgets (begun), durably.
func (h *BatchHold) keep(ctx context.Context, hold *budget.Hold, est budget.Amount) error {
	return hold.Keep(ctx, est, h.Durable)
}

// DropBatchLine releases the hold id of a batch line of the caller in ctx
// asking for model (an embeddings line's when embed), charging nothing:
// the line runs on the router (whose live path reserves anew), or was
// cancelled or expired. It does nothing when no budget is configured.
func (g *Gateway) DropBatchLine(ctx context.Context, model string, embed bool, id string) {
	model = g.resolvedName(model)
	if g.budgets == nil {
		return
	}
	g.budgets.Drop(context.WithoutCancel(ctx), g.batchWho(ctx, model, embed), id)
}

// batchWho is what budgets match a batch line asking for model by: a
// chat request's, or an embeddings request's (its route the one it names).
func (g *Gateway) batchWho(ctx context.Context, model string, embed bool) budget.Who {
	if !embed {
		return g.who(ctx, model)
	}
	w := g.who(ctx, "")
	if _, route, err := g.namedCandidates(model); err == nil {
		w.Route = route
	}
	return w
}
