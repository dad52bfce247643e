package gateway

import (
	"context"

	"switchyard/classify"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
	"switchyard/wire/anthropic"
)

// Classifier returns the default Options.Classify: the embedded classifier
// (loaded once) plus what the request's structure needs.
func Classifier() func(*llm.Request) route.Features {
	c := classify.Default()
	return func(req *llm.Request) route.Features { return Features(c.Classify(req), req) }
}

// Features converts the classifier's output for req into the policy's
// input, adding what the request's structure requires.
func Features(cf classify.Features, req *llm.Request) route.Features {
	f := route.Features{
		Category: cf.Category, Confidence: cf.Confidence, Scores: cf.Scores, PromptTokens: cf.PromptTokens, Turn: cf.Turn,
		Language: cf.Language, HasCode: cf.HasCode, HasTools: cf.HasTools, WantsJSON: cf.WantsJSON,
		HasImages: cf.HasImages, Needs: route.NeedsOf(req),
	}
	if req.MaxTokens != nil && *req.MaxTokens > 0 {
		f.MaxTokens = *req.MaxTokens
	}
	f.StopSequences = len(req.Stop)
	for _, s := range req.Stop {
		f.BlankStop = f.BlankStop || anthropic.BlankStop(s)
	}
	if req.N != nil && *req.N > 1 {
		f.Choices = *req.N
	}
	if req.Temperature != nil {
		f.Temperature = *req.Temperature
	}
	if r := req.DialReasoning(); r != nil { // an Anthropic client's effort is the level OpenAI's models are sent
		f.Effort = r.Level()
	}
	if req.OpenAIHosted != nil {
		f.HostedParam = req.OpenAIHosted.Param
	}
	if f.HostedParam == "" && f.Needs&route.NeedClaudeWebSearch != 0 {
		f.HostedParam = "tools" // Claude's web search tool, declared there
	}
	f.WebSearch = req.WantsWebSearch()
	if f.Needs&route.NeedHostedTools != 0 {
		f.HostedTools = req.OpenAIHostedKinds()
		f.OptionalHosted = req.OptionalHostedKinds()
	}
	return f
}

// decide classifies req, matches it against the semantic categories of
// the route it asks for (if that route has any), predicts its quality on
// each deployment with the route's learned model (if it has one), and asks
// the policy for a plan. gv is the prompt-injection guard's verdict (nil
// when it did not scan): it goes into the plan's explanation, and a
// reroute replaces the plan by one for the safer deployment alone.
func (g *Gateway) decide(ctx context.Context, req *llm.Request, ov *route.Overrides, gv *llm.Guard) (*route.Plan, error) {
	in := route.Input{
		Model: req.Model, Alias: req.Alias, Features: g.classify(req), Seed: seed(llm.RequestID(ctx)), Health: g.healthView(),
		Tenant: CallerFrom(ctx).Tenant,
	}
	// The tier asked for prices the cost ceilings, whatever classified.
	in.Features.ServiceTier = req.ServiceTier
	if req.WantsFast() {
		in.Features.Speed = llm.SpeedFast
	}
	if g.learned != nil {
		in.Learned = g.learned()
	}
	if g.demotions != nil {
		in.Demotions = g.demotions()
	}
	if g.routeDemotions != nil {
		in.RouteDemotions, in.DemotionProbe = g.routeDemotions()
	}
	if ov != nil {
		in.Overrides = *ov
	}
	in.Overrides.Allowed = CallerFrom(ctx).Allowed
	if g.semantic != nil {
		if m := g.semantic[req.Model]; m != nil {
			in.Semantic = g.matchSemantic(ctx, m, req, &in.Overrides)
		}
	}
	if pm := g.prompt[req.Model]; pm != nil {
		pm.predict(req, &in.Predicted)
	}
	plan, err := g.policy.Plan(&in)
	if err == nil && gv != nil && gv.ReroutedTo != "" {
		plan, err = g.rerouted(&in, gv.ReroutedTo)
	}
	if err != nil {
		return plan, err // a refusal's partial plan, to record (route.Policy.Plan)
	}
	plan.Explanation.Guard = gv
	return plan, nil
}

// seed derives the plan's seed (a split's roll, the adaptive scorer's
// draws) from the request id (FNV-1a), so a request is always routed the
// same way.
func seed(id string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(id); i++ {
		h ^= uint64(id[i])
		h *= 1099511628211
	}
	return h
}

// Route is the dry run of a chat request: the same classification and
// decision, no model call. It records the request (endpoint "route").
func (g *Gateway) Route(ctx context.Context, req *llm.Request, ov *route.Overrides) (*route.Plan, error) {
	g.resolveModel(req)
	ov = g.resolvePin(ov)
	rec := g.newRecord(ctx, "route", false)
	var served llm.Served
	var plan *route.Plan
	ov, ticket, err := g.admit(ctx, req.Model, ov)
	if err == nil {
		err = g.screen(req, rec, &served)
	}
	if err == nil {
		plan, err = g.decide(ctx, req, ov, rec.Guard)
	}
	if plan != nil {
		served.Route = plan.Route
		g.explainTimeouts(plan)
		if err == nil {
			err = g.explainNoResponses(plan, req)
		}
		if err == nil {
			g.explainDropped(plan, req)
		}
		note(rec, plan)
	}
	g.finish(rec, &served, nil, err, nil, ticket)
	return plan, err
}

// note copies the decision into the record, the plan included (read-only
// from then on: sinks read it off the hot path).
func note(rec *record.Record, plan *route.Plan) {
	e := &plan.Explanation
	rec.Category, rec.Confidence = e.Category, e.Features.Confidence
	rec.Pinned = plan.Pinned
	rec.Plan = plan
	rec.Propensity = plan.Propensity
}
