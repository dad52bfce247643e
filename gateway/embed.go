package gateway

import (
	"context"
	"errors"
	"strconv"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
)

// Embed answers an embeddings request, failing over between the
// candidates that can embed: a deployment named directly, or a configured
// route's deployments in their listed order. Embeddings are not
// classified.
func (g *Gateway) Embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served) (*llm.EmbeddingResponse, error) {
	rec := g.newRecord(ctx, "embeddings", false)
	c := cutOnShutdown(ctx)
	var hold budget.Hold
	ticket, err := g.admitNamed(c.ctx, req.Model, req.Input)
	var resp *llm.EmbeddingResponse
	if err == nil {
		resp, err = g.embed(c.ctx, req, served, rec, &hold)
	}
	err = c.err(err)
	c.cancel()
	if resp != nil {
		rec.Usage = resp.Usage
	}
	g.finish(rec, served, nil, err, &hold, ticket)
	return resp, err
}

// namedCandidates resolves a model name for embeddings or moderations: a
// configured route's deployments, or one deployment (with no route name);
// a built-in route has none.
func (g *Gateway) namedCandidates(model string) ([]*Target, string, error) {
	if ts, ok := g.routes[model]; ok {
		return ts, model, nil
	}
	if t, ok := g.byName[model]; ok {
		return []*Target{t}, "", nil
	}
	if g.policy.IsRoute(model) {
		return nil, model, nil
	}
	return nil, "", g.policy.UnknownModel(model)
}

// embed tries the candidates in order, noting each call in rec.Trail.
func (g *Gateway) embed(ctx context.Context, req *llm.EmbeddingRequest, served *llm.Served, rec *record.Record, hold *budget.Hold) (*llm.EmbeddingResponse, error) {
	cands, route, err := g.namedCandidates(req.Model)
	if err != nil {
		return nil, err
	}
	served.Route = route
	cands = keepAllowed(ctx, cands)
	if cands, err = g.namedBudgets(ctx, req.Model, req.Input, route, cands, hold); err != nil {
		return nil, err
	}
	var last error = llm.Errorf(llm.KindInvalidRequest, "model %s does not serve embeddings; use an embeddings deployment (GET /v1/models)", req.Model)
	tokens := tokenInput(req)
	attempt := 0
	for _, t := range cands {
		em, ok := t.Provider.(provider.Embedder)
		if !ok || (len(t.Deployment.Capabilities) > 0 && !t.Deployment.Has(llm.CapEmbeddings)) {
			continue
		}
		if tokens && !embedsTokens(t.Kind) {
			if attempt == 0 {
				last = tokenInputError(t)
			}
			continue
		}
		attempt++
		up := *req
		up.Model = t.Deployment.Model
		served.Deployment, served.Provider, served.Model, served.Attempts = t.Deployment.Name, t.Deployment.Provider, t.Deployment.Model, attempt
		served.Summary = namedSummary(route, t, attempt)
		start := g.now()
		resp, err := em.Embed(ctx, &up)
		a := record.Attempt{Deployment: t.Deployment.Name, Outcome: string(dispatch.OutcomeOK), Start: start, Latency: g.now().Sub(start)}
		if err == nil {
			served.CostUSD, served.CostUnknown = t.Deployment.Cost(resp.Usage), t.Deployment.PriceUnknown
			a.Usage, a.CostUSD, a.CostUnknown = resp.Usage, served.CostUSD, served.CostUnknown
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

// tokenInput reports whether req's input is token ids (arrays of
// integers), which have no canonical form: the OpenAI decoder keeps them
// verbatim in Extra["input"] and leaves Input empty.
func tokenInput(req *llm.EmbeddingRequest) bool {
	return len(req.Input) == 0 && req.Extra["input"] != nil
}

// embedsTokens reports whether a provider of kind can embed token input:
// only the OpenAI wire format has it (the adapter passes it through).
func embedsTokens(kind string) bool {
	return kind == config.KindOpenAI || kind == config.KindAzure
}

// tokenInputError refuses token input for t, a deployment that takes
// text only; it stands when no candidate could take the request.
func tokenInputError(t *Target) *llm.Error {
	e := llm.Errorf(llm.KindInvalidRequest, "Invalid 'input': token input (arrays of token ids) can only be embedded by an OpenAI or Azure deployment, and %s (%s) takes text. Send the input as a string or an array of strings.", t.Deployment.Name, t.Kind)
	e.Param = "input"
	return e
}

// namedSummary is the x-switchyard-route summary of an embeddings or
// moderations request.
func namedSummary(route string, t *Target, attempt int) string {
	if route == "" {
		return "pinned=" + t.Deployment.Name
	}
	return "route=" + route + "; deployment=" + t.Deployment.Name + "; attempt=" + strconv.Itoa(attempt)
}

// failover reports whether another candidate should be tried after err.
func failover(ctx context.Context, err error) bool {
	if ctx.Err() != nil {
		return false
	}
	var e *llm.Error
	if errors.As(err, &e) {
		return e.Retryable
	}
	return true
}
