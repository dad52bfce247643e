package gateway

import (
	"context"
	"errors"
	"fmt"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/provider"
	"switchyard/record"
	"switchyard/route"
	"switchyard/semantic"
)

// EndpointSemantic is the Record endpoint of an embeddings call made for
// semantic routing: a route's examples, or a request's text.
const EndpointSemantic = "semantic"

// startSemantic builds a matcher for every route with semantic
// categories, all sharing one cache of request embeddings, and starts
// embedding their examples in the background.
func (g *Gateway) startSemantic(cfg *config.Config) {
	var cache *semantic.Cache
	for _, name := range cfg.RouteNames() {
		s := cfg.Routes[name].Semantic
		if s == nil || g.byName[s.Embeddings] == nil {
			continue
		}
		t := g.byName[s.Embeddings]
		if cache == nil {
			cache = semantic.NewCache(0)
			g.semantic = map[string]*semantic.Matcher{}
		}
		var cats []semantic.Category
		for cn, sc := range s.Categories {
			if sc != nil {
				cats = append(cats, semantic.Category{Name: cn, Examples: sc.Examples})
			}
		}
		m := semantic.New(semantic.Options{
			Deployment: t.Deployment.Name, Threshold: s.ThresholdOrDefault(), Timeout: s.TimeoutOrDefault(),
			Categories: cats, Embed: g.semanticEmbed(name, t), Cache: cache,
		})
		g.semantic[name] = m
		m.Start()
	}
}

// matchSemantic matches req against the semantic categories of the route
// it asks for; a category hint skips matching (the hint decides), and so
// does a request requiring US-only inference when the embeddings
// deployment is not configured US-resident (its text would leave the US).
func (g *Gateway) matchSemantic(ctx context.Context, m *semantic.Matcher, req *llm.Request, ov *route.Overrides) route.Semantic {
	if ov.Category != "" {
		return route.Semantic{Outcome: route.SemanticSkipped, Reason: route.SemanticHint, Threshold: m.Threshold()}
	}
	if t := g.byName[m.Deployment()]; req.InferenceGeo == llm.GeoUS && (t == nil || t.Deployment.InferenceGeo != llm.GeoUS) {
		return route.Semantic{Outcome: route.SemanticSkipped, Reason: route.SemanticResidency, Threshold: m.Threshold()}
	}
	r := m.MatchFor(ctx, CallerFrom(ctx).Tenant, semantic.Text(req))
	s := route.Semantic{
		Outcome: route.SemanticOutcome(r.Outcome), Category: r.Category, Score: r.Score, Threshold: r.Threshold,
		Reason: r.Reason, Cached: r.Cached,
	}
	var e *llm.Error
	switch {
	case r.Err == nil || errors.Is(r.Err, semantic.ErrTimeout):
	case errors.As(r.Err, &e):
		s.Detail = e.Message
	case errors.Is(r.Err, context.DeadlineExceeded), errors.Is(r.Err, context.Canceled):
		s.Detail = "the request ended first"
	default:
		s.Detail = r.Err.Error()
	}
	return s
}

// semanticEmbed returns the function that embeds texts on t for route's
// matcher. Each call is recorded (endpoint "semantic"), so its tokens and
// cost are counted.
func (g *Gateway) semanticEmbed(routeName string, t *Target) semantic.EmbedFunc {
	em, _ := t.Provider.(provider.Embedder)
	return func(ctx context.Context, texts []string) ([][]float32, error) {
		if em == nil {
			return nil, fmt.Errorf("gateway: deployment %s cannot embed", t.Deployment.Name)
		}
		rec := &record.Record{
			Start: g.now(), Endpoint: EndpointSemantic, Route: routeName, Attempts: 1, Status: 200,
			Deployment: t.Deployment.Name, Provider: t.Deployment.Provider, Model: t.Deployment.Model,
		}
		resp, err := em.Embed(ctx, &llm.EmbeddingRequest{Model: t.Deployment.Model, Input: texts})
		rec.Latency = g.now().Sub(rec.Start)
		a := record.Attempt{Deployment: t.Deployment.Name, Outcome: string(dispatch.OutcomeOK), Start: rec.Start, Latency: rec.Latency}
		var out [][]float32
		if err == nil {
			rec.Usage, rec.CostUSD, rec.CostUnknown = resp.Usage, t.Deployment.Cost(resp.Usage), t.Deployment.CostUnknown(resp.Usage)
			rec.ServedCostUSD = rec.CostUSD
			a.Usage, a.CostUSD, a.CostUnknown = rec.Usage, rec.CostUSD, rec.CostUnknown
			out, err = vectors(resp, len(texts))
		} else {
			o, kind := dispatch.FailureOutcome(ctx, err)
			a.Outcome, a.ErrorKind = string(o), kind
		}
		rec.Trail = []record.Attempt{a}
		if err != nil {
			e := llm.AsError(err)
			rec.Status, rec.ErrorKind = e.HTTPStatus(), e.Kind
		}
		if g.recorder != nil {
			g.recorder.Add(rec)
		}
		return out, err
	}
}

// vectors orders an embeddings response's vectors by index.
func vectors(resp *llm.EmbeddingResponse, n int) ([][]float32, error) {
	out := make([][]float32, n)
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil {
			return nil, llm.Errorf(llm.KindUpstream, "embeddings response has a bad or repeated index %d", d.Index)
		}
		out[d.Index] = d.Vector
	}
	for i, v := range out {
		if v == nil {
			return nil, llm.Errorf(llm.KindUpstream, "embeddings response lacks the vector of input %d", i)
		}
	}
	return out, nil
}

// WaitSemantic waits until every route's semantic examples are embedded,
// starting an attempt for each that is not. It returns the first
// failure, or ctx's error. Routing does not need it: until a route's
// examples are ready, its requests skip semantic matching.
func (g *Gateway) WaitSemantic(ctx context.Context) error {
	for name, m := range g.semantic {
		if err := m.WaitReady(ctx); err != nil {
			return fmt.Errorf("route %s: embedding the semantic examples: %w", name, err)
		}
	}
	return nil
}

// Close stops the background work of semantic routing (embedding
// examples, filling the cache) and waits for it. The gateway still
// serves; semantic matching is skipped from then on.
func (g *Gateway) Close() {
	for _, m := range g.semantic {
		m.Close()
	}
}
