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
// may use and its hard budgets can pay for (asked for the request's
// estimate, released at once, as PlanBatchLine does). Nothing is called,
// recorded or counted against a limit. Errors are a live request's
// refusals (an unknown model, a model the key may not use, no deployment
// able to embed it, a spent budget).
func (g *Gateway) PlanBatchEmbedding(ctx context.Context, req *llm.EmbeddingRequest) (*Target, error) {
	if gr := CallerFrom(ctx).Grant; gr.Limited() {
		if err := g.checkModel(gr, req.Model); err != nil {
			return nil, err
		}
	}
	cands, route, err := g.namedCandidates(req.Model)
	if err != nil {
		return nil, err
	}
	var hold budget.Hold
	cands, err = g.namedBudgets(ctx, req.Model, req.Input, nil, route, keepAllowed(ctx, cands), &hold)
	if g.budgets != nil {
		hold.Settle(ctx, false, budget.Amount{})
	}
	if err != nil {
		return nil, err
	}
	tokens := tokenInput(req)
	for _, t := range cands {
		if embedderOf(t) != nil && (!tokens || embedsTokens(t.Kind)) {
			return t, nil
		}
	}
	return nil, llm.Errorf(llm.KindInvalidRequest, "model %s does not serve embeddings", req.Model)
}

// RecordBatchEmbedding records an embeddings request req of the caller
// in ctx that a provider batch on the deployment dep answered with resp,
// or failed with err, as RecordBatchLine records a chat line: marked
// record.BatchProvider, priced at batchPrice(dep's deployment), charged
// to the caller's budgets. It returns what served the line. A dep the
// gateway does not know is recorded with an unknown cost.
func (g *Gateway) RecordBatchEmbedding(ctx context.Context, req *llm.EmbeddingRequest, dep string, batchPrice func(llm.Deployment) llm.Deployment, resp *llm.EmbeddingResponse, err error) llm.Served {
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
	g.settleBatchLine(ctx, rec, &served, req.Model, batchPrice, usage, err)
	return served
}
