package gateway

import (
	"context"
	"errors"

	"switchyard/budget"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// This file serves the lines of a batch that the router sends to a
// provider's own batch API (docs/batches.md#forwarding): each line
// routed as a live request of the batch's key would be (no model
// called), and, once the provider answered, recorded, priced at the batch
// price and charged to the budgets as a live request that reached that
// deployment.

// ErrGuarded is PlanBatchLine's error for a request the prompt-injection
// guard acts on: it must run as a live request, where the guard blocks or
// reroutes it.
var ErrGuarded = errors.New("gateway: the prompt-injection guard acts on this request")

// PlanBatchLine returns the deployment a live chat request req of the
// caller in ctx would be sent to first now — the caller's routes and
// deployments, the soft budgets' price ceiling, classification, semantic
// categories, health — and its plan. Nothing is called, recorded or
// counted against a limit, except the hold: a line going to a deployment
// hold takes (BatchHold.Takes, or hold.Deployment) has its estimate there
// kept against its hard budgets under hold's name until RecordBatchLine
// settles it or DropBatchLine releases it. Errors are a live request's
// refusals (an unknown model, a route the key may not use, no deployment
// able to serve it, a budget that cannot hold the line: the 429) and
// ErrGuarded.
func (g *Gateway) PlanBatchLine(ctx context.Context, req *llm.Request, hold *BatchHold) (*Target, *route.Plan, error) {
	g.resolveModel(req)
	ov, err := g.batchOverrides(ctx, req.Model)
	if err != nil {
		return nil, nil, err
	}
	var bh budget.Hold
	if ov, err = g.beginBudgets(ctx, req.Model, ov, &bh); err != nil {
		return nil, nil, err
	}
	plan, err := g.planBatchLine(ctx, req, ov)
	if err != nil {
		return nil, nil, err
	}
	first := g.byName[plan.Tiers[0].Candidates[0].Deployment.Name]
	if t := g.holdTarget(hold, first); t != nil {
		if err := hold.keep(ctx, &bh, hold.chatEstimate(plan, t)); err != nil {
			return nil, nil, err
		}
	}
	return first, plan, nil
}

// batchOverrides are the overrides a batch line of the caller in ctx is
// routed with: none, or those keeping it off the deployments its key
// may not use; an error when it may not ask for model.
func (g *Gateway) batchOverrides(ctx context.Context, model string) (*route.Overrides, error) {
	gr := CallerFrom(ctx).Grant
	if !gr.Limited() {
		return nil, nil
	}
	if err := g.checkModel(gr, model); err != nil {
		return nil, err
	}
	if gr.RestrictsDeployments() {
		return &route.Overrides{Excluder: gr}, nil
	}
	return nil, nil
}

// planBatchLine is the plan of req with ov, ErrGuarded when the
// prompt-injection guard acts on it.
func (g *Gateway) planBatchLine(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error) {
	var (
		rec    record.Record
		served llm.Served
	)
	if err := g.screen(req, &rec, &served); err != nil || rec.Guard != nil && rec.Guard.Acted {
		return nil, ErrGuarded
	}
	return g.decide(ctx, req, ov, nil)
}

// RecordBatchLine records a chat request req of the caller in ctx that a
// provider batch on the deployment dep answered with resp, or failed
// with err (resp then nil, or holding only the usage the failed answer
// reports, billed as a live failed attempt's is), resp given first what
// a live answer gets before its client sees it (the JSON fence stripped, the output guard's sanitizing): routed as PlanBatchLine routes it (its explanation; the
// budgets' ceiling aside), marked
// record.BatchProvider, priced at batchPrice(dep's deployment) (the
// batch price, cost.BatchPriced), charged to the caller's budgets through
// the line's durable hold (hold, its BatchHold's ID: charged once). It
// returns what served the line (deployment, cost). A dep the gateway
// does not know is recorded with an unknown cost.
func (g *Gateway) RecordBatchLine(ctx context.Context, req *llm.Request, dep, hold string, batchPrice func(llm.Deployment) llm.Deployment, resp *llm.Response, err error) llm.Served {
	g.resolveModel(req)
	rec := g.newRecord(ctx, "chat", false)
	g.keepRequest(rec, req)
	rec.Batch = record.BatchProvider
	served := llm.Served{Deployment: dep, Tier: 1, Attempts: 1}
	ov, _ := g.batchOverrides(ctx, req.Model)
	if plan, perr := g.planBatchLine(ctx, req, ov); perr == nil {
		served.Route = plan.Route
		served.PromptTokens = plan.Explanation.Features.PromptTokens
		note(rec, plan)
	}
	var usage *llm.Usage
	switch {
	case resp != nil && err != nil:
		if resp.Usage != nil {
			u := *resp.Usage
			usage = &u
		}
	case resp != nil:
		g.finishAnswer(req, resp, rec)
		u := cost.Usage(served.PromptTokens, resp)
		usage = &u
		if g.keepAnswers {
			rec.Answer = resp
		}
	}
	g.settleBatchLine(ctx, rec, &served, g.batchWho(ctx, req.Model, false), hold, batchPrice, usage, err)
	return served
}

// settleBatchLine ends the record of a forwarded line answered with usage
// (nil: no answer) or failed with err: its one attempt on
// served.Deployment, priced at batchPrice of that deployment (an unknown
// cost for a deployment the gateway does not know), charged to the
// budgets of who through the durable hold named hold.
func (g *Gateway) settleBatchLine(ctx context.Context, rec *record.Record, served *llm.Served, who budget.Who, hold string, batchPrice func(llm.Deployment) llm.Deployment, usage *llm.Usage, err error) {
	dep := served.Deployment
	rec.Trail = []record.Attempt{{Deployment: dep, Tier: 1, Outcome: string(dispatch.OutcomeOK), Start: rec.Start}}
	if err != nil {
		rec.Trail[0].Outcome, rec.Trail[0].ErrorKind = string(dispatch.OutcomeError), llm.AsError(err).Kind
	}
	t := g.byName[dep]
	if t == nil {
		served.CostUnknown = true
	} else {
		served.Provider, served.Model = t.Deployment.Provider, t.Deployment.Model
		if usage != nil {
			priced := batchPrice(t.Deployment)
			served.CostUSD = bill(rec, 0, &priced, *usage, err == nil)
			served.CostUnknown = priced.CostUnknown(*usage)
		}
	}
	g.finish(rec, served, nil, err, g.batchLineHold(ctx, who, hold), nil)
}

// batchLineHold is the budget hold a forwarded line's cost is charged
// through: the durable hold id kept for it (PlanBatchLine), resumed on
// each budget that applies, charged once however often the line is
// settled (a router resuming its batch after a crash mid-settlement). Nil
// when no budget is configured or the back end failed.
func (g *Gateway) batchLineHold(ctx context.Context, who budget.Who, id string) *budget.Hold {
	if g.budgets == nil {
		return nil
	}
	h, err := g.budgets.Resume(context.WithoutCancel(ctx), who, id)
	if err != nil {
		return nil
	}
	return &h
}
