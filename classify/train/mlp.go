package train

import (
	"math"

	"switchyard/classify/internal/feature"
	"switchyard/internal/detmath"
)

// A non-linear model, an experiment measured by `classify cv --hidden H`
// and not shipped (docs/classifier.md, "A hidden layer"). fastText-style:
// every hashed bucket has a learned embedding of dimension D; a request is
// the weighted sum of its features' embeddings, each feature valued as in
// fit (1/sqrt of its namespace's count), so x = Σ v_f·E[f]; a hidden layer
// of H units, h = act(A·x + a), with act ReLU or tanh; logits z = b + B·h,
// plus, unless MLPOnly, the linear model's own Σ v_f·W[f] (a skip
// connection: the linear model with a non-linear part added).
//
// Training is fit's: the same weights, shuffle and epochs, the softmax
// cross-entropy, every product rounded explicitly, detmath.Exp. The linear
// part and the biases take AdaGrad steps of LearningRate as in fit; A, a
// and B AdaGrad steps of MLPRate; the embeddings row-wise AdaGrad (one
// accumulator per bucket, of the mean squared gradient of its row, as
// embedding tables are commonly trained), with L2 on the rows touched.

// mlp is one trained non-linear model.
type mlp struct {
	dim, hidden int
	tanh        bool
	emb         []float64 // bucket-major, stride dim
	in          []float64 // A: hidden rows of dim
	inBias      []float64 // a: hidden
	out         []float64 // B: numClasses rows of hidden
	lin         []float64 // the linear part, bucket-major, stride numClasses; nil if MLPOnly
	bias        [numClasses]float64
}

// mlpPass holds one forward pass: the input sum, the hidden layer before
// and after its activation, and the logits.
type mlpPass struct {
	x, pre, h []float64
	z         [numClasses]float64
}

// mlpGrad holds the gradient of a weighted loss with respect to the dense
// parameters and to the input sum x (the embeddings' gradient is v_f·x).
type mlpGrad struct {
	bias           [numClasses]float64
	out, in, inB   []float64
	x, hidden, pre []float64
}

// newMLP returns a model with random weights drawn from seed: embeddings
// uniform in ±1/sqrt(dim), A and B Glorot-uniform, biases and the linear
// part zero.
func newMLP(bits uint, dim, hidden int, tanh, withLinear bool, seed uint64) *mlp {
	m := &mlp{
		dim: dim, hidden: hidden, tanh: tanh,
		emb: make([]float64, (1<<bits)*dim), in: make([]float64, hidden*dim),
		inBias: make([]float64, hidden), out: make([]float64, numClasses*hidden),
	}
	if withLinear {
		m.lin = make([]float64, (1<<bits)*numClasses)
	}
	rng := detmath.NewRNG(seed ^ 0x6d6c7069) // not the shuffle's sequence
	uniform := func(s []float64, r float64) {
		for i := range s {
			u := float64(rng.Next()>>11) / (1 << 53)
			s[i] = float64(r * float64(2*u-1))
		}
	}
	uniform(m.emb, 1/math.Sqrt(float64(dim)))
	uniform(m.in, math.Sqrt(6/float64(dim+hidden)))
	uniform(m.out, math.Sqrt(6/float64(hidden+numClasses)))
	return m
}

func (m *mlp) newPass() *mlpPass {
	return &mlpPass{x: make([]float64, m.dim), pre: make([]float64, m.hidden), h: make([]float64, m.hidden)}
}

func (m *mlp) newGrad() *mlpGrad {
	return &mlpGrad{
		out: make([]float64, len(m.out)), in: make([]float64, len(m.in)), inB: make([]float64, m.hidden),
		x: make([]float64, m.dim), hidden: make([]float64, m.hidden), pre: make([]float64, m.hidden),
	}
}

// forward computes the logits of one example's features into p.
func (m *mlp) forward(feats []uint32, norm *[feature.NumNS]float64, p *mlpPass) {
	const mask = 1<<feature.NSShift - 1
	clear(p.x)
	p.z = m.bias
	for _, f := range feats {
		v, b := norm[f>>feature.NSShift], int(f&mask)
		e := m.emb[b*m.dim:][:m.dim]
		for i := range p.x {
			p.x[i] += float64(v * e[i])
		}
		if m.lin != nil {
			row := m.lin[b*numClasses:][:numClasses]
			for k := range p.z {
				p.z[k] += float64(v * row[k])
			}
		}
	}
	for j := range p.pre {
		t, a := m.inBias[j], m.in[j*m.dim:][:m.dim]
		for i, xi := range p.x {
			t += float64(a[i] * xi)
		}
		p.pre[j], p.h[j] = t, m.activate(t)
	}
	for k := range p.z {
		t, b := 0.0, m.out[k*m.hidden:][:m.hidden]
		for j, hj := range p.h {
			t += float64(b[j] * hj)
		}
		p.z[k] += t
	}
}

// activate is the hidden layer's activation: ReLU, or tanh computed with
// detmath.Exp.
func (m *mlp) activate(t float64) float64 {
	if !m.tanh {
		return max(t, 0)
	}
	e := detmath.Exp(-2 * math.Abs(t))
	r := (1 - e) / (1 + e)
	if t < 0 {
		return -r
	}
	return r
}

// backward fills gr with the gradient, for the pass p, of the loss whose
// gradient with respect to the logits is g.
func (m *mlp) backward(p *mlpPass, g *[numClasses]float64, gr *mlpGrad) {
	gr.bias = *g
	clear(gr.hidden)
	for k, gk := range g {
		b, d := m.out[k*m.hidden:][:m.hidden], gr.out[k*m.hidden:][:m.hidden]
		for j, hj := range p.h {
			d[j] = float64(gk * hj)
			gr.hidden[j] += float64(gk * b[j])
		}
	}
	clear(gr.x)
	for j, dh := range gr.hidden {
		switch {
		case m.tanh:
			dh = float64(dh * (1 - float64(p.h[j]*p.h[j])))
		case p.pre[j] <= 0:
			dh = 0
		}
		gr.pre[j], gr.inB[j] = dh, dh
		a, d := m.in[j*m.dim:][:m.dim], gr.in[j*m.dim:][:m.dim]
		for i, xi := range p.x {
			d[i] = float64(dh * xi)
			gr.x[i] += float64(dh * a[i])
		}
	}
}

// predict returns the logits of one example's features.
func (m *mlp) predict(feats []uint32, norm *[feature.NumNS]float64, p *mlpPass) [numClasses]float64 {
	m.forward(feats, norm, p)
	return p.z
}
