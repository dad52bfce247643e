package logreplay

import (
	"fmt"
	"slices"
	"strconv"
)

// Policy is a routing policy to value on the log: for a logged decision,
// the probability it would have put each candidate first.
type Policy interface {
	// Name names the policy in reports ("always gpt-4o", "static",
	// "adaptive λ=0.5").
	Name() string
	// Probs writes into out (as long as d.Arms) the policy's probability
	// of putting each of d's candidates first; they sum to 1.
	Probs(d *Decision, out []float64)
}

// Always is the policy that puts one deployment first whenever it is
// among the candidates the scorer chose among, and the static scorer's
// first otherwise.
type Always string

// Name returns "always <deployment>".
func (a Always) Name() string { return "always " + string(a) }

// Probs puts all the probability on the deployment, or on the static
// first when it is not a candidate.
func (a Always) Probs(d *Decision, out []float64) {
	clear(out)
	i := slices.Index(d.Deployments, string(a))
	out[max(i, 0)] = 1
}

// Available reports whether the deployment was among d's candidates.
func (a Always) Available(d *Decision) bool { return slices.Contains(d.Deployments, string(a)) }

// Static is the static scorer: the route's strategy order, without what
// the bandit learned.
type Static struct{}

// Name returns "static".
func (Static) Name() string { return "static" }

// Probs puts all the probability on the static order's first.
func (Static) Probs(_ *Decision, out []float64) {
	clear(out)
	out[0] = 1
}

// AsLogged is Adaptive.Explore's value meaning each decision's own
// recorded exploration share.
const AsLogged = -1.0

// Adaptive is the adaptive scorer at another trade-off: it re-decides
// each logged request from the candidates' estimates as the log recorded
// them (the bandit's state when the request came, not as it is now), at
// λ = Lambda, exploring with probability Explore (AsLogged: the route's
// recorded share; 0: greedy only).
type Adaptive struct {
	Lambda, Explore float64
}

// Name returns "adaptive λ=<lambda>", with " ε=<explore>" when Explore is
// not AsLogged.
func (a Adaptive) Name() string {
	n := "adaptive λ=" + strconv.FormatFloat(a.Lambda, 'g', -1, 64)
	if a.Explore != AsLogged {
		n += fmt.Sprintf(" ε=%s", strconv.FormatFloat(a.Explore, 'g', -1, 64))
	}
	return n
}

// Probs is the probability the adaptive scorer would have given each
// candidate: (1−ε) for the greedy one at λ, plus ε times its probability
// of winning the Thompson draw (normalized over the candidates).
func (a Adaptive) Probs(d *Decision, out []float64) {
	explore := a.Explore
	if explore == AsLogged {
		explore = d.Explore
	}
	adaptiveProbs(d.Arms, a.Lambda, explore, true, out)
}
