package route

import "switchyard/llm"

// Optional hosted tools: where a route's hosted_tools is drop_optional
// (or the responses section's, for a route that sets none and for a
// deployment named outside a route), a candidate that cannot run hosted
// tools the request declares, or holds past calls of, without forcing
// them (Features.OptionalHosted) is kept, ranked after the candidates
// that run them (plan_rank.go), and sent the request without them and
// their past calls (Candidate.DroppedHosted, llm.Request.WithoutHosted;
// the answer's dropped= names them). The Codex CLI declares OpenAI's
// web_search on every request, and sends back the web_search_call items
// of the turns an OpenAI deployment searched in: on a route of Azure,
// Gemini 2.5 (which refuses search beside function tools) or local
// deployments, refuse would answer each with a 400.

// dropsHosted reports whether the decision's route (or the default, for
// a deployment named outside a route) leaves optional hosted tools out.
func (d *decision) dropsHosted() bool {
	if d.r != nil {
		return d.r.dropHosted
	}
	return d.p.dropHosted
}

// droppedHosted are the hosted tools left out of the request for dep: the
// ones it cannot run (unservedHosted), when all of them are optional and
// the decision drops optional hosted tools; 0 otherwise.
func (d *decision) droppedHosted(dep *Deployment, f *Features) llm.HostedKinds {
	if f.Needs&NeedHostedTools == 0 || f.OptionalHosted == 0 || !d.dropsHosted() {
		return 0
	}
	u := unservedHosted(dep, f)
	if u == 0 || u&^f.OptionalHosted != 0 {
		return 0
	}
	return u
}

// withoutHosted is f for the request without the hosted tools k: what
// is left of them, no hosted tools at all when nothing is, and no web
// search to estimate when k holds it.
func withoutHosted(f *Features, k llm.HostedKinds) *Features {
	g := *f
	g.HostedTools &^= k
	g.OptionalHosted &^= k
	if g.HostedTools == 0 {
		g.Needs &^= NeedHostedTools
	}
	if k&llm.HostedWebSearch != 0 {
		g.WebSearch = false
	}
	return &g
}
