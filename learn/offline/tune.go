package offline

import (
	"fmt"
	"math"
)

// Grid is the search Tune runs: every number of kinds with every residual
// setting. An empty list keeps the starting value.
type Grid struct {
	Clusters  []int
	Residuals []Residual
}

// Residual is one setting of the per-prompt correction of the kinds'
// priors.
type Residual struct {
	// Name labels the setting in reports.
	Name string `json:"name"`
	// Epochs of training; zero means no correction (the kinds' priors
	// alone, calibrated).
	Epochs int `json:"epochs"`
	// ShapeOnly trains the shape features' weights only.
	ShapeOnly             bool    `json:"shape_only,omitempty"`
	L2, SharedL2, ShapeL2 float64 `json:"-"`
}

// DefaultGrid returns the search `learn fit` and `replay` run.
func DefaultGrid() Grid {
	return Grid{
		Clusters: []int{1, 3, 6, 12},
		Residuals: []Residual{
			{Name: "none"},
			{Name: "shape", Epochs: 12, ShapeOnly: true, ShapeL2: 1e-2},
			{Name: "text", Epochs: 12, L2: 0.1, SharedL2: 0.1, ShapeL2: 1e-2},
		},
	}
}

// TuneResult is the outcome of a search: the best options, their
// cross-validated routing score, and every candidate tried.
type TuneResult struct {
	Best      TrainOptions
	BestScore float64
	Tried     []Trial
}

// Trial is one candidate of a search.
type Trial struct {
	Options TrainOptions `json:"options"`
	// Score is the cross-validated routing score (see Tune); LogLoss the
	// cross-validated log loss, for information.
	Score   float64 `json:"score"`
	LogLoss float64 `json:"log_loss"`
}

// Tune picks the options of the grid (around start) that route the
// prompts of ds best under cross-validation: every prompt is predicted by
// a model fitted on the other folds, the pooled predictions are swept
// over λ, and the score is the mean share of the reference model's
// quality reached at 10%, 25%, 50%, 75% and 100% of its cost. It never
// sees data outside ds.
func Tune(ds *Dataset, start TrainOptions, g Grid, folds int) (*TuneResult, error) {
	if folds < 2 {
		return nil, fmt.Errorf("offline: tune needs at least 2 folds, got %d", folds)
	}
	if len(ds.Prompts) < 2*folds {
		return nil, fmt.Errorf("%w: %d prompts for %d folds", ErrTooFewPrompts, len(ds.Prompts), folds)
	}
	if err := start.Validate(); err != nil {
		return nil, err
	}
	res := &TuneResult{BestScore: math.Inf(-1)}
	prepared := map[int]*fitData{}
	for _, o := range g.candidates(start) {
		if err := o.Validate(); err != nil {
			return nil, err
		}
		fd := prepared[o.Clusters]
		if fd == nil {
			fd = prepare(ds, o)
			prepared[o.Clusters] = fd
		}
		o.CalibrationFolds = folds
		oof := fd.outOfFold(o)
		o.CalibrationFolds = start.CalibrationFolds
		tr := Trial{Options: o, Score: routingScore(ds, oof), LogLoss: logLoss(ds, oof)}
		res.Tried = append(res.Tried, tr)
		if tr.Score > res.BestScore {
			res.Best, res.BestScore = o, tr.Score
		}
	}
	return res, nil
}

func (g Grid) candidates(start TrainOptions) []TrainOptions {
	clusters, residuals := g.Clusters, g.Residuals
	if len(clusters) == 0 {
		clusters = []int{start.Clusters}
	}
	if len(residuals) == 0 {
		residuals = []Residual{{Epochs: start.Epochs, ShapeOnly: start.ShapeOnly, L2: start.L2, SharedL2: start.SharedL2, ShapeL2: start.ShapeL2}}
	}
	var out []TrainOptions
	for _, c := range clusters {
		for _, r := range residuals {
			o := start
			o.Clusters = c
			o.Epochs, o.ShapeOnly, o.L2, o.SharedL2, o.ShapeL2 = r.Epochs, r.ShapeOnly, r.L2, r.SharedL2, r.ShapeL2
			out = append(out, o)
		}
	}
	return out
}

// routingScore calibrates the out-of-fold logits, routes every prompt
// with them (costs are each model's mean) and returns the mean share of
// the reference's quality reached at 10-100% of its cost.
func routingScore(ds *Dataset, oof [][]float64) float64 {
	k := len(ds.Models)
	est := &Estimates{Quality: make([][]float64, len(oof)), Cost: make([][]float64, len(oof))}
	base := Baselines(ds)
	cost, scale := make([]float64, k), 0.0
	for j, name := range ds.Models {
		cost[j] = base[name].CostPerQuery
		scale = max(scale, cost[j])
	}
	for i := range oof {
		est.Quality[i], est.Cost[i] = make([]float64, k), cost
	}
	z, y := make([]float64, len(oof)), make([]float64, len(oof))
	for j := range k {
		for i := range oof {
			z[i], y[i] = oof[i][j], ds.Prompts[i].Score[j]
		}
		a, c := platt(z, y)
		for i := range oof {
			est.Quality[i][j] = sigmoid(a*z[i] + c)
		}
	}
	front := Frontier(Sweep(ds, est, DefaultLambdas(), scale))
	_, ref := Reference(base)
	if ref.Quality == 0 {
		return 0
	}
	shares := []float64{0.1, 0.25, 0.5, 0.75, 1}
	sum := 0.0
	for _, s := range shares {
		if q, ok := QualityAt(front, s*ref.CostPerQuery); ok {
			sum += q / ref.Quality
		}
	}
	return sum / float64(len(shares))
}

// logLoss is the mean cross-entropy of logits, over prompts and models.
func logLoss(ds *Dataset, logits [][]float64) float64 {
	sum := 0.0
	for i, z := range logits {
		for j, zj := range z {
			p := min(1-1e-9, max(1e-9, sigmoid(zj)))
			y := ds.Prompts[i].Score[j]
			sum -= y*math.Log(p) + (1-y)*math.Log(1-p)
		}
	}
	return sum / float64(len(logits)*len(ds.Models))
}
