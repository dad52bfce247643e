// Package logreplay estimates, from a route's own request log, how other
// routing policies would have done: always one deployment, the static
// scorer, the adaptive scorer at other trade-offs λ. Each logged request
// is a decision the adaptive scorer made among a group of candidates,
// with the probability (propensity) its choice had; the feedback the
// answer got is its reward and what it cost is its cost. A policy is
// valued by inverse-propensity weighting (IPS) and its self-normalized
// form (SNIPS), with confidence intervals, the effective sample size,
// weight clipping and a support diagnostic. See docs/learning.md ("Log
// replay").
//
// Evaluate and the policies are pure (no I/O, no clock, the same result
// for the same input); Load reads a request store into Decisions.
package logreplay

import (
	"math"

	"switchyard/learn/bandit"
)

// Decision is one logged choice of the adaptive scorer: the candidates it
// chose among, which one it put first and with what probability, and
// what came of it.
type Decision struct {
	// Deployments and Arms are the candidates in the static order (index
	// 0 is the static scorer's first), each arm as the scorer saw it: its
	// posterior of p(good) as recorded, its normalized cost, and whether
	// it had min_outcomes outcomes. Both have the same length, at least 1.
	Deployments []string
	Arms        []bandit.Arm
	// Chosen is the index of the candidate the plan put first; Propensity
	// the probability it had of being first, as recorded (in (0, 1]).
	Chosen     int
	Propensity float64
	// Lambda and Explore are the route's settings when it decided.
	Lambda, Explore float64
	// Reward in [0, 1] is the answer's reward; Rated reports that it has
	// one (a request without feedback may count or not, see Unrated).
	Reward float64
	Rated  bool
	// CostUSD is what the request cost: every billed attempt, plus the
	// retries and regenerations of its answer and the correction cost a
	// rating reported.
	CostUSD float64
}

// LoggingProbs writes into out (as long as d.Arms) the probability the
// logging policy had of putting each candidate first, rebuilt from the
// recorded arms as bandit.Decide computes it: (1−ε)·1[greedy] + ε·P_TS.
// The chosen candidate's is its recorded propensity.
func (d *Decision) LoggingProbs(out []float64) {
	adaptiveProbs(d.Arms, d.Lambda, d.Explore, false, out)
	out[d.Chosen] = d.Propensity
}

// adaptiveProbs writes the adaptive scorer's probability of putting each
// arm first at lambda and explore into out: the greedy arm's 1−explore
// plus, for each arm, explore times its Thompson win probability
// (normalized to sum to 1 when normalize is set; bandit.Decide does not).
// While an arm is unlearned, the exploration branch goes to the unlearned
// arm with the fewest outcomes, as bandit.Decide does (bandit.ExploreProb).
func adaptiveProbs(arms []bandit.Arm, lambda, explore float64, normalize bool, out []float64) {
	if len(arms) == 1 {
		out[0] = 1
		return
	}
	var order [bandit.MaxArms]int
	bandit.Greedy(arms, lambda, order[:len(arms)])
	switch {
	case !allLearned(arms):
		for i := range arms {
			out[i] = bandit.ExploreProb(arms, lambda, i)
		}
	case normalize:
		bandit.WinProbs(arms, lambda, out)
	default:
		for i := range arms {
			out[i] = bandit.WinProb(arms, lambda, i)
		}
	}
	for i := range arms {
		out[i] *= explore
	}
	out[order[0]] += 1 - explore
}

// allLearned reports whether every arm has min_outcomes outcomes.
func allLearned(arms []bandit.Arm) bool {
	for i := range arms {
		if !arms[i].Learned {
			return false
		}
	}
	return true
}

// armOf rebuilds a recorded candidate's arm from its posterior mean and
// the half-width of its 95% interval: a Beta(α, β) has variance
// m(1−m)/(α+β+1). It reports false when they describe no Beta
// distribution.
func armOf(pGood, ci95, cost, outcomes float64, learned bool) (bandit.Arm, bool) {
	sd := ci95 / z95
	if !(pGood > 0 && pGood < 1 && sd > 0) || math.IsInf(sd, 0) {
		return bandit.Arm{}, false
	}
	n := pGood*(1-pGood)/(sd*sd) - 1
	if !(n > 0) || math.IsInf(n, 0) {
		return bandit.Arm{}, false
	}
	return bandit.Arm{Alpha: pGood * n, Beta: (1 - pGood) * n, Cost: cost, Outcomes: outcomes, Learned: learned}, true
}

// z95 is the normal quantile of a two-sided 95% interval.
const z95 = 1.959963984540054
