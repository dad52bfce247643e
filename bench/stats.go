package bench

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"
)

// Quantiles summarizes a set of latency samples. The zero value means no
// samples.
type Quantiles struct {
	N                  int
	P50, P90, P99, Max time.Duration
}

// Quantile returns the q-quantile (0 < q <= 1) of sorted samples by the
// nearest-rank method: the smallest sample with at least q of the samples
// at or below it. It returns 0 for no samples.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q*float64(len(sorted)))) - 1
	return sorted[max(0, min(rank, len(sorted)-1))]
}

// Summarize sorts samples in place and returns their quantiles.
func Summarize(samples []time.Duration) Quantiles {
	if len(samples) == 0 {
		return Quantiles{}
	}
	slices.Sort(samples)
	return Quantiles{
		N:   len(samples),
		P50: Quantile(samples, 0.50),
		P90: Quantile(samples, 0.90),
		P99: Quantile(samples, 0.99),
		Max: samples[len(samples)-1],
	}
}

// Sub returns a − b quantile by quantile (N is left zero): the latency the
// router adds at each quantile when a is through it and b is direct. This
// is a difference of quantiles, not a quantile of differences; it can be
// negative when noise outweighs the difference.
func (a Quantiles) Sub(b Quantiles) Quantiles {
	return Quantiles{P50: a.P50 - b.P50, P90: a.P90 - b.P90, P99: a.P99 - b.P99, Max: a.Max - b.Max}
}

// MarshalJSON writes the quantiles in microseconds.
func (a Quantiles) MarshalJSON() ([]byte, error) {
	us := func(d time.Duration) float64 { return math.Round(float64(d)/1e1) / 1e2 }
	return json.Marshal(struct {
		N     int     `json:"n,omitempty"`
		P50us float64 `json:"p50_us"`
		P90us float64 `json:"p90_us"`
		P99us float64 `json:"p99_us"`
		MaxUs float64 `json:"max_us"`
	}{a.N, us(a.P50), us(a.P90), us(a.P99), us(a.Max)})
}

// formatDuration prints d in µs below 10 ms and in ms above, with a sign
// when signed is set.
func formatDuration(d time.Duration, signed bool) string {
	sign := ""
	if signed && d >= 0 {
		sign = "+"
	}
	if d < 0 {
		sign, d = "-", -d
	}
	if d < 10*time.Millisecond {
		return fmt.Sprintf("%s%dµs", sign, (d+500)/time.Microsecond)
	}
	return fmt.Sprintf("%s%.2fms", sign, float64(d)/float64(time.Millisecond))
}

// formatBytes prints n bytes in MB (10^6) with one decimal.
func formatBytes(n int64) string {
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}
