package logreplay

import (
	"math"
	"math/rand/v2"

	"switchyard/learn/bandit"
)

// world is a synthetic route whose true values are known: three
// deployments, four kinds of requests (contexts, equally frequent), each
// with its true p(good) per deployment and the posteriors the logging
// adaptive scorer held.
type world struct {
	deps  []string
	arms  [][]bandit.Arm // per context, in the static order
	truth [][]float64    // per context and deployment: p(good)
	cost  []float64      // per deployment: mean cost in USD
	// lambda and explore are the logging scorer's settings; logging is
	// its distribution per context (normalized).
	lambda, explore float64
	logging         [][]float64
	// rated is the share of requests with feedback (missing at random).
	rated float64
}

func newWorld(explore float64) *world {
	w := &world{
		deps: []string{"dear", "mid", "cheap"},
		arms: [][]bandit.Arm{
			{{Alpha: 6, Beta: 2, Cost: 1, Learned: true}, {Alpha: 5, Beta: 3, Cost: 0.3, Learned: true}, {Alpha: 4, Beta: 4, Cost: 0.1, Learned: true}},
			{{Alpha: 5, Beta: 2, Cost: 1, Learned: true}, {Alpha: 5, Beta: 3, Cost: 0.3, Learned: true}, {Alpha: 6, Beta: 3, Cost: 0.1, Learned: true}},
			{{Alpha: 7, Beta: 3, Cost: 1, Learned: true}, {Alpha: 3, Beta: 3, Cost: 0.3, Learned: true}, {Alpha: 5, Beta: 3, Cost: 0.1, Learned: true}},
			{{Alpha: 8, Beta: 2, Cost: 1, Learned: true}, {Alpha: 4, Beta: 4, Cost: 0.3, Learned: true}, {Alpha: 5, Beta: 4, Cost: 0.1, Learned: true}},
		},
		truth: [][]float64{
			{0.9, 0.8, 0.5},
			{0.75, 0.85, 0.8},
			{0.8, 0.6, 0.7},
			{0.9, 0.5, 0.6},
		},
		cost:    []float64{0.01, 0.003, 0.001},
		lambda:  0.2,
		explore: explore,
		rated:   0.7,
	}
	for _, arms := range w.arms {
		p := make([]float64, len(arms))
		adaptiveProbs(arms, w.lambda, w.explore, true, p)
		w.logging = append(w.logging, p)
	}
	return w
}

// sample logs n requests drawn with seed: a context, a deployment from
// the logging distribution, a Bernoulli reward, a cost around the
// deployment's mean.
func (w *world) sample(seed uint64, n int) []Decision {
	ds, _ := w.sampleContexts(seed, n)
	return ds
}

// sampleContexts is sample, with each request's context.
func (w *world) sampleContexts(seed uint64, n int) ([]Decision, []int) {
	rng := rand.New(rand.NewPCG(seed, 42))
	ds := make([]Decision, n)
	xs := make([]int, n)
	for i := range ds {
		x := rng.IntN(len(w.arms))
		xs[i] = x
		a := draw(rng, w.logging[x])
		ds[i] = Decision{
			Deployments: w.deps, Arms: w.arms[x], Chosen: a, Propensity: w.logging[x][a],
			Lambda: w.lambda, Explore: w.explore,
			Rated: rng.Float64() < w.rated, CostUSD: w.cost[a] * (0.5 + rng.Float64()),
		}
		if ds[i].Rated && rng.Float64() < w.truth[x][a] {
			ds[i].Reward = 1
		}
	}
	return ds, xs
}

// value returns p's true mean reward and cost per request.
func (w *world) value(p Policy) (reward, cost float64) {
	probs := make([]float64, len(w.deps))
	for x := range w.arms {
		d := Decision{Deployments: w.deps, Arms: w.arms[x], Lambda: w.lambda, Explore: w.explore}
		p.Probs(&d, probs)
		for a, pa := range probs {
			reward += pa * w.truth[x][a]
			cost += pa * w.cost[a]
		}
	}
	n := float64(len(w.arms))
	return reward / n, cost / n
}

// draw returns an index drawn from the distribution p.
func draw(rng *rand.Rand, p []float64) int {
	u := rng.Float64()
	for i, pi := range p {
		if u < pi {
			return i
		}
		u -= pi
	}
	return len(p) - 1
}

// meanSD returns the mean and standard deviation of xs.
func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}
