package route

import (
	"switchyard/config"
	"switchyard/llm"
)

// maxRules bounds the rules of one route (the matched set is a bit mask);
// config validation enforces it.
const maxRules = config.MaxRules

// decision is the working state of one Plan call.
type decision struct {
	p       *Policy
	in      *Input
	r       *compiledRoute
	ps      *policySet
	hint    *semanticCat // the semantic category x-switchyard-category names, if it names one
	cat     int          // the trusted category's index, -1 for none
	matched uint64       // bit i: rule i matched
	require capMask
	out     int // expected output tokens
	plan    *Plan
	// splitShare is the split pick's probability: its weight over the
	// healthy survivors' total.
	splitShare float64
	// predicted are the input's predictions when they apply to the route;
	// nil otherwise.
	predicted *Predictions
}

// ranked is a surviving candidate with its sort keys.
type ranked struct {
	c        Candidate
	rulePref int // position in the matched rules' prefer lists; noPref if absent
	catPref  int // position in the policy's prefer list; noPref if absent
	order    int // position in the acceptable set
}

const noPref = 1 << 30

// Plan decides where the request goes. It returns an *llm.Error when the
// model is unknown (404), an override is invalid or not allowed (400,
// 403), the request cannot be served by any acceptable deployment (400
// for what the request carries, 422 for a ceiling, 503 when health
// excludes them). Plan is pure: the same Input gives the same Plan.
//
// When the route was found but no deployment may serve (a pin it refuses,
// no candidate left), Plan returns the partial plan with the error: the
// route, the classification and the rejections, with no tiers, so the
// refusal can be recorded and explained. Otherwise an error comes with a
// nil plan.
func (p *Policy) Plan(in *Input) (*Plan, error) {
	d := decision{p: p, in: in, cat: -1, plan: &Plan{Propensity: 1}}
	pin, inRoute, err := d.resolve()
	if err == nil {
		err = d.resolveHint()
	}
	if err != nil {
		return nil, err
	}
	d.usePredictions()
	d.choosePolicy()
	var buf [32]ranked
	cands := buf[:0]
	if pin != nil {
		c, rej, ok := d.check(pin, true, inRoute)
		switch {
		case ok:
			cands = append(cands, ranked{c: c, rulePref: -1, catPref: noPref})
		case rej.Reason != ReasonUnavailable:
			d.reject(rej)
			return d.plan, d.pinError(pin, &rej)
		default:
			d.reject(rej)
		}
	}
	if d.r != nil && (pin == nil || !in.Overrides.NoFallback) {
		cands = d.candidates(cands, pin)
	}
	if len(cands) == 0 {
		return d.plan, d.noCandidates(pin)
	}
	d.rank(cands)
	if cands[0].c.Split {
		d.plan.Propensity = d.splitShare
	}
	d.probePropensity(cands)
	d.adapt(cands)
	d.tiers(cands, pin != nil && cands[0].c.Pinned)
	return d.plan, nil
}

// resolve finds the route and the pinned deployment, if any, and checks
// that the caller may use the overrides it sent.
func (d *decision) resolve() (pin *Deployment, inRoute bool, err error) {
	in, ov, p := d.in, &d.in.Overrides, d.p
	if err := checkAllowed(ov); err != nil {
		return nil, false, err
	}
	route, isRoute := p.routes[in.Model]
	switch {
	case ov.Model != "":
		if pin = p.byName[ov.Model]; pin == nil {
			return nil, false, p.unknownPin(ov.Model)
		}
		if isRoute {
			d.r, inRoute = route, true
		} else {
			d.r = p.home[pin.Index]
		}
	case isRoute:
		d.r = route
	default:
		if pin = p.byName[in.Model]; pin == nil {
			return nil, false, p.UnknownModel(in.Model)
		}
		if ov.Allowed&AllowPin == 0 {
			return nil, false, pinNotAllowed(pin.Name)
		}
		d.r = p.home[pin.Index]
	}
	if pin != nil {
		d.plan.Pinned = pin.Name
		d.plan.Explanation.Pinned = pin.Name
	}
	d.plan.Explanation.Alias = in.Alias
	if d.r != nil {
		d.plan.Route = d.r.name
	}
	return pin, inRoute, nil
}

// choosePolicy settles the category, the policy, the matched rules and
// the limits.
func (d *decision) choosePolicy() {
	in, e := d.in, &d.plan.Explanation
	e.Features = in.Features
	e.Scorer = d.p.scorer.Name()
	e.NoFallback = in.Overrides.NoFallback
	sem := d.semanticMatch()
	cat, src := in.Features.Category, "classifier"
	switch {
	case d.hint != nil: // its set applies below; its category, if it maps onto one
		sem = d.hint
		if sem.cat != "" {
			cat, src = sem.cat, "hint"
		}
	case in.Overrides.Category != "":
		cat, src = in.Overrides.Category, "hint"
	case sem != nil && sem.cat != "":
		cat, src = sem.cat, "semantic"
	}
	e.Category, e.CategorySource = cat, src
	d.ps = emptyPolicy
	if d.r != nil {
		e.Route, e.Description = d.r.name, d.r.description
		d.ps = d.r.def
		if src == "classifier" && in.Features.Confidence < d.r.minConfidence {
			e.CategorySource = "low_confidence"
		} else if d.cat = catIndex(cat); d.cat >= 0 && d.r.cats[d.cat] != nil {
			d.ps = d.r.cats[d.cat]
		}
		if sem != nil && sem.ps != nil {
			d.ps = sem.ps
		}
		d.noteSemantic()
	}
	e.Policy = d.ps.name
	strategy := d.ps.strategy
	d.require = d.ps.require
	if d.r != nil {
		var fromRule config.Strategy
		for i := range d.r.rules {
			rule := &d.r.rules[i]
			if i >= maxRules || !rule.matches(&in.Features, d.cat) {
				continue
			}
			d.matched |= 1 << i
			e.Rules = append(e.Rules, rule.name)
			if fromRule == "" {
				fromRule = rule.strategy
			}
		}
		if fromRule != "" {
			strategy = fromRule
		}
	}
	e.Strategy = strategy
	d.out = d.expectedOutput(cat)
	d.limits()
}

// emptyPolicy applies to a pinned deployment that has no route to fall
// back to.
var emptyPolicy = &policySet{name: "none", strategy: config.StrategyOrdered}

func (d *decision) expectedOutput(cat llm.Category) int {
	switch {
	case d.in.Features.MaxTokens > 0:
		return d.in.Features.MaxTokens
	case d.ps.expectedOut > 0:
		return d.ps.expectedOut
	}
	if i := catIndex(cat); i >= 0 {
		return defaultOutputTokens[i]
	}
	return fallbackOutputTokens
}

func (d *decision) limits() {
	ps, ov := d.ps, &d.in.Overrides
	d.plan.Explanation.Limits = Limits{
		MaxInputPricePerM: ps.maxPrice.Input, MaxOutputPricePerM: ps.maxPrice.Output,
		MaxCostPerRequest: ps.maxCost, CallerMaxCostUSD: ov.MaxCostUSD,
		TTFTBudgetMS: ps.budget.TTFT.Milliseconds(), TotalBudgetMS: ps.budget.Total.Milliseconds(),
		CallerBudgetMS: ov.LatencyBudget.Milliseconds(), ExpectedOutputTokens: d.out,
	}
	deadline := ps.budget.Total
	if b := ov.LatencyBudget; b > 0 && (deadline == 0 || b < deadline) {
		deadline = b
	}
	d.plan.Deadline = deadline
}

// candidates checks the policy's acceptable set (less the pin) and
// appends the survivors to cands.
func (d *decision) candidates(cands []ranked, pin *Deployment) []ranked {
	for pos, idx := range d.ps.acceptable {
		dep := d.p.deps[idx]
		if dep == pin {
			continue
		}
		c, rej, ok := d.check(dep, false, false)
		if !ok {
			d.reject(rej)
			continue
		}
		cands = append(cands, ranked{c: c, rulePref: d.rulePref(idx), catPref: indexOf(d.ps.prefer, idx), order: pos})
	}
	cands = d.preferForcing(cands)
	cands = d.preferFullOutput(cands)
	d.split(cands)
	return cands
}

func (d *decision) reject(r Rejection) {
	e := &d.plan.Explanation
	if e.Rejected == nil {
		e.Rejected = make([]Rejection, 0, len(d.ps.acceptable)+1)
	}
	e.Rejected = append(e.Rejected, r)
}

// rulePref is dep's position in the matched rules' prefer lists, taken in
// rule order, or noPref.
func (d *decision) rulePref(dep int) int {
	n := 0
	for i := range d.r.rules {
		if d.matched&(1<<i) == 0 {
			continue
		}
		for _, x := range d.r.rules[i].prefer {
			if x == dep {
				return n
			}
			n++
		}
	}
	return noPref
}

func indexOf(s []int, v int) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return noPref
}
