package gateway

import (
	"switchyard/config"
	"switchyard/cost"
	"switchyard/dispatch"
	"switchyard/llm"
	"switchyard/record"
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

// refusalFallbackRoutes lists the configured routes with on_refusal:
// fallback (config.Route.FallsBackOnRefusal).
func refusalFallbackRoutes(cfg *config.Config) map[string]bool {
	out := make(map[string]bool)
	for name, r := range cfg.Routes {
		if r.FallsBackOnRefusal() {
			out[name] = true
		}
	}
	return out
}

// billResumed bills a resumed stream whose total usage is u into rec:
// the broken attempts' usage (FromUsage: what the upstream reported on
// the way, the rest estimated) at their deployment's prices (on the
// attempt that broke last), the rest at the continuing deployment's. It returns the total cost, and
// leaves the total usage in rec.
func (g *Gateway) billResumed(rec *record.Record, r *dispatch.Resumption, u llm.Usage) float64 {
	from := r.FromUsage
	rest := u
	rest.Sub(from)
	var total float64
	if t := g.byName[r.From]; t != nil {
		total += bill(rec, r.FromAttempt, &t.Deployment, from, false)
	}
	if t := g.byName[r.To]; t != nil {
		total += bill(rec, r.ToAttempt, &t.Deployment, rest, true)
	}
	rec.Usage = u
	return total
}

// billPassedOver bills into rec each continuation of s refused at its
// start and passed over (dispatch.Stream.PassedOver): the usage it
// reported, else the prompt's size and what it wrote, estimated.
func billPassedOver(rec *record.Record, s *dispatch.Stream, promptTokens int) {
	for _, p := range s.PassedOver() {
		bill(rec, p.Attempt, p.Deployment, cost.Usage(promptTokens, p.Partial), false)
	}
}
