package server

import (
	"context"

	"switchyard/api/openai/batch"
	"switchyard/budget"
	"switchyard/config"
	"switchyard/cost"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/store"
)

// This file holds the estimates of forwarded lines against their hard
// budgets (batch.Forwarder's Hold and Release; docs/budgets.md#batch-lines):
// each a durable hold named by the batch and the line, kept by the
// gateway at the batch price.

// hold is the hold of line l of owner's batch: its name, its lapse, the
// batch price.
func (f *forwarder) hold(g *generation, owner batch.Owner, l *batch.Line) *gateway.BatchHold {
	return &gateway.BatchHold{
		Durable: budget.Durable{ID: batch.HoldID(owner.Batch, l.Index), Until: owner.HoldUntil},
		Price:   f.batchPrice(g),
	}
}

// batchPrice returns a deployment of g at its batch price
// (cost.BatchPriced).
func (f *forwarder) batchPrice(g *generation) func(llm.Deployment) llm.Deployment {
	return func(d llm.Deployment) llm.Deployment {
		cd := g.cfg.Deployments[d.Name]
		var p *config.Provider
		if cd != nil {
			p = g.cfg.Providers[cd.Provider]
		}
		return cost.BatchPriced(p, cd, d, f.discount)
	}
}

// Hold implements batch.Forwarder: each line routed again for its
// estimate on fw's deployment, held past the limits (it is at the
// provider already); a line held already holds nothing more.
func (f *forwarder) Hold(ctx context.Context, owner batch.Owner, endpoint string, fw store.BatchForward, lines []batch.Line) {
	g := f.gens.acquire()
	defer g.release()
	if g.gw.Budgets() == nil {
		return
	}
	for i := range lines {
		l := &lines[i]
		req, ok := decodeLine(endpoint, l.Body)
		if !ok {
			continue
		}
		lctx, _, err := f.context(ctx, owner)
		if err != nil {
			return // the key is gone: its lines' answers cannot be charged to it either
		}
		hold := f.hold(g, owner, l)
		hold.Deployment, hold.Force = fw.Deployment, true
		if req.embed != nil {
			_, err = g.gw.PlanBatchEmbedding(lctx, req.embed, hold)
		} else {
			_, _, err = g.gw.PlanBatchLine(lctx, req.chat, hold)
		}
		if err != nil {
			f.log.Warn("batches: a forwarded line could not be held against its budgets again", "batch", owner.Batch, "line", l.Number, "err", err)
		}
	}
}

// Release implements batch.Forwarder.
func (f *forwarder) Release(ctx context.Context, owner batch.Owner, endpoint string, lines []batch.Line) {
	g := f.gens.acquire()
	defer g.release()
	if g.gw.Budgets() == nil {
		return
	}
	lctx, _, err := f.context(ctx, owner)
	if err != nil {
		return
	}
	for i := range lines {
		if req, ok := decodeLine(endpoint, lines[i].Body); ok {
			model := ""
			if req.embed != nil {
				model = req.embed.Model
			} else {
				model = req.chat.Model
			}
			g.gw.DropBatchLine(lctx, model, req.embed != nil, batch.HoldID(owner.Batch, lines[i].Index))
		}
	}
}
