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
// host has no /responses route (dispatch.Dispatcher.GoesOnChat): not on
// the Responses API, as the request's own x-switchyard-route says.
func (g *Gateway) explainNoResponses(plan *route.Plan, req *llm.Request) {
	for i := range plan.Tiers {
		for j := range plan.Tiers[i].Candidates {
			c := &plan.Tiers[i].Candidates[j]
			if g.dispatcher.GoesOnChat(g.dtargets[c.Deployment.Index], req) {
				c.ResponsesAPI, c.NoResponsesRoute = false, true
			}
		}
	}
}
