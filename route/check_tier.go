package route

import "switchyard/llm"

// This file prices a candidate by the tier, geography and speed it would
// serve the request at.

// servedTier is the tier a request asking for tier is served and priced
// on by dep, and that tier's prices, when they are not the standard ones:
// priority (fast is priority, ultrafast is priced as priority) or flex
// (the batch price; not on Anthropic, which has none), on a deployment
// whose provider is sent the tier; nil prices otherwise (no tier asked,
// auto, default or scale, a provider the tier is not sent to, or no
// known price).
func servedTier(dep *Deployment, tier llm.ServiceTier) (llm.ServiceTier, *llm.TierPrice) {
	if tier == "" || !dep.takesTier || dep.PriceUnknown {
		return "", nil
	}
	if tier == llm.TierFast {
		tier = llm.TierPriority
	}
	switch {
	case tier == llm.TierPriority, tier == llm.TierUltrafast, tier == llm.TierFlex && dep.takesFlex:
		if tp := dep.TierAt(tier); tp != nil {
			return tier, tp
		}
	}
	return "", nil
}

// servedGeo is what dep's estimate is multiplied by for the geography it
// would serve the request in: its US-inference premium (Anthropic's
// 1.1x) when the request requires US-only inference or dep is configured
// US-resident; 1 otherwise.
func servedGeo(dep *Deployment, f *Features) float64 {
	if f.Needs&NeedUSInference != 0 || dep.InferenceGeo == llm.GeoUS {
		return dep.GeoFactor(llm.GeoUS)
	}
	return 1
}

// servedSpeed is what dep's estimate is multiplied by for the speed it
// would serve the request at: its fast-mode multiplier when the request
// asks for fast output and dep's model has fast mode; 1 otherwise.
func servedSpeed(dep *Deployment, f *Features) float64 {
	if f.Speed == llm.SpeedFast {
		return dep.SpeedFactor(string(llm.SpeedFast))
	}
	return 1
}

// tierNote is the note of a max_cost rejection of dep: the tier its
// estimate was priced at, "" for the standard one.
func (d *decision) tierNote(dep *Deployment) string {
	t, _ := servedTier(dep, d.in.Features.ServiceTier)
	return string(t)
}

// ServiceTierOf is the service tier the plan's request would be served
// and priced on by candidate c (its TierCostUSD) when that is not the
// standard one: the tier the request asks for (Features.ServiceTier; fast
// is priority), where c's deployment is sent the tier and prices it; ""
// otherwise.
func (p *Plan) ServiceTierOf(c *Candidate) llm.ServiceTier {
	t, _ := servedTier(c.Deployment, p.Explanation.Features.ServiceTier)
	return t
}
