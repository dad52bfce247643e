package main

import (
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"switchyard/config"
	"switchyard/route"
)

// A live router learns that a compatible host has no /responses route
// from its 404 there (dispatch.NoResponsesRoutes) and from then on sends
// that deployment's requests on Chat Completions, or passes it over for
// a request only the Responses API serves; its dry run (POST /v1/route)
// shows that as no_responses_route. Offline nothing was learned, so
// route explain says, of the candidates it shows on the Responses API,
// which are on a host whose route it cannot know.

// responsesRouteUnknown returns the candidates of plan that would be
// sent to the Responses API under api auto on an OpenAI-compatible host
// (kind openai, not api.openai.com): those a live router may have marked
// as having no /responses route.
func responsesRouteUnknown(cfg *config.Config, plan *route.Plan) []string {
	var names []string
	for _, tier := range plan.Tiers {
		for _, c := range tier.Candidates {
			name := c.Deployment.Name
			if c.ResponsesAPI && !slices.Contains(names, name) && mayLackResponses(cfg, name) {
				names = append(names, name)
			}
		}
	}
	return names
}

// mayLackResponses reports whether deployment name is called with api
// auto on an OpenAI-compatible host, one of the provider's own or its
// endpoints': the hosts the adapter takes a 404 from as a missing
// /responses route.
func mayLackResponses(cfg *config.Config, name string) bool {
	d := cfg.Deployments[name]
	if d == nil || (d.API != "" && d.API != config.APIAuto) {
		return false
	}
	p := cfg.Providers[d.Provider]
	if p == nil || p.Kind != config.KindOpenAI {
		return false
	}
	bases := []string{p.BaseURL}
	for _, e := range p.Endpoints {
		if e.BaseURL != "" {
			bases = append(bases, e.BaseURL)
		}
	}
	return slices.ContainsFunc(bases, func(base string) bool {
		if base == "" {
			return false // OpenAI's own
		}
		u, err := url.Parse(base)
		return err != nil || u.Host != "api.openai.com"
	})
}

// noteResponsesRouteUnknown writes, when names is not empty, that
// offline the hosts' /responses route is not known.
func noteResponsesRouteUnknown(w io.Writer, names []string) {
	if len(names) == 0 {
		return
	}
	fmt.Fprintf(w, "\nnote: whether the host of %s has a /responses route is not known offline. A live router that got a 404 there "+
		"sends such requests on Chat Completions instead, or passes the deployment over when only the Responses API serves the request "+
		"(no_responses_route); POST /v1/route on the running router shows what it learned.\n", strings.Join(names, ", "))
}
