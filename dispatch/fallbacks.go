package dispatch

import "switchyard/llm"

// A client's refusal fallback (Anthropic's fallbacks: the models to try
// when the one asked for declines on its content policy) is a plan's
// tiers marked OnRefusal, after the route's own: they are tried only
// after a refusal was passed over — never for a failure, as the API
// retries only a policy decline — each with its own request (the
// fallback model's overrides). A refusal on a route's own candidate moves
// to the route's next candidate when the route falls back on refusals
// (Plan.RefusalFallback), else straight to the first OnRefusal tier.

// refusalNext returns the index of the step a refusal at step i moves on
// to, or 0 when it is final (no step may take it).
func (r *run) refusalNext(i int) int {
	if i < 0 || i >= len(r.steps) {
		return 0
	}
	if r.plan.RefusalFallback || r.steps[i].onRefusal {
		if i+1 < len(r.steps) {
			return i + 1
		}
		return 0
	}
	for j := i + 1; j < len(r.steps); j++ {
		if r.steps[j].onRefusal {
			return j
		}
	}
	return 0
}

// refusesOver reports whether a refusal may be passed over at all.
func (r *run) refusesOver() bool { return r.plan.RefusalFallback || r.hasRefusalTiers() }

// stepRequest is what step i's target is sent: its tier's request, else
// the run's.
func (r *run) stepRequest(i int) *llm.Request {
	if q := r.steps[i].req; q != nil {
		return q
	}
	return r.req
}

// hedgeable reports whether step i may be hedged with step i+1: both of
// the route's own tiers, or both of one fallback model's.
func (r *run) hedgeable(i int) bool {
	a, b := &r.steps[i], &r.steps[i+1]
	return a.onRefusal == b.onRefusal && a.req == b.req
}

// alike returns the steps after step i that a stream from step i may be
// resumed on: all of them, unless the plan has fallback tiers, then only
// those of step i's kind (the route's own, or the same fallback model).
func (r *run) alike(i int) []step {
	rest := r.steps[i+1:]
	if !r.hasRefusalTiers() {
		return rest
	}
	var out []step
	for _, st := range rest {
		if st.onRefusal == r.steps[i].onRefusal && st.req == r.steps[i].req {
			out = append(out, st)
		}
	}
	return out
}

// hasRefusalTiers reports whether the plan has OnRefusal tiers.
func (r *run) hasRefusalTiers() bool {
	for i := range r.steps {
		if r.steps[i].onRefusal {
			return true
		}
	}
	return false
}

// passRejection tells Plan.OnRefusalPassed of a 400 content_filter
// rejection at step r.i passed over: of the deployment served names, the
// one that refused (either member when step r.i ended a hedged pair).
func (r *run) passRejection() {
	f := r.plan.OnRefusalPassed
	if f == nil {
		return
	}
	dep := &r.steps[r.i].t.Deployment
	if dep.Name != r.served.Deployment && r.i > 0 && r.steps[r.i-1].t.Deployment.Name == r.served.Deployment {
		dep = &r.steps[r.i-1].t.Deployment
	}
	f(dep, nil)
}
