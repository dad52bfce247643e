package offline

import (
	"math"
	"slices"
)

// Estimates are a router's predictions for a set of prompts:
// Quality[i][m] is its estimate of model m's score on prompt i, Cost[i][m]
// of its cost in USD.
type Estimates struct {
	Quality, Cost [][]float64
}

// Outcome is what a fixed choice achieves on average over the test
// prompts.
type Outcome struct {
	Quality      float64 `json:"quality"`
	CostPerQuery float64 `json:"cost_per_query"`
}

// Point is one operating point of a router: its λ and what it achieves.
type Point struct {
	Lambda       float64 `json:"lambda"`
	Quality      float64 `json:"quality"`
	CostPerQuery float64 `json:"cost_per_query"`
}

// DefaultLambdas returns the sweep `replay` uses: 0, then 20 values per
// decade from 10⁻³ to 10³ (in units of the cost scale).
func DefaultLambdas() []float64 {
	out := []float64{0}
	for e := -60; e <= 60; e++ {
		out = append(out, math.Pow(10, float64(e)/20))
	}
	return out
}

// Choose returns the model maximizing quality − λ·cost/scale for one
// prompt (ties go to the cheaper, then the first). A scale of zero means
// costs are ignored.
func Choose(quality, cost []float64, lambda, scale float64) int {
	best, bestV := 0, math.Inf(-1)
	for j := range quality {
		v := quality[j]
		if scale > 0 {
			v -= lambda * cost[j] / scale
		}
		if v > bestV || v == bestV && cost[j] < cost[best] {
			best, bestV = j, v
		}
	}
	return best
}

// Sweep routes every prompt of test with the estimates at each λ and
// returns the realized mean quality and cost per λ.
func Sweep(test *Dataset, est *Estimates, lambdas []float64, scale float64) []Point {
	out := make([]Point, 0, len(lambdas))
	n := float64(len(test.Prompts))
	for _, l := range lambdas {
		var q, c float64
		for i := range test.Prompts {
			j := Choose(est.Quality[i], est.Cost[i], l, scale)
			q += test.Prompts[i].Score[j]
			c += test.Prompts[i].Cost[j]
		}
		out = append(out, Point{Lambda: l, Quality: q / n, CostPerQuery: c / n})
	}
	return out
}

// Baselines returns what always choosing each model achieves on test.
func Baselines(test *Dataset) map[string]Outcome {
	out := make(map[string]Outcome, len(test.Models))
	n := float64(len(test.Prompts))
	for j, name := range test.Models {
		var o Outcome
		for i := range test.Prompts {
			o.Quality += test.Prompts[i].Score[j]
			o.CostPerQuery += test.Prompts[i].Cost[j]
		}
		o.Quality /= n
		o.CostPerQuery /= n
		out[name] = o
	}
	return out
}

// Random is the expected outcome of choosing a model uniformly at random
// for every prompt.
func Random(base map[string]Outcome) Outcome {
	var o Outcome
	for _, b := range base {
		o.Quality += b.Quality
		o.CostPerQuery += b.CostPerQuery
	}
	o.Quality /= float64(len(base))
	o.CostPerQuery /= float64(len(base))
	return o
}

// Oracle is the outcome of knowing every answer: for each prompt the best
// score, at the cost of the cheapest model that reaches it.
func Oracle(test *Dataset) Outcome {
	var o Outcome
	for i := range test.Prompts {
		p := &test.Prompts[i]
		best := 0
		for j := range p.Score {
			if p.Score[j] > p.Score[best] || p.Score[j] == p.Score[best] && p.Cost[j] < p.Cost[best] {
				best = j
			}
		}
		o.Quality += p.Score[best]
		o.CostPerQuery += p.Cost[best]
	}
	n := float64(len(test.Prompts))
	o.Quality /= n
	o.CostPerQuery /= n
	return o
}

// Frontier returns the points no other point beats on both quality and
// cost, sorted by cost (and so by quality).
func Frontier(points []Point) []Point {
	ps := slices.Clone(points)
	slices.SortStableFunc(ps, func(a, b Point) int {
		switch {
		case a.CostPerQuery != b.CostPerQuery:
			return cmpFloat(a.CostPerQuery, b.CostPerQuery)
		default:
			return cmpFloat(b.Quality, a.Quality)
		}
	})
	var out []Point
	for _, p := range ps {
		if len(out) == 0 || p.Quality > out[len(out)-1].Quality {
			out = append(out, p)
		}
	}
	return out
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// QualityAt returns the best quality the frontier reaches at a cost per
// query of at most c, interpolating linearly between neighbouring points
// (mixing their two λ in proportion achieves the line between them). It
// reports false when c is below the cheapest point.
func QualityAt(front []Point, c float64) (float64, bool) {
	if len(front) == 0 || c < front[0].CostPerQuery {
		return 0, false
	}
	for k := 1; k < len(front); k++ {
		a, b := front[k-1], front[k]
		if c < b.CostPerQuery {
			t := (c - a.CostPerQuery) / (b.CostPerQuery - a.CostPerQuery)
			return a.Quality + t*(b.Quality-a.Quality), true
		}
	}
	return front[len(front)-1].Quality, true
}

// CostAt returns the lowest cost per query at which the frontier reaches
// quality q, interpolating as QualityAt does. It reports false when no
// point reaches q.
func CostAt(front []Point, q float64) (float64, bool) {
	for k, b := range front {
		if b.Quality < q {
			continue
		}
		if k == 0 {
			return b.CostPerQuery, true
		}
		a := front[k-1]
		t := (q - a.Quality) / (b.Quality - a.Quality)
		return a.CostPerQuery + t*(b.CostPerQuery-a.CostPerQuery), true
	}
	return 0, false
}
