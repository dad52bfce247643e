package stats

import (
	"fmt"
	"math"
)

// Count is x successes out of n trials.
type Count struct{ X, N int }

// Rate returns X/N, or 0 when N is 0.
func (c Count) Rate() float64 {
	if c.N == 0 {
		return 0
	}
	return float64(c.X) / float64(c.N)
}

func (c Count) check() error {
	if c.N < 0 || c.X < 0 || c.X > c.N {
		return fmt.Errorf("stats: count %d of %d is not 0 <= x <= n", c.X, c.N)
	}
	return nil
}

// FisherExact tests whether the success probability behind a differs
// from b's (alt Less: a's is lower; Greater: higher) on the 2×2 table
// [a.X, a.N-a.X; b.X, b.N-b.X], conditioning on the margins: the number
// of successes in a is hypergeometric under the null hypothesis. The
// two-sided p-value sums the tables no more probable than the one
// observed (as R's fisher.test does, with the same relative tolerance of
// 1e-7). An empty sample gives p = 1.
func FisherExact(a, b Count, alt Alternative) (float64, error) {
	if err := a.check(); err != nil {
		return 0, err
	}
	if err := b.check(); err != nil {
		return 0, err
	}
	if a.N == 0 || b.N == 0 {
		return 1, nil
	}
	total, successes, draws := a.N+b.N, a.X+b.X, a.N
	lo, hi := max(0, draws-(total-successes)), min(draws, successes)
	logp := func(x int) float64 {
		return logChoose(successes, x) + logChoose(total-successes, draws-x) - logChoose(total, draws)
	}
	var p float64
	switch alt {
	case Less:
		for x := lo; x <= a.X; x++ {
			p += math.Exp(logp(x))
		}
	case Greater:
		for x := a.X; x <= hi; x++ {
			p += math.Exp(logp(x))
		}
	default:
		observed := logp(a.X)
		limit := observed + math.Log1p(1e-7)
		for x := lo; x <= hi; x++ {
			if lp := logp(x); lp <= limit {
				p += math.Exp(lp)
			}
		}
	}
	return clamp01(p), nil
}

// logChoose is log(n choose k).
func logChoose(n, k int) float64 {
	a, _ := math.Lgamma(float64(n) + 1)
	b, _ := math.Lgamma(float64(k) + 1)
	c, _ := math.Lgamma(float64(n-k) + 1)
	return a - b - c
}

// TwoProportionZ tests whether a's success probability differs from b's
// with the pooled two-proportion z statistic, (p̂a − p̂b) / √(p̂(1−p̂)(1/na
// + 1/nb)), normal under the null hypothesis for large samples. It
// returns the statistic and its p-value; when every trial succeeded or
// every one failed (no variance), z is 0 and p is 1.
func TwoProportionZ(a, b Count, alt Alternative) (z, p float64, err error) {
	if err := a.check(); err != nil {
		return 0, 0, err
	}
	if err := b.check(); err != nil {
		return 0, 0, err
	}
	if a.N == 0 || b.N == 0 {
		return 0, 1, nil
	}
	pooled := float64(a.X+b.X) / float64(a.N+b.N)
	se := math.Sqrt(pooled * (1 - pooled) * (1/float64(a.N) + 1/float64(b.N)))
	if se == 0 {
		return 0, 1, nil
	}
	z = (a.Rate() - b.Rate()) / se
	return z, zPValue(z, alt), nil
}

// ExactLimit is the largest total sample ProportionTest tests exactly:
// past it the normal approximation is within a hair of the exact test
// and costs one step instead of one per possible table.
const ExactLimit = 5000

// ProportionTest is FisherExact for a.N+b.N up to ExactLimit, else
// TwoProportionZ's p-value.
func ProportionTest(a, b Count, alt Alternative) (float64, error) {
	if a.N+b.N <= ExactLimit {
		return FisherExact(a, b, alt)
	}
	_, p, err := TwoProportionZ(a, b, alt)
	return p, err
}
