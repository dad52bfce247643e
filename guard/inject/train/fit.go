package train

import (
	"math"

	"switchyard/guard/inject"
	"switchyard/internal/detmath"
)

// Options tune training.
type Options struct {
	// Bits is log2 of the hashed buckets.
	Bits uint
	// Epochs over the examples.
	Epochs int
	// LearningRate is AdaGrad's step for the bucket weights and the
	// biases; DenseRate for the hand-written features' weights.
	LearningRate, DenseRate float64
	// WordRate scales LearningRate for the word buckets (words and pairs
	// of words); 1 trains them like the class buckets, 0 not at all.
	WordRate float64
	// L2 pulls the class buckets' weights (word classes and pairs of
	// classes) to zero, WordL2 the word buckets' (words and pairs of
	// words): words are what a source's own wording is made of, so a
	// stronger pull keeps the model from learning a source by heart.
	// PriorL2 pulls the hand-written features' weights to their prior
	// (inject.Prior).
	L2, WordL2, PriorL2 float64
	// AttackWeight is the attacks' total weight relative to the benign
	// examples' (each side's examples weigh 1/sqrt(their source's size)
	// within it, so a big source does not drown a small one).
	AttackWeight float64
	// Bias is the starting bias of both channels (log-odds).
	Bias float64
	// Seed fixes the order of the examples.
	Seed uint64
}

// DefaultOptions are the shipped model's.
func DefaultOptions() Options {
	return Options{Bits: 18, Epochs: 6, LearningRate: 0.02, DenseRate: 1, L2: 1e-5, WordL2: 1e-5, WordRate: 0.3, PriorL2: 0.0005, AttackWeight: 1, Bias: -4, Seed: 1}
}

// The optimizer. Every product is wrapped in an explicit float64
// conversion, which the Go spec says rounds it and so forbids fusing it
// into an FMA, and the exponential is detmath.Exp: with a
// fixed order, the trained bytes are the same on every machine of an
// architecture.

// adagradInit is AdaGrad's initial accumulator.
const adagradInit = 0.1

// fit trains on the examples at idx (indices into the corpus) with labels
// y and weights wt: multiple-instance logistic regression, where an
// example's score is its best window's, so each step moves the window
// that decides (for an attack, the one most like an attack; for a benign
// text, its most suspicious one).
func fit(c *corpus, idx []int, y []bool, wt []float64, o Options) *weights {
	m := &weights{hashed: make([]float64, 1<<o.Bits), bias: [2]float64{o.Bias, o.Bias}}
	acc := make([]float64, len(m.hashed))
	var dacc [2][]float64
	for ch := range m.dense {
		m.dense[ch] = make([]float64, inject.NumFeatures)
		dacc[ch] = make([]float64, inject.NumFeatures)
		for f := range m.dense[ch] {
			m.dense[ch][f] = inject.Prior(f, ch == 1)
		}
	}
	var bacc [2]float64
	fixed := make([]bool, inject.NumFeatures)
	for f := range fixed {
		fixed[f] = inject.Fixed(f)
	}
	order := make([]int, len(idx))
	for i := range order {
		order[i] = i
	}
	r := detmath.NewRNG(o.Seed)
	lr := o.LearningRate
	for range o.Epochs {
		r.Shuffle(order)
		for _, i := range order {
			e := idx[i]
			if c.winOff[e] == c.winOff[e+1] {
				continue
			}
			w, z := c.best(m, e)
			g := sigmoid(z)
			if y[i] {
				g -= 1
			}
			g = float64(g * wt[i])
			keys, x, ch := c.window(w)
			bacc[ch] += float64(g * g)
			m.bias[ch] -= float64(lr*g) / math.Sqrt(bacc[ch]+adagradInit)
			for _, k := range keys {
				l2, klr := o.L2, lr
				if k>>inject.KindShift <= inject.KindPair {
					l2, klr = o.WordL2, float64(lr*o.WordRate)
				}
				k &= inject.KeyMask
				gk := g + float64(l2*m.hashed[k])
				acc[k] += float64(gk * gk)
				m.hashed[k] -= float64(klr*gk) / math.Sqrt(acc[k]+adagradInit)
			}
			for f, v := range x {
				if fixed[f] {
					continue
				}
				d := &m.dense[ch][f]
				gf := float64(g*float64(v)) + float64(o.PriorL2*(*d-inject.Prior(f, ch == 1)))
				if gf == 0 {
					continue
				}
				dacc[ch][f] += float64(gf * gf)
				*d -= float64(o.DenseRate*gf) / math.Sqrt(dacc[ch][f]+adagradInit)
			}
		}
	}
	return m
}

// sigmoid is the logistic function, computed deterministically.
func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + detmath.Exp(-z))
	}
	e := detmath.Exp(z)
	return e / (1 + e)
}
