package offline

import (
	"fmt"
	"math"
	"slices"
)

// Model predicts each model's quality for a prompt, and its cost. It is
// immutable once built (by Fit or Load) and safe for concurrent use.
//
// Quality is a logistic regression per model over the prompt's hashed
// features, with a weight vector shared by every model (what makes a
// prompt hard for all of them) added to each model's own, then a Platt
// calibration per model fitted on out-of-fold predictions. Cost is linear
// in the prompt's length, per model.
type Model struct {
	// Features is how prompts are featurized.
	Features FeatureConfig
	// Models names the models, sorted; every per-model slice below is in
	// this order.
	Models []string
	// Bias is each model's intercept.
	Bias []float32
	// Weights is bucket-major with stride len(Models)+1: bucket b's weight
	// for model m is Weights[b*stride+m], and Weights[b*stride+len(Models)]
	// is the shared weight.
	Weights []float32
	// Centroids are the kinds of prompts (unit vectors over the buckets);
	// none means one kind.
	Centroids [][]float32
	// KindLogit is each kind's prior logit per model (kind-major, stride
	// len(Models)); the weights correct it per prompt.
	KindLogit []float32
	// CalScale and CalShift calibrate: p = σ(CalScale·z + CalShift).
	CalScale, CalShift []float32
	// CostBase and CostPerKB predict a model's cost in USD for a prompt of
	// n bytes: CostBase + CostPerKB·n/1024 (never below zero).
	CostBase, CostPerKB []float64
	// MeanCost is each model's mean cost per prompt in the training data.
	MeanCost []float64
	// CostScale is the unit of λ: the mean cost per prompt of the costliest
	// model in the training data. A route's λ = 1 means that paying
	// CostScale more per request is worth one whole point of quality (0→1).
	CostScale float64
	// Trained records what the model was fitted on.
	Trained TrainInfo

	// weighted says which features have any weight, so that Logits skips
	// the others: 0 none (the kinds' priors alone), 1 the shape features
	// only, 2 all. Fit and Load set it.
	weighted int
}

// TrainInfo records how a model was fitted.
type TrainInfo struct {
	Prompts int          `json:"prompts"`
	Options TrainOptions `json:"options"`
	// CVScore is the cross-validated routing score of the options when
	// Tune chose them (see Tune), else zero.
	CVScore float64 `json:"cv_score,omitempty"`
}

// stride is the weight row length of one bucket.
func (m *Model) stride() int { return len(m.Models) + 1 }

// Index returns the position of the model called name, or -1.
func (m *Model) Index(name string) int { return slices.Index(m.Models, name) }

// Vectorize writes the features of a prompt into v and returns its kind.
// It does not allocate once v has grown.
func (m *Model) Vectorize(text string, v *Vector) int {
	m.Features.Extract(text, v)
	if len(m.Centroids) == 0 {
		return 0
	}
	return nearestKind(v, m.Centroids)
}

// Logits writes each model's uncalibrated logit for a prompt of features
// v and kind into out, which must have len(m.Models) elements. It does
// not allocate.
func (m *Model) Logits(v *Vector, kind int, out []float64) {
	k := len(m.Models)
	prior := m.KindLogit[kind*k:][:k]
	for j := range out[:k] {
		out[j] = float64(m.Bias[j]) + float64(prior[j])
	}
	if m.weighted == 0 {
		return
	}
	s := m.stride()
	w := m.Weights
	for i, b := range v.Idx {
		if m.weighted == 1 && b >= ShapeSlots {
			continue
		}
		val := float64(v.Val[i])
		row := w[int(b)*s : int(b)*s+s]
		shared := float64(row[k])
		for j := range out[:k] {
			out[j] += val * (float64(row[j]) + shared)
		}
	}
}

// Predict writes each model's calibrated probability of a good answer for
// a prompt of features v and kind into out (len(m.Models) elements). It
// does not allocate.
func (m *Model) Predict(v *Vector, kind int, out []float64) {
	m.Logits(v, kind, out)
	for j := range out[:len(m.Models)] {
		out[j] = sigmoid(float64(m.CalScale[j])*out[j] + float64(m.CalShift[j]))
	}
}

// noteWeights sets weighted from the weights.
func (m *Model) noteWeights() {
	m.weighted = 0
	for i, x := range m.Weights {
		if x == 0 {
			continue
		}
		if i/m.stride() >= ShapeSlots {
			m.weighted = 2
			return
		}
		m.weighted = 1
	}
}

// Cost returns model j's predicted cost in USD for a prompt of n bytes.
func (m *Model) Cost(j, n int) float64 {
	return max(0, m.CostBase[j]+m.CostPerKB[j]*float64(n)/1024)
}

// validate checks the shapes Load and Fit promise.
func (m *Model) validate() error {
	k := len(m.Models)
	switch {
	case k == 0:
		return fmt.Errorf("%w: no models", ErrBadModel)
	case !slices.IsSorted(m.Models) || len(slices.Compact(slices.Clone(m.Models))) != k:
		return fmt.Errorf("%w: model names not sorted and unique", ErrBadModel)
	case len(m.Bias) != k || len(m.CalScale) != k || len(m.CalShift) != k ||
		len(m.CostBase) != k || len(m.CostPerKB) != k || len(m.MeanCost) != k:
		return fmt.Errorf("%w: per-model arrays of the wrong length", ErrBadModel)
	case len(m.Weights) != (1<<m.Features.Bits)*m.stride():
		return fmt.Errorf("%w: %d weights, want %d", ErrBadModel, len(m.Weights), (1<<m.Features.Bits)*m.stride())
	case len(m.KindLogit) != max(1, len(m.Centroids))*k:
		return fmt.Errorf("%w: %d kind priors for %d kinds of %d models", ErrBadModel, len(m.KindLogit), len(m.Centroids), k)
	case !(m.CostScale >= 0) || math.IsInf(m.CostScale, 0):
		return fmt.Errorf("%w: cost scale %v", ErrBadModel, m.CostScale)
	}
	for _, c := range m.Centroids {
		if len(c) != 1<<m.Features.Bits {
			return fmt.Errorf("%w: a centroid of %d buckets, want %d", ErrBadModel, len(c), 1<<m.Features.Bits)
		}
		if err := finite32(c); err != nil {
			return err
		}
	}
	if err := m.Features.Validate(); err != nil {
		return fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	for _, s := range [][]float32{m.Bias, m.KindLogit, m.CalScale, m.CalShift, m.Weights} {
		if err := finite32(s); err != nil {
			return err
		}
	}
	for _, s := range [][]float64{m.CostBase, m.CostPerKB, m.MeanCost} {
		for _, x := range s {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return fmt.Errorf("%w: a cost is not finite", ErrBadModel)
			}
		}
	}
	return nil
}

func finite32(s []float32) error {
	for _, x := range s {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return fmt.Errorf("%w: a weight is not finite", ErrBadModel)
		}
	}
	return nil
}

func sigmoid(z float64) float64 {
	if z >= 0 {
		return 1 / (1 + math.Exp(-z))
	}
	e := math.Exp(z)
	return e / (1 + e)
}
