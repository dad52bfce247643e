package gateway

import (
	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/llm"
)

// withContinuation returns d with its continuation style defaulted: a
// deployment on an anthropic provider continues prefills natively unless
// configured "none"; any other continues only when configured.
func withContinuation(d llm.Deployment, cd *config.Deployment, kind string) llm.Deployment {
	if d.Continuation == llm.ContinueNone && kind == "anthropic" && (cd == nil || cd.Continuation == "") {
		d.Continuation = llm.ContinueAnthropic
	}
	return d
}

// nonResumingRoutes lists the configured routes with resume: false;
// every other route, built-in ones included, continues broken streams.
func nonResumingRoutes(cfg *config.Config) map[string]bool {
	out := make(map[string]bool)
	for name, r := range cfg.Routes {
		if !r.Resumes() {
			out[name] = true
		}
	}
	return out
}

// resumedCost is the cost of a resumed stream's total usage u: the broken
// attempts' estimated usage at their deployment's prices, the rest at the
// continuing deployment's.
func (g *Gateway) resumedCost(r *dispatch.Resumption, u llm.Usage) float64 {
	rest := u
	rest.PromptTokens -= r.FromUsage.PromptTokens
	rest.CompletionTokens -= r.FromUsage.CompletionTokens
	rest.TotalTokens -= r.FromUsage.TotalTokens
	var cost float64
	if t := g.byName[r.From]; t != nil {
		cost += t.Deployment.Cost(r.FromUsage)
	}
	if t := g.byName[r.To]; t != nil {
		cost += t.Deployment.Cost(rest)
	}
	return cost
}
