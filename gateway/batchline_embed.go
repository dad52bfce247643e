package gateway

import (
	"context"

	"switchyard/budget"
	"switchyard/llm"
	"switchyard/record"
)

// This file serves the embeddings lines of a batch that the router sends
// to a provider's batch API (docs/batches.md#forwarding), as
// batchline.go serves its chat lines: the deployment a live embeddings
// request would be sent to first, and the provider's answer recorded at
// the batch price.

// PlanBatchEmbedding returns the deployment a live embeddings request
// req of the caller in ctx would be sent to first now: the deployment it
// names or its route's first that can embed it, among those the caller
// may use and within the spent soft budgets' ceiling. Nothing is called,
// recorded or counted against a limit, except the hold, as PlanBatchLine
// keeps it: the request's tokens at the deployment's (batch) input price.
// Errors are a live request's refusals (an unknown model, a model the key
// may not use, no deployment able to embed it, a budget that cannot hold
// the line).
func (g *Gateway) PlanBatchEmbedding(ctx context.Context, req *llm.EmbeddingRequest, hold *BatchHold) (*Target, error) {
	req.Model = g.resolvedName(req.Model)
	if gr := CallerFrom(ctx).Grant; gr.Limited() {
		if err := g.checkModel(gr, req.Model); err != nil {
			return nil, err
		}
	}
	cands, routeName, err := g.namedCandidates(req.Model)
	if err != nil {
		return nil, err
	}
	cands = keepAllowed(ctx, cands)
	var bh budget.Hold
	if g.budgets != nil {
		w := g.who(ctx, "")
		w.Route = routeName
		if bh, err = g.budgets.Begin(ctx, w); err != nil {
			return nil, err
		}
		if cands, err = keepBudgeted(req.Model, cands, &bh); err != nil {
			return nil, err
		}
	}
	first := firstEmbedder(req, cands)
	if first == nil {
		return nil, llm.Errorf(llm.KindInvalidRequest, "model %s does not serve embeddings", llm.Clip(req.Model))
	}
	if t := g.holdTarget(hold, first); t != nil {
		n := textTokens(req.Input)
		d := hold.priced(t)
		if err := hold.keep(ctx, &bh, budget.Amount{USD: float64(n) * d.InputPricePerM / 1e6, Tokens: int64(n)}); err != nil {
			return nil, err
		}
	}
	return first, nil
}

// firstEmbedder is the first of cands that can embed req, nil when none
// can.
func firstEmbedder(req *llm.EmbeddingRequest, cands []*Target) *Target {
	tokens := tokenInput(req)
	for _, t := range cands {
		if embedderOf(t) != nil && (!tokens || embedsTokens(t.Kind)) {
			return t
		}
	}
	return nil
}

// RecordBatchEmbedding records an embeddings request req of the caller
// in ctx that a provider batch on the deployment dep answered with resp,
// or failed with err, as RecordBatchLine records a chat line: marked
// record.BatchProvider, priced at batchPrice(dep's deployment), charged
// to the caller's budgets through the line's durable hold (hold). It returns what served the line. A dep the
// gateway does not know is recorded with an unknown cost.
func (g *Gateway) RecordBatchEmbedding(ctx context.Context, req *llm.EmbeddingRequest, dep, hold string, batchPrice func(llm.Deployment) llm.Deployment, resp *llm.EmbeddingResponse, err error) llm.Served {
	req.Model = g.resolvedName(req.Model)
	rec := g.newRecord(ctx, "embeddings", false)
	rec.Batch = record.BatchProvider
	served := llm.Served{Deployment: dep, Tier: 1, Attempts: 1}
	if _, ok := g.routes[req.Model]; ok {
		served.Route = req.Model
	}
	var usage *llm.Usage
	if resp != nil {
		usage = &resp.Usage
	}
	g.settleBatchLine(ctx, rec, &served, g.batchWho(ctx, req.Model, true), hold, batchPrice, usage, err)
	return served
}
