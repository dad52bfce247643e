package offline

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
)

// TrainOptions are the quality predictor's hyperparameters.
type TrainOptions struct {
	// Features is how prompts become features.
	Features FeatureConfig `json:"features"`
	// Epochs is the number of AdaGrad passes over the prompts that learn
	// the per-prompt correction; zero means none (the kinds' priors alone).
	Epochs int `json:"epochs"`
	// ShapeOnly learns the correction from the shape features only.
	ShapeOnly bool `json:"shape_only,omitempty"`
	// LearningRate is AdaGrad's step size, positive.
	LearningRate float64 `json:"learning_rate"`
	// L2 penalizes each model's own weights of text features; SharedL2
	// the shared ones; ShapeL2 every weight of a shape feature (there are
	// few, and they tell kinds of prompts apart).
	L2       float64 `json:"l2"`
	SharedL2 float64 `json:"shared_l2"`
	ShapeL2  float64 `json:"shape_l2"`
	// Clusters is the number of kinds of prompts k-means finds in the
	// training prompts (over the same features, without their scores);
	// each kind's mean scores, shrunk toward the overall means by
	// KindPrior pseudo-prompts, are the prior the weights correct. Below 2
	// means one kind; at most MaxClusters.
	Clusters  int     `json:"clusters"`
	KindPrior float64 `json:"kind_prior"`
	// CalibrationFolds is the number of folds whose out-of-fold logits fit
	// the Platt calibration; below 2 means no calibration (identity).
	CalibrationFolds int `json:"calibration_folds"`
	// Seed seeds the shuffling and the fold assignment.
	Seed uint64 `json:"seed"`
}

// DefaultTrainOptions returns the options `learn fit --no-tune` uses (and
// Tune starts from): three kinds of prompts and no per-prompt correction,
// the best setting on the RouterBench slice (see docs/learning.md).
func DefaultTrainOptions() TrainOptions {
	return TrainOptions{
		Features: DefaultFeatures(), Clusters: 3, KindPrior: 10, Epochs: 0, LearningRate: 0.1,
		L2: 0.1, SharedL2: 0.1, ShapeL2: 1e-2, CalibrationFolds: 5, Seed: 1,
	}
}

// Validate reports options Fit cannot use.
func (o TrainOptions) Validate() error {
	switch {
	case o.Epochs < 0 || o.Epochs > 1000:
		return fmt.Errorf("offline: %d epochs out of [0, 1000]", o.Epochs)
	case !(o.LearningRate > 0) || math.IsInf(o.LearningRate, 0):
		return fmt.Errorf("offline: learning rate %v", o.LearningRate)
	case !(o.L2 >= 0) || !(o.SharedL2 >= 0) || !(o.ShapeL2 >= 0) || math.IsInf(o.L2+o.SharedL2+o.ShapeL2, 0):
		return fmt.Errorf("offline: L2 %v, shared L2 %v, shape L2 %v", o.L2, o.SharedL2, o.ShapeL2)
	case o.Clusters < 0 || o.Clusters > MaxClusters:
		return fmt.Errorf("offline: %d clusters out of [0, %d]", o.Clusters, MaxClusters)
	case !(o.KindPrior >= 0) || math.IsInf(o.KindPrior, 0):
		return fmt.Errorf("offline: kind prior %v", o.KindPrior)
	case o.CalibrationFolds > 20:
		return fmt.Errorf("offline: %d calibration folds (at most 20)", o.CalibrationFolds)
	}
	return o.Features.Validate()
}

// ErrTooFewPrompts is returned by Fit when the data is too small to learn
// from (or to calibrate with the folds asked for).
var ErrTooFewPrompts = errors.New("offline: too few prompts to fit")

// Fit learns a Model from ds. It returns an error for invalid options and
// ErrTooFewPrompts (wrapped) for fewer than 2 prompts per fold.
func Fit(ds *Dataset, o TrainOptions) (*Model, error) {
	if err := o.Validate(); err != nil {
		return nil, err
	}
	if n := len(ds.Prompts); n < 2*max(1, o.CalibrationFolds) {
		return nil, fmt.Errorf("%w: %d prompts", ErrTooFewPrompts, n)
	}
	fd := prepare(ds, o)
	m := fd.train(fd.all(), o)
	if o.CalibrationFolds >= 2 {
		calibrate(m, ds, fd.outOfFold(o))
	}
	fitCost(m, ds)
	m.Trained = TrainInfo{Prompts: len(ds.Prompts), Options: o}
	m.noteWeights()
	return m, m.validate()
}

// Featurize returns the feature vector of every prompt of ds.
func Featurize(ds *Dataset, c FeatureConfig) []Vector {
	vecs := make([]Vector, len(ds.Prompts))
	for i := range ds.Prompts {
		c.Extract(ds.Prompts[i].Text, &vecs[i])
	}
	return vecs
}

// fitData is a dataset ready for training: every prompt's features and
// kind.
type fitData struct {
	ds    *Dataset
	vecs  []Vector
	cents [][]float32
	kinds []int
}

// prepare featurizes ds and finds its kinds of prompts (without looking
// at any score).
func prepare(ds *Dataset, o TrainOptions) *fitData {
	fd := &fitData{ds: ds, vecs: Featurize(ds, o.Features), kinds: make([]int, len(ds.Prompts))}
	if o.Clusters > 1 {
		xs := make([]sparse, len(fd.vecs))
		for i := range fd.vecs {
			xs[i] = toSparse(&fd.vecs[i])
		}
		fd.cents = kmeans(xs, 1<<o.Features.Bits, o.Clusters, 30, o.Seed)
		for i := range fd.vecs {
			fd.kinds[i] = nearestKind(&fd.vecs[i], fd.cents)
		}
	}
	return fd
}

func (fd *fitData) all() []int {
	idx := make([]int, len(fd.ds.Prompts))
	for i := range idx {
		idx[i] = i
	}
	return idx
}

func (fd *fitData) newModel(o TrainOptions) *Model {
	ds, k := fd.ds, len(fd.ds.Models)
	m := &Model{
		Features: o.Features, Models: ds.Models, Centroids: fd.cents,
		Bias: make([]float32, k), CalScale: make([]float32, k), CalShift: make([]float32, k),
		CostBase: make([]float64, k), CostPerKB: make([]float64, k), MeanCost: make([]float64, k),
	}
	m.Weights = make([]float32, (1<<o.Features.Bits)*m.stride())
	for j := range k {
		m.CalScale[j] = 1
	}
	return m
}

// kindPriors returns each kind's prior logit per model (kind-major): the
// kind's mean score on the prompts at idx, shrunk toward the overall mean
// by o.KindPrior pseudo-prompts.
func (fd *fitData) kindPriors(idx []int, o TrainOptions) []float32 {
	k, kinds := len(fd.ds.Models), max(1, len(fd.cents))
	sum, n := make([]float64, kinds*k), make([]float64, kinds)
	all := make([]float64, k)
	for _, i := range idx {
		kind := fd.kinds[i]
		n[kind]++
		for j, y := range fd.ds.Prompts[i].Score {
			sum[kind*k+j] += y
			all[j] += y
		}
	}
	out := make([]float32, kinds*k)
	for kind := range kinds {
		for j := range k {
			global := all[j] / float64(len(idx))
			p := (sum[kind*k+j] + o.KindPrior*global) / (n[kind] + o.KindPrior)
			p = min(1-1e-3, max(1e-3, p))
			out[kind*k+j] = float32(math.Log(p / (1 - p)))
		}
	}
	return out
}

// train fits a model on the prompts at idx: the kinds' priors, then
// AdaGrad on the cross-entropy of every model's score (a fractional score
// is a soft label) for the residual of each prompt's logit over its
// kind's prior.
func (fd *fitData) train(idx []int, o TrainOptions) *Model {
	m := fd.newModel(o)
	m.KindLogit = fd.kindPriors(idx, o)
	k, s := len(m.Models), m.stride()
	w := make([]float64, len(m.Weights))
	acc := make([]float64, len(w))
	bias, biasAcc := make([]float64, k), make([]float64, k)
	order := append([]int(nil), idx...)
	r := rng{state: o.Seed}
	z, g := make([]float64, k), make([]float64, k)
	for range o.Epochs {
		r.shuffle(order)
		for _, i := range order {
			v, y, prior := &fd.vecs[i], fd.ds.Prompts[i].Score, m.KindLogit[fd.kinds[i]*k:][:k]
			for j := range z {
				z[j] = bias[j] + float64(prior[j])
			}
			for f, b := range v.Idx {
				row, val := w[int(b)*s:int(b)*s+s], float64(v.Val[f])
				for j := range z {
					z[j] += val * (row[j] + row[k])
				}
			}
			for j := range g {
				g[j] = sigmoid(z[j]) - y[j]
				biasAcc[j] += g[j] * g[j]
				bias[j] -= o.LearningRate * g[j] / math.Sqrt(biasAcc[j]+adagradInit)
			}
			update(w, acc, v, g, o)
		}
	}
	for j := range k {
		m.Bias[j] = float32(bias[j])
	}
	for i, x := range w {
		m.Weights[i] = float32(x)
	}
	m.noteWeights()
	return m
}

// adagradInit is AdaGrad's initial accumulator: it tames the first steps
// of rare features.
const adagradInit = 0.1

// update takes one AdaGrad step for the gradients g of one prompt's
// logits on the weights of its features.
func update(w, acc []float64, v *Vector, g []float64, o TrainOptions) {
	k := len(g)
	s := k + 1
	for f, b := range v.Idx {
		if o.ShapeOnly && b >= ShapeSlots {
			continue
		}
		off, val := int(b)*s, float64(v.Val[f])
		row, a := w[off:off+s], acc[off:off+s]
		l2, sl2 := o.L2, o.SharedL2
		if b < ShapeSlots {
			l2, sl2 = o.ShapeL2, o.ShapeL2
		}
		sum := 0.0
		for j := range g {
			gj := g[j]*val + l2*row[j]
			a[j] += gj * gj
			row[j] -= o.LearningRate * gj / math.Sqrt(a[j]+adagradInit)
			sum += g[j]
		}
		gs := sum*val + sl2*row[k]
		a[k] += gs * gs
		row[k] -= o.LearningRate * gs / math.Sqrt(a[k]+adagradInit)
	}
}

// outOfFold returns every prompt's logits from a model trained on the
// other folds.
func (fd *fitData) outOfFold(o TrainOptions) [][]float64 {
	folds := Folds(len(fd.ds.Prompts), o.CalibrationFolds, o.Seed)
	oof := make([][]float64, len(fd.ds.Prompts))
	for f := range o.CalibrationFolds {
		var tr, te []int
		for i, fi := range folds {
			if fi == f {
				te = append(te, i)
			} else {
				tr = append(tr, i)
			}
		}
		fm := fd.train(tr, o)
		for _, i := range te {
			oof[i] = make([]float64, len(fd.ds.Models))
			fm.Logits(&fd.vecs[i], fd.kinds[i], oof[i])
		}
	}
	return oof
}

// Folds assigns n items to k folds of (nearly) equal size, shuffled by
// seed.
func Folds(n, k int, seed uint64) []int {
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	r := rng{state: seed ^ 0xF01D}
	r.shuffle(order)
	out := make([]int, n)
	for pos, i := range order {
		out[i] = pos % k
	}
	return out
}

// rng is a splitmix64 generator: small and fixed, so a seed gives the same
// model everywhere.
type rng struct{ state uint64 }

func (r *rng) next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// shuffle permutes s in place (Fisher-Yates).
func (r *rng) shuffle(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j, _ := bits.Mul64(r.next(), uint64(i+1))
		s[i], s[j] = s[j], s[i]
	}
}
