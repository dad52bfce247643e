package bandit

import (
	"math"
	"testing"
)

func TestGreedyKeepsUnlearnedPositions(t *testing.T) {
	arms := []Arm{
		{Alpha: 5, Beta: 5, Learned: true},  // 0.5
		{Alpha: 1, Beta: 9, Learned: false}, // static second, unlearned
		{Alpha: 9, Beta: 1, Learned: true},  // 0.9
		{Alpha: 7, Beta: 3, Learned: true},  // 0.7
	}
	order := make([]int, len(arms))
	Greedy(arms, 0, order)
	if want := []int{2, 1, 3, 0}; !equal(order, want) {
		t.Errorf("order %v, want %v", order, want)
	}
	// The cost term: at λ=1 a cheap arm of 0.7 beats a dear one of 0.9.
	arms[2].Cost, arms[3].Cost = 1, 0
	Greedy(arms, 1, order)
	if want := []int{3, 1, 0, 2}; !equal(order, want) {
		t.Errorf("with cost: order %v, want %v", order, want)
	}
	// No arm learned: the static order.
	for i := range arms {
		arms[i].Learned = false
	}
	Greedy(arms, 1, order)
	if want := []int{0, 1, 2, 3}; !equal(order, want) {
		t.Errorf("unlearned: order %v, want %v", order, want)
	}
}

func TestDecideCapHolds(t *testing.T) {
	arms := []Arm{{Alpha: 30, Beta: 10, Learned: true}, {Alpha: 2, Beta: 2, Learned: true}, {Alpha: 1, Beta: 1, Learned: true}}
	order := make([]int, len(arms))
	Greedy(arms, 0, order)
	for _, eps := range []float64{0, 0.05, 0.2} {
		const n = 40000
		off, explored := 0, 0
		for s := range uint64(n) {
			d := Decide(arms, order, 0, eps, s*0x9e3779b97f4a7c15)
			if d.First != order[0] {
				off++
			}
			if d.Explored {
				explored++
			}
			if again := Decide(arms, order, 0, eps, s*0x9e3779b97f4a7c15); again != d {
				t.Fatalf("seed %d decided %+v then %+v", s, d, again)
			}
		}
		// The explore branch is a coin of probability ε: its share is
		// within 4 standard errors of ε, and non-greedy picks are a part
		// of it.
		tol := 4 * math.Sqrt(eps*(1-eps)/n)
		if share := float64(explored) / n; math.Abs(share-eps) > tol+1e-12 {
			t.Errorf("ε=%.2f: explored %.4f of requests", eps, share)
		}
		if share := float64(off) / n; share > eps+tol || (eps > 0 && off == 0) {
			t.Errorf("ε=%.2f: non-greedy share %.4f", eps, share)
		}
	}
}

func TestPropensityMatchesFrequencies(t *testing.T) {
	cases := []struct {
		name   string
		arms   []Arm
		lambda float64
	}{
		{"two close", []Arm{{Alpha: 12, Beta: 8, Learned: true}, {Alpha: 10, Beta: 10, Learned: true}}, 0},
		{"three with cost", []Arm{{Alpha: 40, Beta: 10, Cost: 1, Learned: true}, {Alpha: 30, Beta: 20, Cost: 0.1, Learned: true}, {Alpha: 5, Beta: 5, Learned: true}}, 0.3},
		{"skewed priors", []Arm{{Alpha: 9, Beta: 1, Learned: true}, {Alpha: 5, Beta: 5}, {Alpha: 8, Beta: 2, Learned: true}, {Alpha: 2, Beta: 1, Learned: true}}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			order := make([]int, len(c.arms))
			Greedy(c.arms, c.lambda, order)
			const eps, n = 0.3, 60000
			counts := make([]int, len(c.arms))
			props := make([]float64, len(c.arms))
			for s := range uint64(n) {
				d := Decide(c.arms, order, c.lambda, eps, s+1)
				counts[d.First]++
				if props[d.First] == 0 {
					props[d.First] = d.Propensity
				} else if !near(props[d.First], d.Propensity, 1e-12) {
					t.Fatalf("arm %d: propensity %v then %v", d.First, props[d.First], d.Propensity)
				}
			}
			ps := make([]float64, len(c.arms))
			WinProbs(c.arms, c.lambda, ps)
			if leastKnown(c.arms) >= 0 { // exploration tries the unlearned arm
				for i := range ps {
					ps[i] = ExploreProb(c.arms, c.lambda, i)
				}
			}
			sum := 0.0
			for i := range c.arms {
				p := eps * ps[i]
				if i == order[0] {
					p += 1 - eps
				}
				sum += p
				got := float64(counts[i]) / n
				// The normal approximation of the Beta draws costs a
				// little accuracy: within 0.015 of the frequency, besides
				// sampling noise.
				if tol := 0.015 + 4*math.Sqrt(p*(1-p)/n); math.Abs(got-p) > tol {
					t.Errorf("arm %d: propensity %.4f, frequency %.4f", i, p, got)
				}
				if counts[i] > 0 && !near(props[i], p, 0.02) {
					t.Errorf("arm %d: Decide's propensity %.4f, WinProbs's %.4f", i, props[i], p)
				}
			}
			if !near(sum, 1, 1e-9) {
				t.Errorf("propensities sum to %v", sum)
			}
		})
	}
}

// TestExploreTriesUnlearnedFirst: while an arm lacks min_outcomes, the
// exploration branch puts the unlearned arm with the fewest outcomes
// first (the static order's first on a tie), whatever the posteriors say,
// so that it gathers the outcomes it needs; the greedy branch is
// unchanged, and the propensities are exact.
func TestExploreTriesUnlearnedFirst(t *testing.T) {
	arms := []Arm{
		{Alpha: 90, Beta: 10, Learned: true, Outcomes: 100}, // greedy
		{Alpha: 2, Beta: 8, Outcomes: 4},                    // unlearned, looks bad
		{Alpha: 3, Beta: 7, Outcomes: 2},                    // unlearned, fewest outcomes
		{Alpha: 60, Beta: 40, Learned: true, Outcomes: 50},
	}
	order := make([]int, len(arms))
	Greedy(arms, 0, order)
	const eps, n = 0.2, 20000
	counts := make([]int, len(arms))
	for s := range uint64(n) {
		d := Decide(arms, order, 0, eps, s*0x9e3779b97f4a7c15+3)
		counts[d.First]++
		want := 1 - eps
		if d.Explored {
			want = eps
		}
		if d.First != order[0] && d.First != 2 || (d.Explored && d.First != 2) || !near(d.Propensity, want, 1e-12) {
			t.Fatalf("seed %d: %+v", s, d)
		}
	}
	if share := float64(counts[2]) / n; math.Abs(share-eps) > 4*math.Sqrt(eps*(1-eps)/n) {
		t.Errorf("the least known arm went first %.4f of the time, want ε=%.2f", share, eps)
	}
	if p := ExploreProb(arms, 0, 2) + ExploreProb(arms, 0, 1) + ExploreProb(arms, 0, 0); p != 1 {
		t.Errorf("exploration probabilities sum to %v", p)
	}
	// A tie in outcomes goes to the static order's first.
	arms[1].Outcomes = 2
	if got := leastKnown(arms); got != 1 {
		t.Errorf("tie: least known %d, want 1", got)
	}
	// Every arm learned: Thompson sampling again.
	arms[1].Learned, arms[2].Learned = true, true
	if got := leastKnown(arms); got != -1 || ExploreProb(arms, 0, 0) != WinProb(arms, 0, 0) {
		t.Errorf("all learned: least known %d", got)
	}
}

func TestWinProbSumsToOne(t *testing.T) {
	arms := []Arm{{Alpha: 3, Beta: 4}, {Alpha: 30, Beta: 40, Cost: 0.2}, {Alpha: 300, Beta: 400}, {Alpha: 1, Beta: 1, Cost: 1}}
	total := 0.0
	for i := range arms {
		total += WinProb(arms, 0.1, i)
	}
	if !near(total, 1, 0.01) {
		t.Errorf("unnormalized win probabilities sum to %v", total)
	}
}

func TestBetaSampler(t *testing.T) {
	for _, p := range [][2]float64{{0.5, 0.5}, {2, 8}, {40, 10}} {
		r := RNG(7)
		const n = 40000
		sum, sq := 0.0, 0.0
		for range n {
			x := r.Beta(p[0], p[1])
			if x < 0 || x > 1 {
				t.Fatalf("Beta(%v) drew %v", p, x)
			}
			sum += x
			sq += x * x
		}
		mean, vr := sum/n, sq/n-(sum/n)*(sum/n)
		e := Estimate{Alpha: p[0], Beta: p[1]}
		if !near(mean, e.Mean(), 4*e.SD()/math.Sqrt(n)) || !near(math.Sqrt(vr), e.SD(), 0.02*e.SD()) {
			t.Errorf("Beta(%v): mean %.4f sd %.4f, want %.4f %.4f", p, mean, math.Sqrt(vr), e.Mean(), e.SD())
		}
	}
}

func BenchmarkDecide(b *testing.B) {
	arms := []Arm{{Alpha: 40, Beta: 10, Cost: 1, Learned: true}, {Alpha: 30, Beta: 20, Cost: 0.1, Learned: true}, {Alpha: 5, Beta: 5, Learned: true}}
	order := make([]int, len(arms))
	b.ReportAllocs()
	for i := range b.N {
		Greedy(arms, 0.3, order)
		Decide(arms, order, 0.3, 0.05, uint64(i))
	}
}

func equal(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
