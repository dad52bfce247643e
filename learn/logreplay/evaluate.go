package logreplay

import (
	"fmt"
	"runtime"
	"sync"

	"switchyard/learn/bandit"
)

// Evaluation is the value of the logged policy and of each other policy
// on one set of decisions.
type Evaluation struct {
	// Decisions counts the logged decisions; Rated those with a reward.
	// Costs rest on every decision, rewards on the rated ones.
	Decisions int `json:"decisions"`
	Rated     int `json:"rated"`
	// Logged is the logging policy's own value.
	Logged Logged `json:"logged"`
	// Policies are in the order Evaluate was given them.
	Policies []PolicyResult `json:"policies"`
}

// Logged is what the logged policy did: the plain means of the rewards
// and costs, with their 95% intervals; nil with fewer than 2 values.
type Logged struct {
	Reward *Interval `json:"reward"`
	Cost   *Interval `json:"cost_usd"`
}

// PolicyResult is the estimated value of one policy.
type PolicyResult struct {
	Policy string `json:"policy"`
	// Reward is its mean reward per rated request; Cost its mean cost in
	// US dollars per request.
	Reward Estimate `json:"reward"`
	Cost   Estimate `json:"cost_usd"`
	// MeanWeight is the mean importance weight before clipping: near 1
	// when the propensities are right and the policy has full support.
	MeanWeight float64 `json:"mean_weight"`
	// Clipped is the share of decisions whose weight was cut to the clip;
	// ClippedWeight the share of the total weight that was cut off.
	Clipped       float64 `json:"clipped"`
	ClippedWeight float64 `json:"clipped_weight"`
	// Unsupported is the share of the policy's choices the log cannot
	// value: a candidate the policy would put first with probability π
	// while the logged policy did with μ, π > clip·μ (never, or too
	// rarely for the weight to stay under the clip).
	Unsupported float64 `json:"unsupported"`
	// Available, for an Always policy, is the share of decisions that had
	// its deployment among the candidates (elsewhere it takes the static
	// first); nil for the others.
	Available *float64 `json:"available,omitempty"`
	// Warnings say why the estimates may not be trusted; nil when none.
	Warnings []string `json:"warnings,omitempty"`
}

// Evaluate values the logged policy and each of policies on ds. It is
// pure and deterministic (the bootstrap draws from o.Seed).
func Evaluate(ds []Decision, policies []Policy, o Options) Evaluation {
	o = o.withDefaults()
	rated := ratedIndexes(ds)
	ev := Evaluation{Decisions: len(ds), Rated: len(rated), Policies: make([]PolicyResult, len(policies))}
	rewards, costs := make([]float64, len(rated)), make([]float64, len(ds))
	for j, i := range rated {
		rewards[j] = ds[i].Reward
	}
	for i := range ds {
		costs[i] = ds[i].CostUSD
	}
	ones := make([]float64, len(ds))
	for i := range ones {
		ones[i] = 1
	}
	ev.Logged = Logged{Reward: deltaEstimate(pick(ones, rated), rewards).IPS, Cost: deltaEstimate(ones, costs).IPS}
	logging := loggingProbs(ds)
	weights := make([][]float64, len(policies))
	// The policies are weighed in parallel (the adaptive ones' Thompson
	// probabilities take about a microsecond per request), each into its
	// own slot: the result does not depend on the scheduling.
	var wg sync.WaitGroup
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for k, p := range policies {
		slots <- struct{}{}
		wg.Go(func() {
			defer func() { <-slots }()
			r, w := weigh(ds, logging, p, o.Clip)
			r.Reward = deltaEstimate(pick(w, rated), rewards)
			r.Cost = deltaEstimate(w, costs)
			ev.Policies[k], weights[k] = r, w
		})
	}
	wg.Wait()
	if o.Bootstrap > 0 {
		bootstrapIntervals(&ev, ds, rated, weights, o)
	}
	for k := range ev.Policies {
		ev.Policies[k].Warnings = warnings(&ev.Policies[k], o)
	}
	return ev
}

// loggingProbs returns every decision's LoggingProbs, one after the
// other (decision i's start at the sum of the earlier ones' arms).
func loggingProbs(ds []Decision) []float64 {
	n := 0
	for i := range ds {
		n += len(ds[i].Arms)
	}
	out := make([]float64, n)
	at := 0
	for i := range ds {
		k := len(ds[i].Arms)
		ds[i].LoggingProbs(out[at : at+k])
		at += k
	}
	return out
}

// weigh returns each decision's importance weight under p, clipped, and
// p's diagnostics; logging is loggingProbs(ds).
func weigh(ds []Decision, logging []float64, p Policy, clip float64) (PolicyResult, []float64) {
	var probs [bandit.MaxArms]float64
	w := make([]float64, len(ds))
	var raw, kept, unsupported float64
	var clipped, available, at int
	av, hasAvailable := p.(interface{ Available(*Decision) bool })
	for i := range ds {
		d := &ds[i]
		k := len(d.Arms)
		p.Probs(d, probs[:k])
		mu := logging[at : at+k]
		at += k
		for a := range k {
			if probs[a] > clip*mu[a] {
				unsupported += probs[a]
			}
		}
		x := probs[d.Chosen] / d.Propensity
		raw += x
		if x > clip {
			x = clip
			clipped++
		}
		kept += x
		w[i] = x
		if hasAvailable && av.Available(d) {
			available++
		}
	}
	r := PolicyResult{Policy: p.Name()}
	if n := float64(len(ds)); n > 0 {
		r.MeanWeight, r.Clipped, r.Unsupported = raw/n, float64(clipped)/n, unsupported/n
		if hasAvailable {
			a := float64(available) / n
			r.Available = &a
		}
	}
	if raw > 0 {
		r.ClippedWeight = (raw - kept) / raw
	}
	return r, w
}

// warnings says what makes r's estimates doubtful.
func warnings(r *PolicyResult, o Options) []string {
	var out []string
	if r.Unsupported > o.MaxUnsupported {
		out = append(out, fmt.Sprintf("no support for %.1f%% of its choices (the logged policy made them never, or over %g times "+
			"less often): IPS counts them as zero, SNIPS values only the rest", 100*r.Unsupported, o.Clip))
	}
	if r.ClippedWeight > o.MaxUnsupported {
		out = append(out, fmt.Sprintf("weights above %g cut on %.1f%% of requests (%.1f%% of the weight): the estimates are biased (IPS low)",
			o.Clip, 100*r.Clipped, 100*r.ClippedWeight))
	}
	switch {
	case r.Reward.N > 0 && r.Reward.SNIPS == nil:
		out = append(out, "no rated request chose what this policy would: no reward estimate")
	case r.Reward.N > 0 && r.Reward.ESS < o.MinESS:
		out = append(out, fmt.Sprintf("effective sample size %.1f of %d rated requests: the reward intervals are unreliable", r.Reward.ESS, r.Reward.N))
	}
	return out
}

// ratedIndexes returns the indexes of the rated decisions.
func ratedIndexes(ds []Decision) []int {
	var out []int
	for i := range ds {
		if ds[i].Rated {
			out = append(out, i)
		}
	}
	return out
}

// pick returns xs at the indexes idx.
func pick(xs []float64, idx []int) []float64 {
	out := make([]float64, len(idx))
	for j, i := range idx {
		out[j] = xs[i]
	}
	return out
}
