package gateway

import (
	"context"

	"switchyard/cost"
	"switchyard/record"
	"switchyard/route"
	"switchyard/tenant"
)

// This file holds each request to what its caller's key and tenant may do
// (switchyard/tenant): the routes and deployments allowed (403 before
// anything else), then the requests per minute and the requests at once
// (admission), then, once the plan is known, its estimated tokens
// against the tokens per minute; all of it is settled to what the
// request used when it is recorded (finish). A caller whose grant limits
// nothing costs one nil check.

// admit checks that the caller may ask for model (a route, or a
// deployment it pins, by name or with the override ov) and takes its
// share of the caller's limits. It returns the overrides to route with
// (ov, or a copy keeping the caller off the deployments it may not use)
// and the request's ticket (nil when no limit applies).
func (g *Gateway) admit(ctx context.Context, model string, ov *route.Overrides) (*route.Overrides, *tenant.Ticket, error) {
	gr := CallerFrom(ctx).Grant
	if !gr.Limited() {
		return ov, nil, nil
	}
	if err := g.checkModel(gr, model); err != nil {
		return nil, nil, err
	}
	if ov != nil && ov.Model != "" && g.byName[ov.Model] != nil {
		if err := gr.CheckDeployment(ov.Model); err != nil {
			return nil, nil, err
		}
	}
	if gr.RestrictsDeployments() {
		var o route.Overrides
		if ov != nil {
			o = *ov
		}
		o.Excluder = gr
		ov = &o
	}
	t, err := g.limiter.Admit(ctx, gr)
	return ov, t, err
}

// MayAsk reports whether the caller of ctx may ask for model: a route
// its key and tenant may use, or a deployment they may pin, or an alias
// of one (GET /v1/models lists only those).
func (g *Gateway) MayAsk(ctx context.Context, model string) bool {
	if name, _, ok := g.policy.Resolve(model); ok {
		model = name
	}
	return g.checkModel(CallerFrom(ctx).Grant, model) == nil
}

// checkModel checks that gr may ask for model: a route it may use, or a
// deployment it may pin. An unknown name is left to the policy to refuse.
func (g *Gateway) checkModel(gr *tenant.Grant, model string) error {
	switch {
	case g.policy.IsRoute(model):
		return gr.CheckRoute(model)
	case g.byName[model] != nil:
		return gr.CheckDeployment(model)
	}
	return nil
}

// admitNamed is admit for a request to an endpoint routed by its model
// alone (embeddings, moderations, media, realtime): its
// x-switchyard-timeout-ms (403 unless the caller may use the latency
// override), its model, its limits, and the tokens of its texts against
// the tokens per minute.
func (g *Gateway) admitNamed(ctx context.Context, model string, texts []string) (*tenant.Ticket, error) {
	caller := CallerFrom(ctx)
	if err := route.CheckTierTimeout(route.TierTimeoutFrom(ctx), caller.Allowed); err != nil {
		return nil, err
	}
	gr := caller.Grant
	if !gr.Limited() {
		return nil, nil
	}
	if err := g.checkModel(gr, model); err != nil {
		return nil, err
	}
	if ts, ok := g.routes[model]; ok && gr.RestrictsDeployments() {
		allowed := false
		for _, t := range ts {
			allowed = allowed || gr.AllowsDeployment(t.Deployment.Name)
		}
		if !allowed {
			return nil, gr.CheckDeployment(ts[0].Deployment.Name)
		}
	}
	t, err := g.limiter.Admit(ctx, gr)
	if err != nil {
		return nil, err
	}
	if err := t.ReserveTokens(ctx, int64(textTokens(texts))); err != nil {
		t.Done(0)
		return nil, err
	}
	return t, nil
}

// textTokens is the tokens of texts.
func textTokens(texts []string) int {
	n := 0
	for _, s := range texts {
		n += cost.Tokens(s)
	}
	return n
}

// keepAllowed drops the embeddings or moderations candidates the caller
// may not use.
func keepAllowed(ctx context.Context, cands []*Target) []*Target {
	gr := CallerFrom(ctx).Grant
	if !gr.RestrictsDeployments() {
		return cands
	}
	kept := make([]*Target, 0, len(cands))
	for _, t := range cands {
		if gr.AllowsDeployment(t.Deployment.Name) {
			kept = append(kept, t)
		}
	}
	return kept
}

// reserveTokens reserves plan's estimated tokens against the ticket's
// tokens per minute.
func reserveTokens(ctx context.Context, t *tenant.Ticket, plan *route.Plan) error {
	if t == nil {
		return nil
	}
	return t.ReserveTokens(ctx, planEstimate(plan, nil).Tokens)
}

// usedTokens is what rec's request used, every billed attempt included
// (0 when nothing was dispatched).
func usedTokens(rec *record.Record) int64 {
	if len(rec.Billed) == 0 {
		return tokens(rec.Usage)
	}
	var n int64
	for i := range rec.Billed {
		n += tokens(rec.Billed[i].Usage)
	}
	return n
}
