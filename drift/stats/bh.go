package stats

import (
	"math"
	"slices"
)

// BenjaminiHochberg returns the adjusted p-values (q-values) of p under
// the Benjamini–Hochberg step-up procedure: rejecting every test whose
// q-value is at most α keeps the expected share of false discoveries
// among the rejections at most α for independent or positively dependent
// tests (and, when every null hypothesis is true, the chance of any
// rejection at most α). q[i] = min over j with p_(j) ≥ p[i] of
// p_(j)·m/j, capped at 1; the order of p is kept. A NaN p-value counts
// as 1.
func BenjaminiHochberg(p []float64) []float64 {
	m := len(p)
	q := make([]float64, m)
	if m == 0 {
		return q
	}
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	val := func(i int) float64 {
		if math.IsNaN(p[i]) {
			return 1
		}
		return p[i]
	}
	slices.SortStableFunc(order, func(a, b int) int {
		switch va, vb := val(a), val(b); {
		case va < vb:
			return -1
		case va > vb:
			return 1
		}
		return 0
	})
	running := 1.0
	for rank := m; rank >= 1; rank-- {
		i := order[rank-1]
		running = min(running, val(i)*float64(m)/float64(rank))
		q[i] = clamp01(running)
	}
	return q
}
