package offline

import (
	"fmt"
)

// ReplayOptions say how Replay fits and sweeps. The zero value is not
// usable: start from DefaultReplayOptions.
type ReplayOptions struct {
	// Train are the learned router's options; with Tune, the starting
	// point of the search.
	Train TrainOptions
	// Tune chooses the hyperparameters by cross-validation inside the
	// training prompts (never looking at the test prompts).
	Tune bool
	// TuneFolds is the number of cross-validation folds of the search.
	TuneFolds int
	// KNN is the nearest-neighbour baseline's K.
	KNN int
	// Lambdas is the sweep; nil means DefaultLambdas.
	Lambdas []float64
}

// DefaultReplayOptions returns the options `switchyard replay` uses.
func DefaultReplayOptions() ReplayOptions {
	return ReplayOptions{Train: DefaultTrainOptions(), Tune: true, TuneFolds: 4, KNN: 20}
}

// Report is the result of a replay: the learned router's curve over λ and
// its summary, the single models, random and oracle choices, and the
// baseline routers' curves, all on the same test prompts.
type Report struct {
	Data      DataInfo           `json:"data"`
	Points    []Point            `json:"points"`
	Baselines map[string]Outcome `json:"baselines"`
	Random    Outcome            `json:"random"`
	Oracle    Outcome            `json:"oracle"`
	Summary   Summary            `json:"summary"`
	// Routers holds the baseline routers: "knn" and "per_task" (which is
	// told each prompt's task, unlike the others).
	Routers map[string]Curve `json:"routers"`
}

// Curve is a router's points and their summary.
type Curve struct {
	Points  []Point `json:"points"`
	Summary Summary `json:"summary"`
}

// DataInfo says what a replay was fitted and evaluated on.
type DataInfo struct {
	// Split says how the test prompts were chosen, e.g. "holdout 0.30 seed
	// 1", "split train/test" or "task=mbpp held out".
	Split        string       `json:"split"`
	TrainPrompts int          `json:"train_prompts"`
	TestPrompts  int          `json:"test_prompts"`
	Models       []string     `json:"models"`
	Options      TrainOptions `json:"options"`
	// CVScore is the tuning's best cross-validated routing score (0
	// without tuning; see Tune).
	CVScore float64 `json:"cv_score,omitempty"`
}

// Replay fits a router on train, routes test's prompts with it at every λ
// without calling any model, and compares it with the baselines.
func Replay(train, test *Dataset, split string, o ReplayOptions) (*Report, error) {
	if len(test.Prompts) == 0 {
		return nil, fmt.Errorf("offline: no test prompts")
	}
	opts, cvScore := o.Train, 0.0
	if o.Tune {
		res, err := Tune(train, o.Train, DefaultGrid(), o.TuneFolds)
		if err != nil {
			return nil, err
		}
		opts, cvScore = res.Best, res.BestScore
	}
	m, err := Fit(train, opts)
	if err != nil {
		return nil, err
	}
	lambdas := o.Lambdas
	if lambdas == nil {
		lambdas = DefaultLambdas()
	}
	base := Baselines(test)
	rep := &Report{
		Data: DataInfo{Split: split, TrainPrompts: len(train.Prompts), TestPrompts: len(test.Prompts),
			Models: train.Models, Options: opts, CVScore: cvScore},
		Baselines: base, Random: Random(base), Oracle: Oracle(test),
		Routers: map[string]Curve{},
	}
	rep.Points = Sweep(test, m.Estimate(test), lambdas, m.CostScale)
	rep.Summary = Summarize(rep.Points, base)
	for name, est := range map[string]*Estimates{
		"knn":      NewKNN(train, opts.Features, o.KNN).Estimate(test),
		"per_task": PerTask(train, test),
	} {
		pts := Sweep(test, est, lambdas, m.CostScale)
		rep.Routers[name] = Curve{Points: pts, Summary: Summarize(pts, base)}
	}
	return rep, nil
}
