// Package stats holds the statistical tests drift detection rests on,
// as pure functions of counts and samples: Fisher's exact test and the
// two-proportion z-test for rates, the Mann–Whitney U test (with the
// tie correction) for distributions such as answer lengths and
// latencies, and the Benjamini–Hochberg procedure for the false
// discovery rate across many tests. Nothing here reads a clock, does I/O
// or draws random numbers.
package stats

import "math"

// Alternative is the direction a one-sided test looks in.
type Alternative int

// The alternatives. For a rate test, Less means the first sample's rate
// is lower than the second's; for Mann–Whitney U, that the first sample's
// values tend to be smaller.
const (
	TwoSided Alternative = iota
	Less
	Greater
)

// String names the alternative as R does ("two.sided", "less",
// "greater").
func (a Alternative) String() string {
	switch a {
	case Less:
		return "less"
	case Greater:
		return "greater"
	}
	return "two.sided"
}

// normalCDF is Φ(z), the standard normal distribution function.
func normalCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

// zPValue is the p-value of a standard normal statistic z under alt.
func zPValue(z float64, alt Alternative) float64 {
	switch alt {
	case Less:
		return normalCDF(z)
	case Greater:
		return normalCDF(-z)
	}
	return min(1, 2*normalCDF(-math.Abs(z)))
}

// clamp01 keeps a p-value summed in floating point within [0, 1].
func clamp01(p float64) float64 { return max(0, min(1, p)) }
