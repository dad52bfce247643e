package route

import (
	"strconv"
	"switchyard/llm"
)

// This file renders the x-switchyard-route summary of a plan, on the hot
// path of every answer.

// pricedTier is the service tier the candidate dep of the plan's tier
// (0-based) is priced at (ServiceTierOf), "" for the standard one.
func (p *Plan) pricedTier(tier int, dep string) llm.ServiceTier {
	if c := p.candidate(tier, dep); c != nil {
		return p.ServiceTierOf(c)
	}
	return ""
}

// candidate is the candidate on deployment dep in tier tier (0-based),
// or nil.
func (p *Plan) candidate(tier int, dep string) *Candidate {
	if tier < 0 || tier >= len(p.Tiers) {
		return nil
	}
	for i := range p.Tiers[tier].Candidates {
		if c := &p.Tiers[tier].Candidates[i]; c.Deployment.Name == dep {
			return c
		}
	}
	return nil
}

// Summary renders the compact x-switchyard-route value for the attempt on
// deployment dep, in tier tier (0-based) of the plan; attempt 0 (a dry
// run) leaves the attempt out:
//
//	route=auto; category=code(0.93); rule=code-to-strong; tier=1/3; deployment=claude-sonnet-4-5; attempt=1
//
// api=responses follows the deployment when it is called on the
// Responses API (Candidate.ResponsesAPI), api=chat_completions (no
// /responses route) when it goes on Chat Completions instead for its
// host's lack of that route (Candidate.NoResponsesRoute, a dry run's
// note); clamped=max_tokens:N when it is
// sent max_tokens N, its output limit, in place of the request's
// (Candidate.MaxTokens); dropped=a,b ends it when a dry run noted what
// the attempt would leave out (Candidate.Dropped), as the answer's own
// summary ends with it.
func (p *Plan) Summary(tier int, dep string, attempt int) string {
	return p.SummaryClamped(tier, dep, attempt, 0)
}

// SummaryClamped is Summary for an attempt sent max_tokens clamped, when
// positive: the limit the deployment's refusal stated, to which the
// dispatcher lowered the request's max_tokens (llm.Served.
// ClampedMaxTokens); clamped=max_tokens:N names it as it names a planned
// clamp.
func (p *Plan) SummaryClamped(tier int, dep string, attempt, clamped int) string {
	return p.summary(tier, dep, attempt, clamped, false)
}

// SummaryServed is Summary for the attempt served names (its deployment,
// attempts and clamp: SummaryClamped); api=chat_completions (no
// /responses route) follows the deployment when the attempt went on Chat
// Completions because its host has no Responses API route (llm.Served.
// NoResponsesRoute).
func (p *Plan) SummaryServed(tier int, served *llm.Served) string {
	return p.summary(tier, served.Deployment, served.Attempts, served.ClampedMaxTokens, served.NoResponsesRoute)
}

func (p *Plan) summary(tier int, dep string, attempt, clamped int, noResponses bool) string {
	e := &p.Explanation
	b := make([]byte, 0, 160)
	b = appendField(b, "alias=", e.Alias)
	b = appendField(b, "pinned=", p.Pinned)
	b = appendField(b, "route=", p.Route)
	if e.Semantic != nil {
		b = append(b, "semantic="...)
		b = appendSemantic(b, e.Semantic)
		b = append(b, "; "...)
	}
	b = appendCategory(b, e)
	for i, r := range e.Rules {
		if i == 0 {
			b = append(b, "; rule="...)
		} else {
			b = append(b, ',')
		}
		b = append(b, r...)
	}
	if e.Split != "" {
		b = append(b, "; split="...)
		b = append(b, e.Split...)
	}
	b = p.appendTier(append(b, "; tier="...), tier)
	b = append(b, "; deployment="...)
	b = append(b, dep...)
	if t := p.pricedTier(tier, dep); t != "" {
		b = append(b, "; service_tier="...)
		b = append(b, t...)
	}
	c := p.candidate(tier, dep)
	b = appendAPI(b, c, noResponses)
	if c != nil && clamped <= 0 {
		clamped = c.MaxTokens
	}
	if clamped > 0 {
		b = strconv.AppendInt(append(b, "; clamped=max_tokens:"...), int64(clamped), 10)
	}
	if e.Features.Needs&NeedUSInference != 0 {
		b = append(b, "; inference_geo=us"...)
	}
	b = appendLearned(b, e.Rejected)
	if attempt > 0 {
		b = append(b, "; attempt="...)
		b = strconv.AppendInt(b, int64(attempt), 10)
	}
	if c != nil && len(c.Dropped) > 0 {
		b = append(b, "; dropped="...)
		for i, d := range c.Dropped {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, d...)
		}
	}
	return string(b)
}

// appendCategory appends "category=" with the category and where it
// came from: a hint, a semantic match, or the classifier's confidence.
func appendCategory(b []byte, e *Explanation) []byte {
	b = append(b, "category="...)
	if e.Category == "" {
		b = append(b, "none"...)
	} else {
		b = append(b, e.Category...)
	}
	b = append(b, '(')
	switch e.CategorySource {
	case "hint", "semantic":
		b = append(b, e.CategorySource...)
	default:
		b = strconv.AppendFloat(b, e.Features.Confidence, 'f', 2, 64)
		if e.CategorySource == "low_confidence" {
			b = append(b, ",low"...)
		}
	}
	return append(b, ')')
}

// appendAPI appends the API a candidate is called on when it is not the
// request's own: Chat Completions for want of a /responses route, or the
// Responses API.
func appendAPI(b []byte, c *Candidate, noResponses bool) []byte {
	if noResponses || c != nil && c.NoResponsesRoute {
		return append(b, "; api=chat_completions (no /responses route)"...)
	}
	if c != nil && c.ResponsesAPI {
		return append(b, "; api=responses"...)
	}
	return b
}

// appendField appends key, v and "; " when v is not empty.
func appendField(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	b = append(b, key...)
	b = append(b, v...)
	return append(b, "; "...)
}

// appendLearned appends the output limits learned from deployments'
// refusals that kept them off the plan (Rejection By ByRefusal):
// "; learned_max_output=dep:32000@2026-12-06T17:40:05Z", comma-separated.
func appendLearned(b []byte, rejected []Rejection) []byte {
	first := true
	for i := range rejected {
		r := &rejected[i]
		if r.By != ByRefusal {
			continue
		}
		if first {
			b, first = append(b, "; learned_max_output="...), false
		} else {
			b = append(b, ',')
		}
		b = strconv.AppendInt(append(append(b, r.Deployment...), ':'), int64(r.Limit), 10)
		b = append(append(b, '@'), r.Note...)
	}
	return b
}

// appendTier appends tier (0-based) as the summary writes it: "N/M"
// among the route's own tiers, or, for a tier of the client's refusal
// fallbacks (Tier.Fallback), "fallback-K/F": the K-th of the plan's F
// fallback tiers. The fallbacks' tiers, tried only after a refusal, do
// not count among the route's.
func (p *Plan) appendTier(b []byte, tier int) []byte {
	own, fallbacks, k := 0, 0, 0
	for i := range p.Tiers {
		if p.Tiers[i].Fallback == 0 {
			own++
			continue
		}
		fallbacks++
		if i == tier {
			k = fallbacks
		}
	}
	if k > 0 {
		b = strconv.AppendInt(append(b, "fallback-"...), int64(k), 10)
		b = append(b, '/')
		return strconv.AppendInt(b, int64(fallbacks), 10)
	}
	b = strconv.AppendInt(b, int64(tier+1), 10)
	b = append(b, '/')
	return strconv.AppendInt(b, int64(own), 10)
}
