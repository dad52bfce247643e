package train

import (
	"math"
	"slices"
	"testing"

	"switchyard/classify/internal/feature"
)

// mlpOptions are tinyOptions with a small hidden layer.
func mlpOptions() TrainOptions {
	o := tinyOptions()
	o.Hidden, o.Dim, o.MLPRate, o.Activation = 8, 8, 0.1, "relu"
	return o
}

// loss is the weighted cross-entropy of s under m.
func loss(m *mlp, s *sample) float64 {
	p := m.newPass()
	m.forward(s.feats, &s.norm, p)
	return float64(s.weight * crossEntropy(detSoftmax(p.z)[s.class]))
}

// The analytic gradient (backward, and v_f·∂x for a feature's embedding
// and linear row) matches central differences on every parameter of a
// small model, for both activations and with a repeated feature.
func TestMLPGradientMatchesFiniteDifferences(t *testing.T) {
	const words = 0 // the word namespace
	ws, st := uint32(words)<<feature.NSShift, uint32(feature.NSStruct)<<feature.NSShift
	s := &sample{feats: []uint32{ws | 3, ws | 7, ws | 3, st | 5}, class: 2, weight: 1.5}
	s.norm[words], s.norm[feature.NSStruct] = 1/math.Sqrt(3), 1
	for _, tanh := range []bool{false, true} {
		m := newMLP(10, 3, 4, tanh, true, 7)
		for i := range m.lin { // a linear part and biases away from zero
			m.lin[i] = 0.01 * float64(i%13-6)
		}
		m.bias = [numClasses]float64{0.1, -0.2, 0.3, 0, 0.05, -0.1, 0.2}
		p, gr := m.newPass(), m.newGrad()
		m.forward(s.feats, &s.norm, p)
		g := detSoftmax(p.z)
		g[s.class] -= 1
		for k := range g {
			g[k] *= s.weight
		}
		m.backward(p, &g, gr)
		check := func(name string, w []float64, i int, want float64) {
			t.Helper()
			const h = 1e-6
			old := w[i]
			w[i] = old + h
			up := loss(m, s)
			w[i] = old - h
			down := loss(m, s)
			w[i] = old
			if num := (up - down) / (2 * h); math.Abs(num-want) > 1e-6*max(1, math.Abs(num)) {
				t.Errorf("tanh %t: ∂loss/∂%s[%d] = %.9f analytic, %.9f numeric", tanh, name, i, want, num)
			}
		}
		for k := range numClasses {
			check("bias", m.bias[:], k, gr.bias[k])
		}
		for i := range m.out {
			check("B", m.out, i, gr.out[i])
		}
		for i := range m.in {
			check("A", m.in, i, gr.in[i])
		}
		for i := range m.inBias {
			check("a", m.inBias, i, gr.inB[i])
		}
		for _, f := range []uint32{ws | 3, ws | 7, st | 5} {
			v, b, n := s.norm[f>>feature.NSShift], int(f&(1<<feature.NSShift-1)), float64(countOf(s.feats, f))
			for i := range m.dim {
				check("E", m.emb, b*m.dim+i, n*v*gr.x[i])
			}
			for k := range numClasses {
				check("W", m.lin, b*numClasses+k, n*v*gr.bias[k])
			}
		}
	}
}

func countOf(s []uint32, f uint32) int {
	n := 0
	for _, g := range s {
		if g == f {
			n++
		}
	}
	return n
}

// xorSamples is XOR of two binary features (plus one always present): no
// linear model gets more than three of the four patterns right.
func xorSamples() []sample {
	st := uint32(feature.NSStruct) << feature.NSShift
	patterns := []struct {
		feats []uint32
		class int
	}{
		{[]uint32{st | 1}, 0}, {[]uint32{st | 1, st | 2}, 1},
		{[]uint32{st | 1, st | 3}, 1}, {[]uint32{st | 1, st | 2, st | 3}, 0},
	}
	var out []sample
	for range 20 {
		for _, p := range patterns {
			s := sample{feats: p.feats, class: p.class, weight: 1}
			s.norm[feature.NSStruct] = 1
			out = append(out, s)
		}
	}
	return out
}

// The hidden layer learns XOR, which the linear model cannot, with and
// without the linear part beside it.
func TestMLPLearnsXORTheLinearModelCannot(t *testing.T) {
	samples := xorSamples()
	o := mlpOptions()
	o.Bits, o.Epochs = 10, 60
	right := func(logits func(s *sample) [numClasses]float64) int {
		n := 0
		for i := range samples[:4] {
			z := logits(&samples[i])
			if z[samples[i].class] == slices.Max(z[:]) {
				n++
			}
		}
		return n
	}
	w, bias := fit(samples, o)
	linear := right(func(s *sample) [numClasses]float64 {
		z := bias
		for _, f := range s.feats {
			for k := range z {
				z[k] += w[int(f&(1<<feature.NSShift-1))*numClasses+k]
			}
		}
		return z
	})
	if linear > 3 {
		t.Fatalf("the linear model got %d of 4 XOR patterns: the test shows nothing", linear)
	}
	for _, only := range []bool{false, true} {
		for _, act := range []string{"relu", "tanh"} {
			o.MLPOnly, o.Activation = only, act
			m := fitMLP(samples, o)
			p := m.newPass()
			if n := right(func(s *sample) [numClasses]float64 { return m.predict(s.feats, &s.norm, p) }); n != 4 {
				t.Errorf("%s, MLP only %t: %d of 4 XOR patterns right, want 4 (linear: %d)", act, only, n, linear)
			}
		}
	}
}

// Training is deterministic: the same seed gives the same weights, another
// seed others; the ensemble's scores are the softmax of the mean logits,
// and it learns the tiny set through the gateway's feature extraction.
func TestTrainMLPDeterministicAndLearns(t *testing.T) {
	o := mlpOptions()
	samples, err := prepareSamples(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	a, b := fitMLP(samples, o), fitMLP(samples, o)
	if !slices.Equal(a.emb, b.emb) || !slices.Equal(a.in, b.in) || !slices.Equal(a.lin, b.lin) || a.bias != b.bias {
		t.Fatal("two fits with the same seed differ")
	}
	o.Seed++
	if c := fitMLP(samples, o); slices.Equal(a.emb, c.emb) {
		t.Fatal("two seeds gave the same embeddings")
	}
	o.Seed, o.Average = 1, 2
	ens, err := trainMLP(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	preds := ens.predict(tiny)
	if r := Score(preds); r.Accuracy < 0.9 {
		t.Errorf("training accuracy on the tiny set = %.2f, want >= 0.9", r.Accuracy)
	}
	one := &mlpEnsemble{models: ens.models[:1], bits: o.Bits}
	two := &mlpEnsemble{models: ens.models[1:], bits: o.Bits}
	p1, p2 := one.predict(tiny[:1]), two.predict(tiny[:1])
	var z [numClasses]float64
	for k := range z {
		z[k] = (math.Log(float64(p1[0].Scores[k])) + math.Log(float64(p2[0].Scores[k]))) / 2
	}
	want := detSoftmax(z)
	for k := range want {
		if math.Abs(want[k]-float64(preds[0].Scores[k])) > 1e-5 {
			t.Fatalf("ensemble scores %v, want the softmax of the mean logits %v", preds[0].Scores, want)
		}
	}
}

// Train refuses a hidden layer (the classify package cannot run it), and
// the hidden layer's options are checked.
func TestMLPOptionsAreChecked(t *testing.T) {
	if _, err := Train(tiny, mlpOptions()); err == nil {
		t.Error("Train with a hidden layer succeeded")
	}
	for name, change := range map[string]func(*TrainOptions){
		"dim 0":         func(o *TrainOptions) { o.Dim = 0 },
		"rate 0":        func(o *TrainOptions) { o.MLPRate = 0 },
		"activation":    func(o *TrainOptions) { o.Activation = "gelu" },
		"DRO":           func(o *TrainOptions) { o.DRO = 1 },
		"hidden 2000":   func(o *TrainOptions) { o.Hidden = 2000 },
		"hidden -1":     func(o *TrainOptions) { o.Hidden = -1 },
		"linear, rate0": nil,
	} {
		o := mlpOptions()
		if change == nil {
			o.Hidden, o.MLPRate = 0, 0 // the linear model ignores the hidden layer's options
			if err := o.validate(); err != nil {
				t.Errorf("%s: %v", name, err)
			}
			continue
		}
		change(&o)
		if err := o.validate(); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}
