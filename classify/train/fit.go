package train

import (
	"math"
	"math/bits"

	"switchyard/classify/internal/feature"
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
// L2 penalty on the weights each update touches. It returns the weights
// (bucket-major, stride numClasses) and the biases.
func fit(samples []sample, o TrainOptions) ([]float64, [numClasses]float64) {
	const mask = 1<<feature.NSShift - 1
	w := make([]float64, (1<<o.Bits)*numClasses)
	acc := make([]float64, len(w))
	var bias, biasAcc [numClasses]float64
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := splitmix(o.Seed)
	lr, l2 := o.LearningRate, o.L2
	for range o.Epochs {
		rng.shuffle(order)
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
			g[s.class] -= 1
			for k := range g {
				g[k] = float64(g[k] * s.weight)
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
		p[k] = detExp(v - m)
		sum += p[k]
	}
	for k := range p {
		p[k] /= sum
	}
	return p
}

// detExp returns e**x for x <= 0 with a fixed sequence of rounded
// operations: x = k·ln2 + r with |r| <= ln2/2, a degree-12 Taylor
// polynomial for e**r (error below 1e-15), and an exact scaling by 2**k.
func detExp(x float64) float64 {
	if x < -700 {
		return 0
	}
	const (
		ln2Hi  = 6.93147180369123816490e-01
		ln2Lo  = 1.90821492927058770002e-10
		invLn2 = 1.44269504088896338700e+00
	)
	k := math.Floor(float64(x*invLn2) + 0.5)
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo)
	p := 1.0 / 479001600 // 1/12!
	for n := 11; n >= 0; n-- {
		p = float64(p*r) + invFact[n]
	}
	return math.Ldexp(p, int(k))
}

// invFact[n] is 1/n!.
var invFact = func() (f [12]float64) {
	v := 1.0
	for n := range f {
		if n > 0 {
			v /= float64(n)
		}
		f[n] = v
	}
	return f
}()

// rng is a splitmix64 generator: tiny, and fixed forever, unlike the
// standard library's shuffles.
type rng struct{ state uint64 }

func splitmix(seed uint64) *rng { return &rng{state: seed} }

func (r *rng) next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// shuffle permutes s in place (Fisher-Yates, multiply-high reduction).
func (r *rng) shuffle(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j, _ := bits.Mul64(r.next(), uint64(i+1))
		s[i], s[j] = s[j], s[i]
	}
}
