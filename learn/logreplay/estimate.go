package logreplay

import (
	"math"
	"slices"
)

// Options configure Evaluate. Zero fields take the defaults.
type Options struct {
	// Clip is the largest importance weight used: a weight above it is
	// cut to it (and counted as clipped). Zero means DefaultClip.
	Clip float64
	// Bootstrap, when above zero, is how many bootstrap resamples of the
	// decisions the intervals come from (percentile intervals); zero means
	// the delta method (normal intervals).
	Bootstrap int
	// Seed seeds the bootstrap's resampling: the same seed, the same
	// intervals.
	Seed uint64
	// MaxUnsupported is the share of a policy's choices without support
	// (see PolicyResult.Unsupported), and of its weight cut by the clip,
	// above which it is warned about; zero means DefaultMaxUnsupported.
	MaxUnsupported float64
	// MinESS is the effective sample size of the rewards below which a
	// policy is warned about; zero means DefaultMinESS.
	MinESS float64
}

// The defaults of Options.
const (
	DefaultClip           = 100
	DefaultMaxUnsupported = 0.05
	DefaultMinESS         = 30
)

func (o Options) withDefaults() Options {
	if o.Clip <= 0 {
		o.Clip = DefaultClip
	}
	if o.MaxUnsupported <= 0 {
		o.MaxUnsupported = DefaultMaxUnsupported
	}
	if o.MinESS <= 0 {
		o.MinESS = DefaultMinESS
	}
	return o
}

// Interval is an estimate with its 95% confidence interval.
type Interval struct {
	Value float64 `json:"value"`
	Low   float64 `json:"low"`
	High  float64 `json:"high"`
}

// Estimate is the off-policy estimate of a policy's mean of one quantity
// (reward or cost) per request.
type Estimate struct {
	// N is the number of logged requests it rests on; ESS their effective
	// number under the policy's weights, (Σw)²/Σw².
	N   int     `json:"n"`
	ESS float64 `json:"ess"`
	// IPS is the inverse-propensity estimate, Σ wᵢvᵢ / N: unbiased with
	// true propensities and full support (before clipping). SNIPS is the
	// self-normalized one, Σ wᵢvᵢ / Σ wᵢ: slightly biased, much less
	// variable. IPS is nil with fewer than 2 requests; SNIPS also when no
	// logged choice is one the policy could make (Σ wᵢ = 0).
	IPS   *Interval `json:"ips"`
	SNIPS *Interval `json:"snips"`
}

// deltaEstimate computes the estimates of the values v under the weights
// w, with normal intervals: the IPS one from the sample variance of wᵢvᵢ,
// the SNIPS one by the delta method (the variance of wᵢ(vᵢ − V̂) over the
// mean weight squared).
func deltaEstimate(w, v []float64) Estimate {
	n := len(w)
	e := Estimate{N: n}
	var sw, sw2, swv float64
	for i := range w {
		sw += w[i]
		sw2 += w[i] * w[i]
		swv += w[i] * v[i]
	}
	if sw2 > 0 {
		e.ESS = sw * sw / sw2
	}
	if n < 2 {
		return e
	}
	nf := float64(n)
	ips := swv / nf
	var ss float64
	for i := range w {
		d := w[i]*v[i] - ips
		ss += d * d
	}
	half := z95 * math.Sqrt(ss/(nf-1)/nf)
	e.IPS = &Interval{Value: ips, Low: ips - half, High: ips + half}
	if sw <= 0 {
		return e
	}
	sn := swv / sw
	ss = 0
	for i := range w {
		f := w[i] * (v[i] - sn)
		ss += f * f
	}
	half = z95 * math.Sqrt(ss/(nf-1)/nf) / (sw / nf)
	e.SNIPS = &Interval{Value: sn, Low: sn - half, High: sn + half}
	return e
}

// percentileInterval returns the 2.5% and 97.5% quantiles of xs (sorted
// in place), interpolated linearly; NaN, NaN for an empty xs.
func percentileInterval(xs []float64) (low, high float64) {
	if len(xs) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(xs)
	return quantile(xs, 0.025), quantile(xs, 0.975)
}

func quantile(sorted []float64, q float64) float64 {
	pos := q * float64(len(sorted)-1)
	i := int(pos)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	f := pos - float64(i)
	return sorted[i]*(1-f) + sorted[i+1]*f
}
