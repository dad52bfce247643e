package train

import (
	"math"

	"switchyard/classify/internal/feature"
	"switchyard/internal/detmath"
)

// The optimizer. Every product is wrapped in an explicit float64 conversion,
// which the Go spec says rounds it and so forbids fusing it into an FMA; the
// exponential is computed here rather than by math.Exp, whose amd64
// assembly takes an FMA path on some CPUs only. With a fixed order, a
// home-made shuffle and these, the trained bytes are the same on every
// machine of an architecture.

// adagradInit is AdaGrad's initial accumulator: it tames the first steps of
// rare features.
const adagradInit = 0.1

// fit runs o.Epochs epochs of AdaGrad on the softmax cross-entropy, with an
// L2 penalty on the weights each update touches, and with o.DRO > 0 the
// group weights of dro.go. It returns the weights
// (bucket-major, stride numClasses) and the biases.
//
// fit runs on one goroutine and shares nothing while it runs (samples is
// read-only, the weights its own), so the race detector is told to skip
// it (go:norace): instrumented, its inner loop made the trainer's tests
// the slowest package of the -race suite (about 300 s in CI) for checks
// that can find nothing; featurize and the rest stay instrumented.
//
//go:norace
func fit(samples []sample, o TrainOptions) ([]float64, [numClasses]float64) {
	const mask = 1<<feature.NSShift - 1
	w := make([]float64, (1<<o.Bits)*numClasses)
	acc := make([]float64, len(w))
	var bias, biasAcc [numClasses]float64
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := detmath.NewRNG(o.Seed)
	lr, l2 := o.LearningRate, o.L2
	var groups *dro
	if o.DRO > 0 {
		groups = newDRO(o.DRO, numGroups(samples))
	}
	for range o.Epochs {
		rng.Shuffle(order)
		for _, i := range order {
			s := &samples[i]
			z := bias
			for _, f := range s.feats {
				v, row := s.norm[f>>feature.NSShift], w[int(f&mask)*numClasses:][:numClasses]
				for k := range z {
					z[k] += float64(v * row[k])
				}
			}
			g := detSoftmax(z)
			weight := s.weight
			if groups != nil {
				groups.observe(s.group, weight, crossEntropy(g[s.class]))
				weight = float64(weight * groups.mult[s.group])
			}
			g[s.class] -= 1
			for k := range g {
				g[k] = float64(g[k] * weight)
				biasAcc[k] += float64(g[k] * g[k])
				bias[k] -= float64(lr*g[k]) / math.Sqrt(biasAcc[k]+adagradInit)
			}
			for _, f := range s.feats {
				off := int(f&mask) * numClasses
				v, row, a := s.norm[f>>feature.NSShift], w[off:][:numClasses], acc[off:][:numClasses]
				for k := range g {
					gk := float64(g[k]*v) + float64(l2*row[k])
					a[k] += float64(gk * gk)
					row[k] -= float64(lr*gk) / math.Sqrt(a[k]+adagradInit)
				}
			}
		}
		if groups != nil {
			groups.endEpoch()
		}
	}
	return w, bias
}

// fitAveraged runs fit once, or o.Average times with consecutive seeds,
// and returns the mean of the weights and of the biases.
func fitAveraged(samples []sample, o TrainOptions) ([]float64, [numClasses]float64) {
	w, bias := fit(samples, o)
	if o.Average <= 1 {
		return w, bias
	}
	for i := 1; i < o.Average; i++ {
		oi := o
		oi.Seed = o.Seed + uint64(i)
		wi, bi := fit(samples, oi)
		for j := range w {
			w[j] += wi[j]
		}
		for k := range bias {
			bias[k] += bi[k]
		}
	}
	n := float64(o.Average)
	for j := range w {
		w[j] /= n
	}
	for k := range bias {
		bias[k] /= n
	}
	return w, bias
}

// detSoftmax returns the softmax of z, computed deterministically.
func detSoftmax(z [numClasses]float64) [numClasses]float64 {
	m := z[0]
	for _, v := range z[1:] {
		m = max(m, v)
	}
	var p [numClasses]float64
	sum := 0.0
	for k, v := range z {
		p[k] = detmath.Exp(v - m)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}
