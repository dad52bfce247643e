package server

import (
	"context"

	"switchyard/gateway"
	wire "switchyard/wire/openai"
)

// This file holds the model lists the router serves (GET /v1/models,
// and the Anthropic API's list).

// visibleModels is what GET /v1/models lists to the caller of ctx: the
// serving configuration's routes and deployments its key (and tenant) may
// ask for; every one when the key has no such lists.
func (r *Router) visibleModels(ctx context.Context) []wire.Model {
	g := r.gens.cur.Load()
	if !gateway.CallerFrom(ctx).Grant.Limited() {
		return g.models
	}
	out := make([]wire.Model, 0, len(g.models))
	for _, m := range g.models {
		if g.gw.MayAsk(ctx, m.ID) {
			out = append(out, m)
		}
	}
	return out
}

// visibleModelIDs is visibleModels' ids, for the Anthropic model list.
func (r *Router) visibleModelIDs(ctx context.Context) []string {
	models := r.visibleModels(ctx)
	ids := make([]string, len(models))
	for i, m := range models {
		ids[i] = m.ID
	}
	return ids
}

// modelList returns the function that lists gw's routes and deployments
// as GET /v1/models shows them.
func modelList(gw *gateway.Gateway) func() []wire.Model {
	var models []wire.Model
	for _, m := range gw.Models() {
		models = append(models, wire.Model{ID: m.ID, OwnedBy: m.OwnedBy, Created: 1735689600})
	}
	return func() []wire.Model { return models }
}

// resolveModel is the current configuration's gateway.ResolveModel.
func (r *Router) resolveModel(model string) string { return r.gens.cur.Load().gw.ResolveModel(model) }

// modelLimits returns deployment id's context window (as routing knows
// it: configured, else the price catalog's) and output limit, 0 where
// unknown; a route's, or an unknown name's, are 0.
func (r *Router) modelLimits(id string) (input, output int) {
	if t := r.gens.cur.Load().gw.Target(id); t != nil {
		return t.Deployment.ContextWindow, t.Deployment.MaxOutputTokens
	}
	return 0, 0
}
