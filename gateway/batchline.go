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
// deployments, classification, semantic categories, health — and its
// plan. Nothing is called, recorded, charged or counted against a limit.
// Errors are a live request's refusals (an unknown model, a route the
// key may not use, no deployment able to serve it) and ErrGuarded.
func (g *Gateway) PlanBatchLine(ctx context.Context, req *llm.Request) (*Target, *route.Plan, error) {
	gr := CallerFrom(ctx).Grant
	var ov *route.Overrides
	if gr.Limited() {
		if err := g.checkModel(gr, req.Model); err != nil {
			return nil, nil, err
		}
		if gr.RestrictsDeployments() {
			ov = &route.Overrides{Excluder: gr}
		}
	}
	var (
		rec    record.Record
		served llm.Served
	)
	if err := g.screen(req, &rec, &served); err != nil || rec.Guard != nil && rec.Guard.Acted {
		return nil, nil, ErrGuarded
	}
	plan, err := g.decide(ctx, req, ov, nil)
	if err != nil {
		return nil, nil, err
	}
	return g.byName[plan.Tiers[0].Candidates[0].Deployment.Name], plan, nil
}

// RecordBatchLine records a chat request req of the caller in ctx that a
// provider batch on the deployment dep answered with resp, or failed
// with err: routed as PlanBatchLine routes it (its explanation), marked
// record.BatchProvider, priced at batchPrice(dep's deployment) (the
// batch price, cost.BatchPriced), charged to the caller's budgets. It
// returns what served the line (deployment, cost). A dep the gateway
// does not know is recorded with an unknown cost.
func (g *Gateway) RecordBatchLine(ctx context.Context, req *llm.Request, dep string, batchPrice func(llm.Deployment) llm.Deployment, resp *llm.Response, err error) llm.Served {
	rec := g.newRecord(ctx, "chat", false)
	g.keepRequest(rec, req)
	rec.Batch = record.BatchProvider
	served := llm.Served{Deployment: dep, Tier: 1, Attempts: 1}
	if _, plan, perr := g.PlanBatchLine(ctx, req); perr == nil {
		served.Route = plan.Route
		served.PromptTokens = plan.Explanation.Features.PromptTokens
		note(rec, plan)
	}
	rec.Trail = []record.Attempt{{Deployment: dep, Tier: 1, Outcome: string(dispatch.OutcomeOK), Start: rec.Start}}
	if err != nil {
		rec.Trail[0].Outcome, rec.Trail[0].ErrorKind = string(dispatch.OutcomeError), llm.AsError(err).Kind
	}
	t := g.byName[dep]
	if t == nil {
		served.CostUnknown = true
	} else {
		served.Provider, served.Model = t.Deployment.Provider, t.Deployment.Model
		if resp != nil {
			priced := batchPrice(t.Deployment)
			served.CostUSD = bill(rec, 0, &priced, cost.Usage(served.PromptTokens, resp), true)
			served.CostUnknown = priced.PriceUnknown
		}
	}
	if g.keepAnswers && resp != nil {
		rec.Answer = resp
	}
	var hold *budget.Hold
	if g.budgets != nil {
		if h, berr := g.budgets.Begin(context.WithoutCancel(ctx), g.who(ctx, req.Model)); berr == nil {
			hold = &h
		}
	}
	g.finish(rec, &served, nil, err, hold, nil)
	return served
}
