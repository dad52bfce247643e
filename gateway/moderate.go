package gateway

import (
	"context"
	"strings"

	"switchyard/budget"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
)

// Moderate answers a moderations request as Embed answers embeddings:
// the caller's limits and budgets, then the candidates that can moderate
// (a deployment named directly, or a configured route's deployments in
// their listed order), failing over on retryable errors. A candidate can
// moderate when its provider is a provider.Moderator that Moderates and
// its capabilities, if it lists any, include moderation; multimodal input
// goes only to candidates that take images (takesImages). Moderations
// are not classified. The answer's Usage is the texts' tokens (the API
// reports none), priced at the deployment's input price (OpenAI's
// moderation models are free).
func (g *Gateway) Moderate(ctx context.Context, req *llm.ModerationRequest, served *llm.Served) (*llm.ModerationResponse, error) {
	rec := g.newRecord(ctx, "moderations", false)
	c := cutOnShutdown(ctx)
	var hold budget.Hold
	texts := req.AllTexts()
	ticket, err := g.admitNamed(c.ctx, req.Model, texts)
	var resp *llm.ModerationResponse
	if err == nil {
		resp, err = g.moderate(c.ctx, req, texts, served, rec, &hold)
	}
	err = c.err(err)
	c.cancel()
	if resp != nil {
		rec.Usage = resp.Usage
	}
	g.finish(rec, served, nil, err, &hold, ticket)
	return resp, err
}

// moderate tries the candidates in order, noting each call in rec.Trail.
func (g *Gateway) moderate(ctx context.Context, req *llm.ModerationRequest, texts []string, served *llm.Served, rec *record.Record, hold *budget.Hold) (*llm.ModerationResponse, error) {
	cands, route, err := g.namedCandidates(req.Model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	cands = keepAllowed(ctx, cands)
	if cands, err = g.namedBudgets(ctx, req.Model, texts, route, cands, hold); err != nil {
		return nil, err
	}
	var last error = notModeration(req.Model)
	n := textTokens(texts)
	usage := llm.Usage{PromptTokens: n, TotalTokens: n, Estimated: true}
	attempt := 0
	for _, t := range cands {
		m := moderatorOf(t)
		if m == nil {
			continue
		}
		if req.Parts != nil && !takesImages(&t.Deployment) {
			if attempt == 0 {
				last = multimodalError(t)
			}
			continue
		}
		attempt++
		up := *req
		up.Model = t.Deployment.Model
		served.Deployment, served.Provider, served.Model, served.Attempts = t.Deployment.Name, t.Deployment.Provider, t.Deployment.Model, attempt
		served.Summary = namedSummary(route, t, attempt)
		start := g.now()
		resp, err := m.Moderate(ctx, &up)
		a := record.Attempt{Deployment: t.Deployment.Name, Outcome: string(dispatch.OutcomeOK), Start: start, Latency: g.now().Sub(start)}
		if err == nil {
			resp.Usage = usage
			served.CostUSD, served.CostUnknown = t.Deployment.Cost(usage), t.Deployment.PriceUnknown
			a.Usage, a.CostUSD, a.CostUnknown = usage, served.CostUSD, served.CostUnknown
			rec.Trail = append(rec.Trail, a)
			return resp, nil
		}
		o, kind := dispatch.FailureOutcome(ctx, err)
		a.Outcome, a.ErrorKind = string(o), kind
		rec.Trail = append(rec.Trail, a)
		last = err
		if !failover(ctx, err) {
			break
		}
	}
	return nil, last
}

// moderatorOf returns t's provider as a Moderator when t can moderate,
// else nil.
func moderatorOf(t *Target) provider.Moderator {
	m, ok := t.Provider.(provider.Moderator)
	if !ok || !m.Moderates() || len(t.Deployment.Capabilities) > 0 && !t.Deployment.Has(llm.CapModeration) {
		return nil
	}
	return m
}

// takesImages reports whether a moderation deployment classifies
// multimodal input: it declares vision, or its model is an
// omni-moderation model (OpenAI's text-moderation models, Mistral's and
// other vendors' take text only).
func takesImages(d *llm.Deployment) bool {
	return d.Has(llm.CapVision) || strings.HasPrefix(d.ModelID(), "omni-moderation")
}

// notModeration is the error when no candidate of model can moderate.
func notModeration(model string) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "model %s does not serve moderations; use a moderation deployment such as omni-moderation-latest (GET /v1/models)", model)
	e.Param = "model"
	return e
}

// multimodalError refuses multimodal input for t, a deployment that takes
// text only; it stands when no candidate could take the request.
func multimodalError(t *Target) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'input': multimodal input (objects of type text or image_url) can only be classified by a deployment that takes images (an omni-moderation model, or one that declares the vision capability), and %s (%s) takes text only. Send the text as a string or an array of strings, or use an omni-moderation deployment.", t.Deployment.Name, t.Deployment.ModelID())
	e.Param = "input"
	return e
}
