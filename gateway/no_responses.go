package gateway

import (
	"switchyard/config"
	"switchyard/llm"
	"switchyard/route"
)

// upstreamHost is the dispatch.Target.Host of deployment d on provider
// p: the upstream API it is called on — the provider's kind and base_url
// and the deployment's api — which a mark that the host has no
// /responses route (dispatch.NoResponsesRoutes) stays bound to.
func upstreamHost(p *config.Provider, d *config.Deployment) string {
	if p == nil || d == nil {
		return ""
	}
	return p.Kind + " " + p.BaseURL + " api=" + d.API
}

// RetainNoResponses keeps, of the marks Options.NoResponses holds, those
// of this gateway's deployments on the host each has here, and drops the
// rest (a deployment gone, or moved to another base_url or api): the
// server calls it when the gateway's configuration starts serving.
func (g *Gateway) RetainNoResponses() {
	if g.noResponses == nil {
		return
	}
	hosts := make(map[string]string, len(g.dtargets))
	for _, t := range g.dtargets {
		hosts[t.Deployment.Name] = t.Host
	}
	g.noResponses.Retain(hosts)
}

// explainNoResponses notes in plan, for the dry run's explanation, each
// candidate an attempt of req would send on Chat Completions because its
// host has no /responses route (dispatch.Dispatcher.OnHost): not on the
// Responses API, as the request's own x-switchyard-route says. A
// candidate whose attempt would be refused for that (the request needs
// the Responses API) leaves the plan for its rejections, as the request's
// own attempt passes it over; when that leaves no candidate, the dry run
// answers the refusal the request would get.
func (g *Gateway) explainNoResponses(plan *route.Plan, req *llm.Request) error {
	var refusal error
	tiers := plan.Tiers[:0]
	for _, tier := range plan.Tiers {
		kept := tier.Candidates[:0]
		for _, c := range tier.Candidates {
			viaChat, err := g.dispatcher.OnHost(g.dtargets[c.Deployment.Index], req)
			if err != nil {
				refusal = err
				plan.Explanation.Rejected = append(plan.Explanation.Rejected,
					route.Rejection{Deployment: c.Deployment.Name, Reason: route.ReasonNoResponsesRoute, By: "health"})
				continue
			}
			if viaChat {
				c.ResponsesAPI, c.NoResponsesRoute = false, true
			}
			kept = append(kept, c)
		}
		if len(kept) > 0 {
			tier.Candidates = kept
			tiers = append(tiers, tier)
		}
	}
	if len(tiers) == 0 {
		return refusal
	}
	plan.Tiers = tiers
	return nil
}
