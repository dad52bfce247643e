package stats

import (
	"math"
	"slices"
)

// MannWhitney is the result of a Mann–Whitney U test.
type MannWhitney struct {
	// U is the statistic of the first sample: the number of (x, y)
	// pairs with x > y, ties counting one half.
	U float64
	// Z is the normal approximation's statistic, with continuity
	// correction and the tie-corrected variance; P its p-value.
	Z, P float64
	// Effect is U/(n1·n2), the probability that a value of the first
	// sample exceeds one of the second (ties half): 0.5 means no shift.
	Effect float64
}

// MannWhitneyU tests whether the values of x tend to be larger (alt
// Greater) or smaller (Less) than those of y, or either (TwoSided),
// without assuming a distribution. Ranks of tied values are averaged and
// the variance of U is corrected for ties:
//
//	σ² = n1·n2/12 · ((n+1) − Σ(t³−t) / (n(n−1)))
//
// with t the size of each group of ties. The p-value is the normal
// approximation's with a continuity correction of 1/2, good from about
// ten values a sample. An empty sample, or samples whose values are all
// equal, give P = 1. Neither x nor y is changed.
func MannWhitneyU(x, y []float64, alt Alternative) MannWhitney {
	n1, n2 := len(x), len(y)
	if n1 == 0 || n2 == 0 {
		return MannWhitney{P: 1, Effect: 0.5}
	}
	type value struct {
		v     float64
		first bool
	}
	all := make([]value, 0, n1+n2)
	for _, v := range x {
		all = append(all, value{v, true})
	}
	for _, v := range y {
		all = append(all, value{v, false})
	}
	slices.SortFunc(all, func(a, b value) int {
		switch {
		case a.v < b.v:
			return -1
		case a.v > b.v:
			return 1
		}
		return 0
	})
	n := float64(n1 + n2)
	var rankSum, ties float64
	for i := 0; i < len(all); {
		j := i
		for j < len(all) && all[j].v == all[i].v {
			j++
		}
		rank := float64(i+j+1) / 2 // ranks i+1..j averaged
		for k := i; k < j; k++ {
			if all[k].first {
				rankSum += rank
			}
		}
		t := float64(j - i)
		ties += t*t*t - t
		i = j
	}
	f1, f2 := float64(n1), float64(n2)
	u := rankSum - f1*(f1+1)/2
	out := MannWhitney{U: u, Effect: u / (f1 * f2), P: 1}
	variance := f1 * f2 / 12 * ((n + 1) - ties/(n*(n-1)))
	if variance <= 0 {
		return out
	}
	d := u - f1*f2/2
	switch alt {
	case Greater:
		d -= 0.5
	case Less:
		d += 0.5
	default:
		d = math.Copysign(max(math.Abs(d)-0.5, 0), d)
	}
	out.Z = d / math.Sqrt(variance)
	out.P = zPValue(out.Z, alt)
	return out
}
