package train

import (
	"fmt"
	"math"
	"slices"

	"switchyard/classify/internal/feature"
	"switchyard/internal/detmath"
)

// mlpAdaGrad holds the AdaGrad accumulators of one mlp's training.
type mlpAdaGrad struct {
	emb                   []float64 // one per bucket (row-wise)
	in, inBias, out, lin  []float64
	bias                  [numClasses]float64
	lr, mlpRate, l2, init float64
}

// fitMLP trains one mlp (see mlp.go) on the samples, in fit's order and
// arithmetic; o.Seed seeds both the shuffle and the initial weights.
//
// Like fit, it runs on one goroutine and shares nothing while it runs, so
// the race detector is told to skip it (see fit).
//
//go:norace
func fitMLP(samples []sample, o TrainOptions) *mlp {
	m := newMLP(o.Bits, o.Dim, o.Hidden, o.Activation == "tanh", !o.MLPOnly, o.Seed)
	st := &mlpAdaGrad{
		emb: make([]float64, 1<<o.Bits), in: make([]float64, len(m.in)), inBias: make([]float64, m.hidden),
		out: make([]float64, len(m.out)), lin: make([]float64, len(m.lin)),
		lr: o.LearningRate, mlpRate: o.MLPRate, l2: o.L2, init: adagradInit,
	}
	order := make([]int, len(samples))
	for i := range order {
		order[i] = i
	}
	rng := detmath.NewRNG(o.Seed)
	p, gr := m.newPass(), m.newGrad()
	for range o.Epochs {
		rng.Shuffle(order)
		for _, i := range order {
			s := &samples[i]
			m.forward(s.feats, &s.norm, p)
			g := detSoftmax(p.z)
			g[s.class] -= 1
			for k := range g {
				g[k] = float64(g[k] * s.weight)
			}
			m.backward(p, &g, gr)
			st.step(m, s, gr)
		}
	}
	return m
}

// step applies one example's gradient: the dense parameters first, then
// the embedding and linear rows of its features.
func (st *mlpAdaGrad) step(m *mlp, s *sample, gr *mlpGrad) {
	const mask = 1<<feature.NSShift - 1
	for k, gk := range gr.bias {
		st.bias[k] += float64(gk * gk)
		m.bias[k] -= float64(st.lr*gk) / math.Sqrt(st.bias[k]+st.init)
	}
	adagrad(m.out, st.out, gr.out, st.mlpRate, st.init)
	adagrad(m.in, st.in, gr.in, st.mlpRate, st.init)
	adagrad(m.inBias, st.inBias, gr.inB, st.mlpRate, st.init)
	dim := float64(m.dim)
	for _, f := range s.feats {
		v, b := s.norm[f>>feature.NSShift], int(f&mask)
		e := m.emb[b*m.dim:][:m.dim]
		sq := 0.0
		for i, gx := range gr.x {
			gi := float64(v*gx) + float64(st.l2*e[i])
			sq += float64(gi * gi)
		}
		st.emb[b] += sq / dim
		step := st.mlpRate / math.Sqrt(st.emb[b]+st.init)
		for i, gx := range gr.x {
			gi := float64(v*gx) + float64(st.l2*e[i])
			e[i] -= float64(step * gi)
		}
		if m.lin == nil {
			continue
		}
		row, a := m.lin[b*numClasses:][:numClasses], st.lin[b*numClasses:][:numClasses]
		for k, gk := range gr.bias {
			gi := float64(gk*v) + float64(st.l2*row[k])
			a[k] += float64(gi * gi)
			row[k] -= float64(st.lr*gi) / math.Sqrt(a[k]+st.init)
		}
	}
}

// adagrad applies one elementwise AdaGrad step of rate lr to w.
func adagrad(w, acc, g []float64, lr, init float64) {
	for i, gi := range g {
		acc[i] += float64(gi * gi)
		w[i] -= float64(lr*gi) / math.Sqrt(acc[i]+init)
	}
}

// mlpEnsemble is o.Average models (or one) whose logits are averaged.
type mlpEnsemble struct {
	models []*mlp
	bits   uint
}

// trainMLP prepares the examples as Train does and fits o.Average mlps
// with consecutive seeds.
func trainMLP(examples []Example, o TrainOptions) (*mlpEnsemble, error) {
	samples, err := prepareSamples(examples, o)
	if err != nil {
		return nil, err
	}
	ens := &mlpEnsemble{bits: o.Bits}
	for i := range max(1, o.Average) {
		oi := o
		oi.Seed = o.Seed + uint64(i)
		ens.models = append(ens.models, fitMLP(samples, oi))
	}
	return ens, nil
}

// predict classifies the examples as Predict does (the gateway's features
// of each, no generic system prompt), with the mean of the models' logits
// at temperature 1.
func (ens *mlpEnsemble) predict(examples []Example) []Prediction {
	out := make([]Prediction, 0, len(examples))
	x := new(feature.Extractor)
	passes := make([]*mlpPass, len(ens.models))
	for i, m := range ens.models {
		passes[i] = m.newPass()
	}
	for i := range examples {
		e := &examples[i]
		want := classIndex(e.Label)
		if want < 0 {
			continue
		}
		in := feature.FromPrompt(e.Text, e.System, e.History, e.WantsJSON, e.Tools)
		x.Reset(ens.bits, nil)
		x.Run(&in)
		counts := x.Counts()
		norm := feature.Norms(&counts)
		feats := slices.Clone(x.Features())
		var z [numClasses]float64
		for j, m := range ens.models {
			zj := m.predict(feats, &norm, passes[j])
			for k := range z {
				z[k] += zj[k] / float64(len(ens.models))
			}
		}
		p := Prediction{Example: e, Label: want}
		for k, v := range detSoftmax(z) {
			p.Scores[k] = float32(v)
		}
		out = append(out, p)
	}
	return out
}

// validateMLP checks the non-linear model's options (o.Hidden > 0).
func (o TrainOptions) validateMLP() error {
	switch {
	case o.Dim < 1 || o.Dim > 256:
		return fmt.Errorf("train: embedding dimension %d out of [1, 256]", o.Dim)
	case o.Hidden > 1024:
		return fmt.Errorf("train: %d hidden units out of [1, 1024]", o.Hidden)
	case !(o.MLPRate > 0):
		return fmt.Errorf("train: hidden layer learning rate %v", o.MLPRate)
	case o.Activation != "relu" && o.Activation != "tanh":
		return fmt.Errorf("train: activation %q: want relu or tanh", o.Activation)
	case o.Clusters != nil || o.DRO > 0:
		return fmt.Errorf("train: the hidden layer is measured without word clusters and DRO")
	}
	return nil
}
