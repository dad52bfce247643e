package route

import "switchyard/config"

// This file lowers a request's max_tokens to a deployment's output limit
// where the client did not choose the deployment (a route or an alias
// did): Claude Code and other agents send max_tokens 32000 or 64000 on
// every request, and a route whose candidates write at most 16384
// (gpt-4o) or 8192 (DeepSeek) would otherwise answer each with a 400.
// Their users meet it as a 400 "max_tokens is too large: 64000"
// (claude-code-best/claude-code#272; DeepSeek: NanmiCoder/cc-haha#29).
// LiteLLM lowers max_tokens to the model's limit under modify_params
// (BerriAI/litellm#2520, #4446) and claude-code-router caps it with its
// "maxtoken" transformer.

// clampTo is the max_tokens dep is sent when the request asks for more
// than its output limit (max_output_tokens, or the limit learned from its
// refusal) and the client did not name it (clamps): that limit; zero when
// the request's own max_tokens is sent, or dep is refused for it.
func (d *decision) clampTo(dep *Deployment, pinned bool) int {
	want := d.in.Features.MaxTokens
	if want == 0 {
		return 0
	}
	limit := dep.MaxOutputTokens
	if st, ok := d.in.Health[dep.Name]; ok && st.MaxOutputLearned > 0 && (limit == 0 || st.MaxOutputLearned < limit) {
		limit = st.MaxOutputLearned
	}
	if limit == 0 || want <= limit || !d.clamps(dep, pinned) {
		return 0
	}
	return limit
}

// clamps reports whether dep's max_tokens may be lowered: it is one of a
// route's candidates, or the client reached it by an alias naming another
// model. A deployment the client named itself, by its name or its own
// model id, keeps the provider's own 400: a drop-in answers what the
// provider would. The route's max_tokens option says otherwise: refuse
// never lowers it, always lowers it for a pin too.
func (d *decision) clamps(dep *Deployment, pinned bool) bool {
	mode := ""
	if d.r != nil {
		mode = d.r.maxTokens
	}
	switch {
	case mode == config.MaxTokensRefuse:
		return false
	case !pinned || mode == config.MaxTokensAlways:
		return true
	}
	a := d.in.Alias
	if a == "" || d.in.Overrides.Model != "" || a == dep.Model || a == dep.BaseModel {
		return false
	}
	f := ModelFamily(a)
	return f == "" || (f != ModelFamily(dep.Model) && (dep.BaseModel == "" || f != ModelFamily(dep.BaseModel)))
}

// preferFullOutput passes over the candidates whose max_tokens was
// lowered (Candidate.MaxTokens) when another can write the full amount,
// rejecting them with ReasonMaxOutput; when none can, they all stay and
// are sent their own limit. A pin is kept either way: the alias the
// client named chose it.
func (d *decision) preferFullOutput(cands []ranked) []ranked {
	full, clamped := false, false
	for i := range cands {
		if cands[i].c.MaxTokens == 0 {
			full = true
		} else {
			clamped = true
		}
	}
	if !full || !clamped {
		return cands
	}
	kept := cands[:0]
	for _, c := range cands {
		if c.c.MaxTokens > 0 && !c.c.Pinned {
			d.reject(d.clampRejection(c.c.Deployment, c.c.MaxTokens))
			continue
		}
		kept = append(kept, c)
	}
	return kept
}

// clampRejection is the max_output rejection of dep, whose output limit
// is limit, passed over for a candidate that writes the full max_tokens:
// by its refusal when the limit was learned from one.
func (d *decision) clampRejection(dep *Deployment, limit int) Rejection {
	f := &d.in.Features
	if st, ok := d.in.Health[dep.Name]; ok && st.MaxOutputLearned == limit && (dep.MaxOutputTokens == 0 || limit < dep.MaxOutputTokens) {
		return learnedRejection(dep, f, &st)
	}
	return Rejection{Deployment: dep.Name, Reason: ReasonMaxOutput, By: "request", Got: float64(f.MaxTokens), Limit: float64(limit)}
}
