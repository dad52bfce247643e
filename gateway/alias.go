package gateway

import (
	"switchyard/llm"
	"switchyard/route"
)

// This file puts the route or deployment a client's model name stands
// for in place of the name, where a request enters the gateway, so that
// every check after it (the caller's grant, budgets, guards, the policy)
// sees the one name (route.Policy.Resolve).

// resolveModel replaces req.Model, when it is an alias, by the route or
// deployment it stands for, keeping the name asked for in req.Alias. A
// name that resolves to nothing is left for the policy to refuse.
func (g *Gateway) resolveModel(req *llm.Request) {
	if name, aliased, ok := g.policy.Resolve(req.Model); ok && aliased {
		req.Model, req.Alias = name, req.Model
	}
}

// resolvedName is resolveModel for a bare model name (embeddings,
// moderations, media, realtime).
func (g *Gateway) resolvedName(model string) string {
	if name, _, ok := g.policy.Resolve(model); ok {
		return name
	}
	return model
}

// ResolveModel returns the route or deployment model stands for: model
// itself when it names one, the one it is an alias of, or model unchanged
// when it names nothing (route.Policy.Resolve).
func (g *Gateway) ResolveModel(model string) string { return g.resolvedName(model) }

// resolvePin returns ov with its pinned deployment (x-switchyard-model)
// resolved as a model name is, when it names a deployment by an alias or
// a model id; ov itself, unchanged, otherwise (it may be shared).
func (g *Gateway) resolvePin(ov *route.Overrides) *route.Overrides {
	if ov == nil || ov.Model == "" || g.byName[ov.Model] != nil {
		return ov
	}
	if name, _, ok := g.policy.Resolve(ov.Model); ok && g.byName[name] != nil {
		o := *ov
		o.Model = name
		return &o
	}
	return ov
}
