package route

import "switchyard/llm"

// RouteDemotions are demotions confined to routes, made by the quality
// monitor of live traffic (package drift), which sees a deployment change
// on one route's traffic: route → deployment → category → the reason,
// the category AllCategories standing for every one. Like Demotions, a
// snapshot the caller hands in; a route, deployment or category that is
// absent (or a nil map) is not demoted. A demoted candidate ranks after
// every one that is not, unless the request is one of the probe share
// (Input.DemotionProbe) that waives it.
type RouteDemotions map[string]map[string]map[llm.Category]string

// reason returns why dep is demoted on route for category c, or "".
func (rd RouteDemotions) reason(route, dep string, c llm.Category) string {
	return Demotions(rd[route]).reason(dep, c)
}

// probeSalt separates the probe's draw from the split's, which reads the
// same seed.
const probeSalt = 0x5851f42d4c957f2d

// probed reports whether the request waives route demotions: its seed's
// draw falls in the probe share.
func (d *decision) probed() bool {
	p := d.in.DemotionProbe
	return p > 0 && float64(mix(d.in.Seed^probeSalt)>>11)/(1<<53) < p
}

// routeDemotion marks c demoted on the plan's route, or probed when the
// request waives the demotion.
func (d *decision) routeDemotion(c *Candidate) {
	if d.in.RouteDemotions == nil || d.plan.Route == "" {
		return
	}
	why := d.in.RouteDemotions.reason(d.plan.Route, c.Deployment.Name, d.plan.Explanation.Category)
	switch {
	case why == "":
	case d.probed():
		c.QualityProbe = true
	default:
		c.QualityDemoted = why
	}
}

// probePropensity multiplies the plan's propensity by the probability of
// the probe's draw where the draw decided the first candidate: the probe
// share when the first is a probed candidate the others would otherwise
// have come before, one less the share when a candidate demoted on the
// route would otherwise have come first.
func (d *decision) probePropensity(cands []ranked) {
	p := d.in.DemotionProbe
	if p <= 0 || d.in.RouteDemotions == nil || len(cands) < 2 || cands[0].c.Pinned {
		return
	}
	first := cands[0]
	if first.c.QualityProbe {
		alt := first
		alt.c.QualityDemoted = "demoted"
		if d.before(&cands[1], &alt) {
			d.plan.Propensity *= p
		}
		return
	}
	for i := 1; i < len(cands); i++ {
		c := cands[i]
		if c.c.QualityDemoted == "" || c.c.Demoted || !c.c.RateLimitedUntil.IsZero() ||
			d.in.Demotions.reason(c.c.Deployment.Name, d.plan.Explanation.Category) != "" {
			continue // not demoted, or demoted by more than the route's demotion
		}
		c.c.QualityDemoted = ""
		if d.before(&c, &first) {
			d.plan.Propensity *= 1 - p
			return
		}
	}
}

// Acceptable returns the deployments route may choose for a request of
// category c, in the policy's order: the category's acceptable set, or
// the route's when the category has no policy of its own (rules and
// semantic categories may narrow it further per request). It returns nil
// for an unknown route.
func (p *Policy) Acceptable(route string, c llm.Category) []*Deployment {
	r := p.routes[route]
	if r == nil {
		return nil
	}
	ps := r.def
	if i := catIndex(c); i >= 0 && r.cats[i] != nil {
		ps = r.cats[i]
	}
	out := make([]*Deployment, len(ps.acceptable))
	for i, dep := range ps.acceptable {
		out[i] = p.deps[dep]
	}
	return out
}

// Demotions are deployments demoted for some categories by quality
// monitoring (package drift): deployment → category → the reason, the
// category AllCategories standing for every one. Like Health, a snapshot
// the caller hands in; a deployment that is absent (or a nil map) is not
// demoted. A demoted candidate ranks after every one that is not, as a
// health-demoted one does; a pin still goes first.
type Demotions map[string]map[llm.Category]string

// AllCategories is the Demotions key of a demotion for every category.
const AllCategories llm.Category = "*"

// reason returns why dep is demoted for category c, or "".
func (ds Demotions) reason(dep string, c llm.Category) string {
	cats := ds[dep]
	if cats == nil {
		return ""
	}
	if r, ok := cats[c]; ok && c != "" {
		return r
	}
	return cats[AllCategories]
}
