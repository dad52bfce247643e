package offline

import (
	"bytes"
	"errors"
	"math"
	"testing"
)

// The learned router tells the two kinds of synthetic prompts apart: it
// predicts each model's quality per kind, and at a moderate λ sends code
// to coder and quizzes to quizzer, near big's quality at a fraction of
// its cost.
func TestFitLearnsKinds(t *testing.T) {
	ds := synthDataset(t, 400)
	tr, te, err := SplitIndexes(ds, "train", "test")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"kinds", "residual"} {
		t.Run(name, func(t *testing.T) {
			o := fastOptions()
			if name == "residual" { // one kind: the correction must learn the difference
				o.Clusters, o.Epochs = 1, 12
			}
			m, err := Fit(ds.Subset(tr), o)
			if err != nil {
				t.Fatal(err)
			}
			test := ds.Subset(te)
			est := m.Estimate(test)
			for i, p := range test.Prompts {
				kind := map[string]int{"code": 0, "quiz": 1}[p.Task]
				for j, model := range m.Models {
					if want := synthP[model][kind]; math.Abs(est.Quality[i][j]-want) > 0.2 {
						t.Fatalf("%s on a %s prompt: p̂ %.2f, true %.2f", model, p.Task, est.Quality[i][j], want)
					}
				}
			}
			s := Summarize(Sweep(test, est, DefaultLambdas(), m.CostScale), Baselines(test))
			if s.Reference != "big" || s.QualityAt25PctCost == nil || *s.QualityAt25PctCost < 0.9 {
				t.Errorf("summary %+v: want ≥ 90%% of big's quality at 25%% of its cost", s)
			}
		})
	}
}

func TestFitCostModel(t *testing.T) {
	ds := synthDataset(t, 100)
	// Cost grows with the prompt's length for big.
	for i := range ds.Prompts {
		ds.Prompts[i].Cost[0] = 0.001 + 0.002*float64(len(ds.Prompts[i].Text))/1024
	}
	m, err := Fit(ds, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(m.CostBase[0]-0.001) > 1e-9 || math.Abs(m.CostPerKB[0]-0.002) > 1e-9 {
		t.Errorf("big's cost line %v + %v/KB, want 0.001 + 0.002/KB", m.CostBase[0], m.CostPerKB[0])
	}
	if math.Abs(m.CostPerKB[1]) > 1e-12 || math.Abs(m.Cost(1, 5000)-0.001) > 1e-12 {
		t.Errorf("coder's flat cost: %v + %v/KB", m.CostBase[1], m.CostPerKB[1])
	}
	if want := m.MeanCost[0]; m.CostScale != want {
		t.Errorf("cost scale %v, want big's mean %v", m.CostScale, want)
	}
}

func TestPlatt(t *testing.T) {
	// Logits twice too confident: the calibration halves them.
	var z, y []float64
	r := rng{state: 3}
	for range 4000 {
		zi := float64(r.next()%2000)/250 - 4
		p := sigmoid(zi / 2)
		yi := 0.0
		if float64(r.next()>>11)/(1<<53) < p {
			yi = 1
		}
		z, y = append(z, zi), append(y, yi)
	}
	a, c := platt(z, y)
	if math.Abs(a-0.5) > 0.08 || math.Abs(c) > 0.15 {
		t.Errorf("platt = %.3f, %.3f; want about 0.5, 0", a, c)
	}
}

func TestModelFileRoundTrip(t *testing.T) {
	ds := synthDataset(t, 200)
	o := fastOptions()
	o.Epochs = 3
	m, err := Fit(ds, o)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := Load(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	var v Vector
	p1, p2 := make([]float64, 3), make([]float64, 3)
	for i := range ds.Prompts {
		k1 := m.Vectorize(ds.Prompts[i].Text, &v)
		m.Predict(&v, k1, p1)
		k2 := got.Vectorize(ds.Prompts[i].Text, &v)
		got.Predict(&v, k2, p2)
		if k1 != k2 || p1[0] != p2[0] || p1[1] != p2[1] || p1[2] != p2[2] {
			t.Fatalf("prompt %d: %d %v before saving, %d %v after", i, k1, p1, k2, p2)
		}
	}
	if got.CostScale != m.CostScale || got.Trained.Prompts != 200 || len(got.Centroids) != 3 {
		t.Errorf("loaded %+v", got.Trained)
	}
	b := buf.Bytes()
	if _, err := Load(bytes.NewReader(b[:len(b)-9])); !errors.Is(err, ErrBadModel) {
		t.Errorf("truncated: %v", err)
	}
	if _, err := Load(bytes.NewReader([]byte("not a model"))); !errors.Is(err, ErrBadModel) {
		t.Errorf("garbage: %v", err)
	}
}

// A model file whose body was altered, or made with other features, is
// refused.
func TestModelFileValidation(t *testing.T) {
	ds := synthDataset(t, 60)
	m, err := Fit(ds, fastOptions())
	if err != nil {
		t.Fatal(err)
	}
	for name, mutate := range map[string]func(*Model){
		"weights":      func(m *Model) { m.Weights = m.Weights[:10] },
		"nan":          func(m *Model) { m.Bias[0] = float32(math.NaN()) },
		"unsorted":     func(m *Model) { m.Models = []string{"z", "a", "b"} },
		"kind priors":  func(m *Model) { m.KindLogit = m.KindLogit[:1] },
		"cost":         func(m *Model) { m.CostScale = math.Inf(1) },
		"feature bits": func(m *Model) { m.Features.Bits = 30 },
	} {
		c := *m
		c.Models, c.Bias, c.KindLogit = append([]string(nil), m.Models...), append([]float32(nil), m.Bias...), append([]float32(nil), m.KindLogit...)
		mutate(&c)
		var buf bytes.Buffer
		err := c.Save(&buf)
		if err == nil {
			_, err = Load(&buf)
		}
		if !errors.Is(err, ErrBadModel) {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// A model without a correction, or with a shape-only one, predicts the
// same as if it read every weight.
func TestLogitsSkipsUnweighted(t *testing.T) {
	ds := synthDataset(t, 120)
	for _, o := range []TrainOptions{fastOptions(), func() TrainOptions {
		o := fastOptions()
		o.Epochs, o.ShapeOnly = 3, true
		return o
	}()} {
		m, err := Fit(ds, o)
		if err != nil {
			t.Fatal(err)
		}
		want := map[bool]int{false: 0, true: 1}[o.Epochs > 0]
		if m.weighted != want {
			t.Fatalf("weighted %d, want %d", m.weighted, want)
		}
		full := *m
		full.weighted = 2
		var v Vector
		a, b := make([]float64, 3), make([]float64, 3)
		for i := range ds.Prompts {
			kind := m.Vectorize(ds.Prompts[i].Text, &v)
			m.Logits(&v, kind, a)
			full.Logits(&v, kind, b)
			for j := range a {
				if math.Abs(a[j]-b[j]) > 1e-12 {
					t.Fatalf("prompt %d model %d: %v skipping, %v reading all", i, j, a[j], b[j])
				}
			}
		}
	}
}
