package gateway

import (
	"context"
	"fmt"
	"strings"

	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
	"switchyard/route"
)

// A client's refusal fallback (llm.Request.Fallbacks, Anthropic's
// fallbacks) runs on the router's own refusal machinery
// (docs/resilience.md#refusals): "default" is the route's own fallback
// (its next candidates, as on_refusal: fallback); a list of models adds,
// after the route's tiers, the tiers of each model's plan (resolved as a
// request's model is), tried in order only after a refusal, each sent the
// request with the entry's overrides: a refusal goes to the list at once,
// not to the route's next candidates (which still take failures). A route configured on_refusal:
// return keeps its policy final: a list is a 400, "default" runs the
// request alone, as the API treats a model without fallback support.

// refusalFinalRoutes lists the routes configured on_refusal: return
// (explicitly: an unset policy lets a client ask for fallback).
func refusalFinalRoutes(cfg *config.Config) map[string]bool {
	out := make(map[string]bool)
	for name, r := range cfg.Routes {
		if r.OnRefusal == config.RefusalReturn {
			out[name] = true
		}
	}
	return out
}

// fallbackRun is what a request's fallbacks add to its run: each
// fallback tier's request (by route.Tier.Fallback - 1), and the refusals
// passed over, in order.
type fallbackRun struct {
	reqs   []*llm.Request
	passed []passedRefusal
	// asked is the client's model, as it spelled it; def reports
	// "default".
	asked string
	def   bool
	// prompt is the request's estimated prompt tokens: a refusal passed
	// over with no usage (a stream refused at its start, closed before
	// its usage came) is counted at the estimate it is billed at.
	prompt int
}

type passedRefusal struct {
	dep  *llm.Deployment
	resp *llm.Response
}

// addFallbacks extends plan with the tiers of req's fallbacks list (each
// entry's plan, marked route.Tier.Fallback), or, for "default", asks the
// route's own fallback; it returns nil when req asks for none. An entry
// naming no model is a 400 naming fallbacks.N.model, before any call; a
// list on a route configured on_refusal: return is a 400 too. An entry
// whose model no candidate can serve now (every one excluded) adds no
// tier: its rejections are in its own plan, not the request's.
func (g *Gateway) addFallbacks(ctx context.Context, req *llm.Request, ov *route.Overrides, plan *route.Plan, rec *record.Record) (*fallbackRun, error) {
	fb := req.Fallbacks
	if fb == nil {
		return nil, nil
	}
	run := &fallbackRun{asked: req.Model, def: fb.Default}
	if fb.Default || plan.Route != "" && g.refusalFinal[plan.Route] {
		if !fb.Default {
			e := llm.Errorf(llm.KindInvalidRequest, "fallbacks: the route `%s` does not allow refusal fallback (it is configured on_refusal: return): send the request without fallbacks", plan.Route)
			e.Param = "fallbacks"
			return nil, e
		}
		return run, nil
	}
	fov := route.Overrides{}
	if ov != nil {
		fov = *ov
	}
	// A pin header names the request's own deployment; a deployment named
	// as a fallback model is that model alone (a route brings its own).
	fov.Model, fov.NoFallback = "", true
	for i := range fb.Models {
		m := &fb.Models[i]
		param := fmt.Sprintf("fallbacks.%d.model", i)
		if err := g.mayAsk(ctx, m.Model, param); err != nil {
			return nil, err
		}
		fr := fallbackRequest(req, m)
		fp, err := g.decide(ctx, fr, &fov, rec.Guard)
		if fp == nil || err != nil {
			if e := llm.AsError(err); e.Kind == llm.KindNotFound {
				e2 := llm.Errorf(llm.KindInvalidRequest, "%s: %s", param, e.Message)
				e2.Param = param
				return nil, e2
			}
			continue // no candidate now: nothing to add
		}
		run.reqs = append(run.reqs, fr)
		for _, t := range fp.Tiers {
			t.Fallback = len(run.reqs)
			plan.Tiers = append(plan.Tiers, t)
		}
	}
	return run, nil
}

// mayAsk checks that the caller may ask for model (a fallback entry's,
// named param), as it may ask for the request's model (checkModel).
func (g *Gateway) mayAsk(ctx context.Context, model, param string) error {
	gr := CallerFrom(ctx).Grant
	if !gr.Limited() {
		return nil
	}
	if err := g.checkModel(gr, model); err != nil {
		e := llm.AsError(err)
		c := *e
		c.Param = param
		c.Message = param + ": " + e.Message
		return &c
	}
	return nil
}

// fallbackRequest is req for fallback model m: the same request with the
// model, and the max_tokens, thinking, speed and effort m overrides. An
// effort of m's is the attempt's effort whatever the client's per-turn
// efforts say (docs/anthropic-api.md, fallbacks).
func fallbackRequest(req *llm.Request, m *llm.FallbackModel) *llm.Request {
	fr := *req
	fr.Model, fr.Fallbacks = m.Model, nil
	if m.MaxTokens != nil {
		fr.MaxTokens = m.MaxTokens
	}
	if m.ReasoningSet {
		fr.Reasoning, fr.OpenRouterReasoning = m.Reasoning, nil // the object no longer says it
		fr.ThinkingOff = m.ThinkingOff
	}
	if m.Speed != "" {
		fr.Speed = m.Speed
	}
	if m.Effort != "" {
		// the entry's effort is the attempt's, over the client's per-turn
		// ones too: it was chosen for this model (their system messages
		// then go as any other, their efforts left out)
		fr.OutputEffort, fr.TurnEffort = m.Effort, ""
	}
	return &fr
}

// apply sets dp to run the client's fallback: the fallback tiers marked
// with their requests, "default" as the route's own fallback (unless the
// route keeps its refusals final), and every refusal passed over noted
// and billed. sent is the request as dispatched (with any thinking kept
// for its turn put back): the fallback requests take its messages.
func (fr *fallbackRun) apply(g *Gateway, dp *dispatch.Plan, plan *route.Plan, rec *record.Record, sent *llm.Request) {
	for _, r := range fr.reqs {
		r.Messages = sent.Messages
	}
	for i := range plan.Tiers {
		if f := plan.Tiers[i].Fallback; f > 0 {
			dp.Tiers[i].OnRefusal, dp.Tiers[i].Request = true, fr.reqs[f-1]
		}
	}
	switch {
	case !fr.def:
		// a list is where a refusal goes: not the route's next candidates
		dp.RefusalFallback = false
	case plan.Route == "" || !g.refusalFinal[plan.Route]:
		dp.RefusalFallback = true // "default": the route's next candidates
	}
	fr.prompt = dp.PromptTokens
	dp.OnRefusalPassed = func(dep *llm.Deployment, resp *llm.Response) {
		fr.passed = append(fr.passed, passedRefusal{dep, resp})
	}
	if dp.OnAbandon == nil {
		dp.OnAbandon = onAbandon(rec, dp.PromptTokens, sent)
	}
}

// hops are the hand-overs made before the answer of deployment served
// (model id to): the first from the model the client asked for.
func (fr *fallbackRun) hops(to string) []llm.FallbackHop {
	if fr == nil || len(fr.passed) == 0 {
		return nil
	}
	out := make([]llm.FallbackHop, len(fr.passed))
	for i, p := range fr.passed {
		h := &out[i]
		h.From, h.FromID = p.dep.Model, p.dep.Model
		if i == 0 {
			h.From = fr.asked
		}
		h.To = to
		if i+1 < len(fr.passed) {
			h.To = fr.passed[i+1].dep.Model
		}
		if p.resp != nil {
			u := cost.Usage(fr.prompt, p.resp)
			h.Usage = &u
			if len(p.resp.Choices) > 0 {
				h.Refusal = p.resp.Choices[0].Refusal
			}
		}
	}
	return out
}

// noteFallbacks puts the hand-overs before the answer of served in served
// (and the compact summary: fallback=from>to,…); it returns them.
func (g *Gateway) noteFallbacks(fr *fallbackRun, served *llm.Served) []llm.FallbackHop {
	t := g.byName[served.Deployment]
	if fr == nil || t == nil {
		return nil
	}
	hops := fr.hops(t.Deployment.Model)
	if len(hops) == 0 {
		return nil
	}
	served.Fallbacks = hops
	var b strings.Builder
	for i := range hops {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(hops[i].FromID + ">" + hops[i].To)
	}
	served.Summary += "; fallback=" + b.String()
	return hops
}
