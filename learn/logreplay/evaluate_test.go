package logreplay

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"switchyard/learn/bandit"
)

// The policies the synthetic tests value: every kind, deterministic and
// stochastic.
var synthPolicies = []Policy{Static{}, Always("dear"), Always("mid"), Always("cheap"),
	Adaptive{Lambda: 0, Explore: AsLogged}, Adaptive{Lambda: 2, Explore: 0}}

// TestIPSUnbiasedOverSeeds: over 200 logs of 800 requests, the mean of
// each policy's IPS estimates lies within 3.5 standard errors of its true
// value, and the 95% intervals of IPS and SNIPS (delta method) hold the
// truth in 88-99.5% of the logs, for rewards (70% rated) and costs.
func TestIPSUnbiasedOverSeeds(t *testing.T) {
	w := newWorld(0.5) // every deployment has a logging probability of at least 7%
	const seeds, n = 200, 800
	type tally struct {
		ips        []float64
		ipsCovered int
		snCovered  int
	}
	reward := make([]tally, len(synthPolicies))
	cost := make([]tally, len(synthPolicies))
	for s := range uint64(seeds) {
		ev := Evaluate(w.sample(s, n), synthPolicies, Options{})
		for k, p := range synthPolicies {
			r := &ev.Policies[k]
			trueReward, trueCost := w.value(p)
			count(&reward[k].ips, &reward[k].ipsCovered, &reward[k].snCovered, r.Reward, trueReward)
			count(&cost[k].ips, &cost[k].ipsCovered, &cost[k].snCovered, r.Cost, trueCost)
		}
	}
	for k, p := range synthPolicies {
		trueReward, trueCost := w.value(p)
		for _, c := range []struct {
			what  string
			t     tally
			truth float64
		}{{"reward", reward[k], trueReward}, {"cost", cost[k], trueCost}} {
			mean, sd := meanSD(c.t.ips)
			if se := sd / math.Sqrt(seeds); math.Abs(mean-c.truth) > 3.5*se {
				t.Errorf("%s %s: mean IPS %.5f over %d logs, truth %.5f (standard error %.5f)", p.Name(), c.what, mean, seeds, c.truth, se)
			}
			t.Logf("%s %s: IPS mean %.5f (truth %.5f), intervals hold it in %d (IPS) and %d (SNIPS) of %d logs", p.Name(), c.what, mean, c.truth, c.t.ipsCovered, c.t.snCovered, seeds)
			for name, covered := range map[string]int{"IPS": c.t.ipsCovered, "SNIPS": c.t.snCovered} {
				if share := float64(covered) / seeds; share < 0.88 || share > 0.995 {
					t.Errorf("%s %s: the %s interval held the truth in %.0f%% of the logs", p.Name(), c.what, name, 100*share)
				}
			}
		}
	}
}

func count(ips *[]float64, ipsCovered, snCovered *int, e Estimate, truth float64) {
	*ips = append(*ips, e.IPS.Value)
	if e.IPS.Low <= truth && truth <= e.IPS.High {
		*ipsCovered++
	}
	if e.SNIPS != nil && e.SNIPS.Low <= truth && truth <= e.SNIPS.High {
		*snCovered++
	}
}

// TestLoggedPolicyValue: the logged value is the plain mean of the rated
// rewards and of every cost, and the adaptive scorer re-deciding at the
// logged settings weighs every request about 1 (it is the logged policy).
func TestLoggedPolicyValue(t *testing.T) {
	w := newWorld(0.3)
	ds := w.sample(7, 2000)
	ev := Evaluate(ds, []Policy{Adaptive{Lambda: w.lambda, Explore: AsLogged}}, Options{})
	var sumR, sumC float64
	rated := 0
	for _, d := range ds {
		sumC += d.CostUSD
		if d.Rated {
			sumR += d.Reward
			rated++
		}
	}
	if ev.Rated != rated || ev.Decisions != 2000 || math.Abs(ev.Logged.Reward.Value-sumR/float64(rated)) > 1e-12 ||
		math.Abs(ev.Logged.Cost.Value-sumC/2000) > 1e-15 {
		t.Errorf("logged %+v %+v, rated %d of %d; want reward %v cost %v", *ev.Logged.Reward, *ev.Logged.Cost, ev.Rated, ev.Decisions, sumR/float64(rated), sumC/2000)
	}
	self := ev.Policies[0]
	if math.Abs(self.MeanWeight-1) > 1e-9 || self.Unsupported != 0 || self.Clipped != 0 ||
		math.Abs(self.Reward.SNIPS.Value-ev.Logged.Reward.Value) > 1e-9 || math.Abs(self.Reward.ESS-float64(rated)) > 1e-6 {
		t.Errorf("the logged policy re-decided: %+v", self)
	}
}

// TestEstimatesByHand: four decisions whose estimates are worked out on
// paper.
func TestEstimatesByHand(t *testing.T) {
	arms := []bandit.Arm{{Alpha: 9, Beta: 1, Cost: 1, Learned: true}, {Alpha: 8, Beta: 2, Cost: 0.2, Learned: true}}
	deps := []string{"dear", "cheap"}
	ds := []Decision{
		{Deployments: deps, Arms: arms, Chosen: 1, Propensity: 0.25, Rated: true, Reward: 1, CostUSD: 0.002, Explore: 0.5},
		{Deployments: deps, Arms: arms, Chosen: 1, Propensity: 0.5, Rated: true, Reward: 0, CostUSD: 0.004, Explore: 0.5},
		{Deployments: deps, Arms: arms, Chosen: 0, Propensity: 0.75, Rated: true, Reward: 1, CostUSD: 0.010, Explore: 0.5},
		{Deployments: deps, Arms: arms, Chosen: 1, Propensity: 0.5, Rated: false, CostUSD: 0.002, Explore: 0.5},
	}
	ev := Evaluate(ds, []Policy{Always("cheap")}, Options{})
	r := ev.Policies[0]
	// Weights 4, 2, 0, 2. Rewards (three rated): IPS (4·1 + 2·0 + 0)/3,
	// SNIPS 4/6. Costs: IPS (0.008 + 0.008 + 0 + 0.004)/4, SNIPS 0.02/8.
	want := map[string][2]float64{
		"reward IPS": {r.Reward.IPS.Value, 4.0 / 3}, "reward SNIPS": {r.Reward.SNIPS.Value, 4.0 / 6},
		"cost IPS": {r.Cost.IPS.Value, 0.02 / 4}, "cost SNIPS": {r.Cost.SNIPS.Value, 0.02 / 8},
		"reward ESS": {r.Reward.ESS, 36.0 / 20}, "cost ESS": {r.Cost.ESS, 64.0 / 24},
		"mean weight": {r.MeanWeight, 2},
		// IPS terms 4, 0, 0 around 4/3: variance (64/9+16/9+16/9)/2 = 16/3,
		// half-width 1.96·√(16/3/3).
		"reward IPS half": {r.Reward.IPS.High - r.Reward.IPS.Value, z95 * math.Sqrt(16.0/9)},
		// SNIPS influence wᵢ(vᵢ − 2/3): 4/3, −4/3, 0; Σ² = 32/9; over
		// (n−1)·n = 6, then over the mean weight 2.
		"reward SNIPS half": {r.Reward.SNIPS.High - r.Reward.SNIPS.Value, z95 * math.Sqrt(32.0/9/6) / 2},
		"logged reward":     {ev.Logged.Reward.Value, 2.0 / 3},
		"logged cost":       {ev.Logged.Cost.Value, 0.018 / 4},
	}
	for name, got := range want {
		if math.Abs(got[0]-got[1]) > 1e-12 {
			t.Errorf("%s = %v, want %v", name, got[0], got[1])
		}
	}
	if *r.Available != 1 || r.Clipped != 0 || r.Unsupported != 0 {
		t.Errorf("diagnostics %+v", r)
	}
}

// TestClipping: weights above the clip are cut to it and counted; the
// estimate uses the cut weights and says so.
func TestClipping(t *testing.T) {
	arms := []bandit.Arm{{Alpha: 99, Beta: 1, Cost: 1, Learned: true}, {Alpha: 50, Beta: 50, Cost: 0.5, Learned: true}}
	deps := []string{"dear", "cheap"}
	var ds []Decision
	for i := range 100 {
		d := Decision{Deployments: deps, Arms: arms, Chosen: 0, Propensity: 0.99, Rated: true, Reward: 1, CostUSD: 0.01, Explore: 0.02}
		if i < 10 {
			d.Chosen, d.Propensity, d.Reward, d.CostUSD = 1, 0.004, 0.5, 0.005
		}
		ds = append(ds, d)
	}
	ev := Evaluate(ds, []Policy{Always("cheap")}, Options{Clip: 50})
	r := ev.Policies[0]
	// Ten weights of 250, cut to 50: 2000 of 2500 cut off.
	if r.Clipped != 0.1 || math.Abs(r.ClippedWeight-0.8) > 1e-12 || math.Abs(r.MeanWeight-25) > 1e-9 ||
		math.Abs(r.Reward.IPS.Value-10*50*0.5/100) > 1e-12 || math.Abs(r.Reward.SNIPS.Value-0.5) > 1e-12 {
		t.Errorf("clipped result %+v, reward %+v", r, *r.Reward.IPS)
	}
	if !hasWarning(r, "weights above 50 cut on 10.0% of requests (80.0% of the weight)") {
		t.Errorf("warnings %q", r.Warnings)
	}
	// The logging scorer gave cheap under 1/50 of what always-cheap
	// gives it: no support for all of its choices.
	if r.Unsupported != 1 || !hasWarning(r, "no support for 100.0% of its choices") {
		t.Errorf("unsupported %v, warnings %q", r.Unsupported, r.Warnings)
	}
	// With a clip of 1000 nothing is cut, the weights are whole again.
	r = Evaluate(ds, []Policy{Always("cheap")}, Options{Clip: 1000}).Policies[0]
	if r.Clipped != 0 || r.ClippedWeight != 0 || math.Abs(r.Reward.IPS.Value-10*250*0.5/100) > 1e-9 || hasWarning(r, "cut on") {
		t.Errorf("unclipped %+v", r)
	}
}

// TestNoSupport: a policy that chooses what the logging policy never
// did gets no estimate for those choices, and the share is reported;
// SNIPS values the supported part.
func TestNoSupport(t *testing.T) {
	w := newWorld(0.3)
	ds, xs := w.sampleContexts(3, 4000)
	rng := rand.New(rand.NewPCG(3, 3))
	// In contexts 0 and 1 the logging scorer never explored (ε = 0): only
	// the greedy choice was ever made there.
	for i, x := range xs {
		if x > 1 {
			continue
		}
		d := &ds[i]
		var order [3]int
		bandit.Greedy(d.Arms, w.lambda, order[:])
		d.Explore, d.Chosen, d.Propensity, d.CostUSD = 0, order[0], 1, w.cost[order[0]]
		d.Reward = 0
		if d.Rated && rng.Float64() < w.truth[x][order[0]] {
			d.Reward = 1
		}
	}
	// dear is greedy in neither context 0 nor 1 (λ = 0.5): always-dear
	// has support only in contexts 2 and 3, half of the requests.
	ev := Evaluate(ds, []Policy{Always("dear")}, Options{})
	r := ev.Policies[0]
	if math.Abs(r.Unsupported-0.5) > 0.03 || !hasWarning(r, "no support for") {
		t.Fatalf("unsupported %v, warnings %q", r.Unsupported, r.Warnings)
	}
	supported := (w.truth[2][0] + w.truth[3][0]) / 2
	full, _ := w.value(Always("dear"))
	if !(r.Reward.SNIPS.Low <= supported && supported <= r.Reward.SNIPS.High) || r.Reward.IPS.High >= full {
		t.Errorf("SNIPS %+v should hold the supported part's %.3f; IPS %+v should fall short of %.3f", *r.Reward.SNIPS, supported, *r.Reward.IPS, full)
	}
	// A deployment the logging scorer never chose (it never explored):
	// no estimate at all.
	arms := []bandit.Arm{{Alpha: 9, Beta: 1, Cost: 1, Learned: true}, {Alpha: 5, Beta: 5, Cost: 0.1, Learned: true}}
	never := make([]Decision, 50)
	for i := range never {
		never[i] = Decision{Deployments: []string{"dear", "cheap"}, Arms: arms, Propensity: 1, Rated: true, Reward: 1, CostUSD: 0.01}
	}
	r = Evaluate(never, []Policy{Always("cheap")}, Options{}).Policies[0]
	if r.Unsupported != 1 || r.Reward.SNIPS != nil || r.Reward.IPS.Value != 0 || r.Cost.SNIPS != nil ||
		!hasWarning(r, "no rated request chose what this policy would") {
		t.Errorf("never chosen: %+v", r)
	}
}

func hasWarning(r PolicyResult, s string) bool {
	for _, w := range r.Warnings {
		if strings.Contains(w, s) {
			return true
		}
	}
	return false
}

// TestLoggingProbsWarmUp: while an arm is unlearned, the logging policy's
// exploration goes to the unlearned arm with the fewest outcomes, as
// bandit.Decide does, so the other arms have only their greedy share.
func TestLoggingProbsWarmUp(t *testing.T) {
	arms := []bandit.Arm{
		{Alpha: 9, Beta: 1, Cost: 1, Outcomes: 40, Learned: true},
		{Alpha: 8, Beta: 2, Cost: 0.2, Outcomes: 7},
		{Alpha: 7, Beta: 3, Cost: 0.1, Outcomes: 3},
	}
	d := Decision{Deployments: []string{"a", "b", "c"}, Arms: arms, Chosen: 0, Explore: 0.1}
	var order [bandit.MaxArms]int
	bandit.Greedy(arms, 0, order[:3])
	d.Propensity = 0.9
	out := make([]float64, 3)
	d.LoggingProbs(out)
	for i := range arms {
		want := 0.1 * bandit.ExploreProb(arms, 0, i)
		if i == order[0] {
			want += 0.9
		}
		if i != d.Chosen && math.Abs(out[i]-want) > 1e-12 {
			t.Errorf("arm %d: logging probability %v, want %v", i, out[i], want)
		}
	}
	if out[2] < 0.1 || out[1] != 0 && order[0] != 1 {
		t.Errorf("exploration should go to the least-known arm c: %v", out)
	}
}
