package gateway

import (
	"time"

	"switchyard/config"
	"switchyard/dispatch"
	"switchyard/health"
	"switchyard/llm"
	"switchyard/route"
)

// HealthConfig maps the configuration onto the health tracker's.
func HealthConfig(h config.Health) health.Config {
	return health.Config{
		Window: h.Window, MinRequests: h.MinRequests, FailureRatio: h.FailureRatio,
		ConsecutiveFailures: h.ConsecutiveFailures, OpenFor: h.OpenFor,
		HalfOpenProbes: h.Probes, ProbeSuccesses: h.ProbeSuccesses,
		SpikeFactor: h.SpikeFactor, SpikeCount: h.SpikeCount, SpikeWindow: h.SpikeWindow,
		ProbeInterval: h.ProbeInterval, RecoverProbes: h.RecoverProbes,
	}
}

// dispatchOptions maps the configuration onto the dispatcher's.
func dispatchOptions(r config.Resilience, tr *health.Tracker) dispatch.Options {
	o := dispatch.Options{Health: tr, BaseBackoff: r.Backoff, MaxBackoff: r.BackoffMax, StallTimeout: r.StallTimeout}
	if r.Retries != nil {
		o.MaxRetries = *r.Retries
		if o.MaxRetries == 0 {
			o.MaxRetries = -1 // dispatch: negative means none
		}
	}
	return o
}

// healthView is the policy's health input: nil (all healthy, no
// allocation) unless some deployment's breaker is not closed, it is
// demoted, it is in a rate limit window, or an output limit was learned
// from its refusal (health.OutputLimit; kept only while the deployment
// serves the model that refused, so a reload that changes its model
// drops it).
func (g *Gateway) healthView() route.Health {
	if g.health == nil || !g.health.Degraded() && !g.health.FlexDegraded() && !g.health.FastDegraded() && !g.health.OutputLimited() {
		return nil
	}
	h := route.Health{}
	for _, t := range g.targets {
		st := g.health.Status(t.Deployment.Name)
		learned := st.OutputLimit
		if learned.Model != t.Deployment.Model {
			learned = health.OutputLimit{}
		}
		if st.Breaker == health.Closed && !st.Demoted && st.RateLimitedUntil.IsZero() && st.FlexUnavailableUntil.IsZero() &&
			st.FastUnavailableUntil.IsZero() && learned.Tokens == 0 {
			continue
		}
		h[t.Deployment.Name] = route.Status{
			Unavailable: !st.Available, RetryIn: st.RetryIn, Demoted: st.Demoted, Reason: st.Reason,
			RateLimitedUntil: st.RateLimitedUntil, FlexUnavailableUntil: st.FlexUnavailableUntil,
			FastUnavailableUntil: st.FastUnavailableUntil, MaxOutputLearned: learned.Tokens, MaxOutputLearnedAt: learned.At,
		}
	}
	return h
}

// dispatchPlan turns the policy's plan for req into the dispatcher's. A
// demoted candidate due for a recovery probe is moved to the front, so
// probes happen even though the policy ranks it last. A flex request's
// candidates that take the tier get no first-token timeout of their own
// unless the route or the caller set one (flexTimeouts).
func (g *Gateway) dispatchPlan(plan *route.Plan, req *llm.Request) *dispatch.Plan {
	dp := &dispatch.Plan{Tiers: make([]dispatch.Tier, len(plan.Tiers)), Pinned: plan.Pinned}
	for i := range plan.Tiers {
		cands := plan.Tiers[i].Candidates
		ts := make([]*dispatch.Target, len(cands))
		for j := range cands {
			ts[j] = g.dtargets[cands[j].Deployment.Index]
			if cands[j].Clamps { // route.Candidate.Clamps: alike for all but the pin
				dp.LowerPinned = dp.LowerPinned || cands[j].Pinned
				dp.LowerMaxTokens = dp.LowerMaxTokens || !cands[j].Pinned
			}
			if cands[j].Demoted && dp.LatencyProbe == "" && g.health != nil && g.health.ClaimLatencyProbe(cands[j].Deployment.Name) {
				dp.LatencyProbe = cands[j].Deployment.Name
			}
		}
		dp.Tiers[i] = dispatch.Tier{Targets: ts, TTFTTimeout: plan.Tiers[i].TTFTTimeout, MaxTokens: clampedMaxTokens(cands), DropHosted: droppedHosted(cands)}
		if !plan.Tiers[i].TTFTExplicit {
			dp.Tiers[i].TTFTTimeouts = g.ttftTimeouts(cands, plan.Tiers[i].TTFTTimeout)
			if req.ServiceTier == llm.TierFlex {
				g.flexTimeouts(cands, dp.Tiers[i].TTFTTimeouts)
			}
		}
	}
	dp.PromptTokens = plan.Explanation.Features.PromptTokens
	if dp.LatencyProbe != "" {
		probeFirst(dp)
	}
	dp.Resume = plan.Route != "" && !g.noResume[plan.Route]
	dp.RefusalFallback = g.refusalFallback[plan.Route]
	if h, ok := g.hedges[plan.Route]; ok {
		dp.HedgeAfter, dp.HedgeQuantile = h.After, h.Quantile
	}
	return dp
}

// droppedHosted is the dispatcher's Tier.DropHosted for cands: the
// optional hosted tools each one is sent without
// (route.Candidate.DroppedHosted); nil, allocating nothing, when none is.
func droppedHosted(cands []route.Candidate) []llm.HostedKinds {
	var out []llm.HostedKinds
	for j := range cands {
		if k := cands[j].DroppedHosted; k != 0 {
			if out == nil {
				out = make([]llm.HostedKinds, len(cands))
			}
			out[j] = k
		}
	}
	return out
}

// clampedMaxTokens is the dispatcher's Tier.MaxTokens for cands: each
// one's lowered max_tokens (route.Candidate.MaxTokens); nil, allocating
// nothing, when none is lowered.
func clampedMaxTokens(cands []route.Candidate) []int {
	var out []int
	for j := range cands {
		if n := cands[j].MaxTokens; n > 0 {
			if out == nil {
				out = make([]int, len(cands))
			}
			out[j] = n
		}
	}
	return out
}

// flexTimeouts lifts the first-token timeout of the candidates that take
// a flex request's tier (the provider is sent service_tier): OpenAI queues
// flex requests, so their first token may come minutes later, and a
// derived timeout would fail them over to a standard-priced deployment.
// They wait as long as the request's deadline (the route's
// latency_budget.total, else server.request_timeout) allows; a 429
// resource_unavailable still fails over at once. Claude has no flex (it
// is sent standard_only): its candidates keep their timeout.
func (g *Gateway) flexTimeouts(cands []route.Candidate, timeouts []time.Duration) {
	for j := range cands {
		if t := g.targets[cands[j].Deployment.Index]; t.ServiceTier && t.Kind != config.KindAnthropic {
			timeouts[j] = -1 // none: dispatch.Tier
		}
	}
}

// probeFirst moves the probed target to the front of the first tier,
// with what the plan says of it per target: its lowered max_tokens and
// its first-token timeout (its own tier's when it had none of its own,
// so that moving does not change it).
func probeFirst(dp *dispatch.Plan) {
	for i := range dp.Tiers {
		for j, t := range dp.Tiers[i].Targets {
			if t.Deployment.Name != dp.LatencyProbe {
				continue
			}
			if i == 0 && j == 0 {
				return
			}
			src := &dp.Tiers[i]
			var n int
			var ttft time.Duration
			n, src.MaxTokens = takeAt(src.MaxTokens, j)
			ttft, src.TTFTTimeouts = takeAt(src.TTFTTimeouts, j)
			if ttft == 0 && i > 0 && src.TTFTTimeout != dp.Tiers[0].TTFTTimeout {
				ttft = src.TTFTTimeout
				if ttft == 0 {
					ttft = -1 // none, as in its tier
				}
			}
			src.Targets = append(src.Targets[:j:j], src.Targets[j+1:]...)
			first := &dp.Tiers[0]
			first.MaxTokens = putFront(first.MaxTokens, n, len(first.Targets))
			first.TTFTTimeouts = putFront(first.TTFTTimeouts, ttft, len(first.Targets))
			first.Targets = append([]*dispatch.Target{t}, first.Targets...)
			return
		}
	}
}

// takeAt returns s[j] (zero when s is shorter) and a copy of s without it.
func takeAt[T any](s []T, j int) (T, []T) {
	var v T
	if j >= len(s) {
		return v, s
	}
	return s[j], append(s[:j:j], s[j+1:]...)
}

// putFront returns a copy of s, zeros added up to n long, with v in
// front; nil when s is nil and v zero (nothing to say of any target).
func putFront[T comparable](s []T, v T, n int) []T {
	var zero T
	if s == nil && v == zero {
		return nil
	}
	out := make([]T, 1, n+1)
	out[0] = v
	out = append(out, s...)
	for len(out) < n+1 {
		out = append(out, zero)
	}
	return out
}

// deploymentTTFT is what a deployment's first-token timeout derives from.
type deploymentTTFT struct {
	own      time.Duration // deployments.X.ttft_timeout
	declared time.Duration // deployments.X.latency.ttft
	// firstByte is deployments.X.first_byte_timeout.
	firstByte config.FirstByteTimeouts
}

// ttftTimeouts returns each candidate's first-token timeout when the
// route and the caller set none explicitly: its own ttft_timeout if
// configured, else the largest of the tier's default, twice its declared
// time to first token, and twice its observed p95 (capped at
// maxObservedFactor times the tier's default, so a deployment that keeps
// slowing cannot keep raising its own timeout).
func (g *Gateway) ttftTimeouts(cands []route.Candidate, tier time.Duration) []time.Duration {
	out := make([]time.Duration, len(cands))
	for j := range cands {
		out[j] = g.ownTTFT(cands[j].Deployment.Index, cands[j].Deployment.Name, tier)
	}
	return out
}

// ownTTFT is the first-token timeout of deployment i, named dep, in a
// tier whose default is tier, when the route and the caller set none
// explicitly (ttftTimeouts).
func (g *Gateway) ownTTFT(i int, dep string, tier time.Duration) time.Duration {
	dt := g.ttft[i]
	if dt.own > 0 {
		return dt.own
	}
	t := max(tier, 2*dt.declared)
	if g.health != nil {
		if p95 := g.health.TTFTQuantile(dep, 0.95); p95 > 0 {
			t = max(t, min(2*p95, maxObservedFactor*tier))
		}
	}
	return t
}

// maxObservedFactor caps a timeout derived from observed latency, in
// multiples of the tier's default timeout.
const maxObservedFactor = 8

// explainTimeouts notes in plan, for the dry run's explanation, each
// candidate's first-token timeout where it differs from its tier's: its
// own or derived one (unless the tier's is explicit), with the prompt's
// allowance, as the dispatcher will apply it. An allowance under a tenth
// of the tier's timeout alone is not noted.
func (g *Gateway) explainTimeouts(plan *route.Plan) {
	prompt := plan.Explanation.Features.PromptTokens
	for i := range plan.Tiers {
		tier := &plan.Tiers[i]
		var own []time.Duration
		if !tier.TTFTExplicit {
			own = g.ttftTimeouts(tier.Candidates, tier.TTFTTimeout)
		}
		for j := range tier.Candidates {
			base := tier.TTFTTimeout
			if j < len(own) && own[j] > 0 {
				base = own[j]
			}
			t := g.dispatcher.TTFTTimeout(g.dtargets[tier.Candidates[j].Deployment.Index], base, prompt)
			if base != tier.TTFTTimeout || t-base >= tier.TTFTTimeout/10 { // not a small prompt's few ms
				tier.Candidates[j].TTFTTimeout = t
			}
		}
	}
}
