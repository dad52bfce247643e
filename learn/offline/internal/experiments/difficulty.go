package main

import (
	"fmt"

	"switchyard/learn/offline"
)

// auxPath is the auxiliary outcome data the difficulty experiment learns
// from (set by -aux).
var auxPath string

// difficulty tests per-prompt difficulty signals on top of the learned
// router as shipped (options tuned by CV inside the training part): a
// difficulty model learned from other models' outcomes on other prompts
// (the auxiliary data, minus every prompt near-duplicating a held-out
// one), hand-made cues of difficulty, and, as a ceiling that is no
// router, the auxiliary models' true scores where a prompt is in the
// auxiliary data. Each signal shifts every model's logit by w·x, w per
// (kind, model) fitted on out-of-fold predictions of the training part,
// its penalty chosen by 4-fold CV there; and the CV also chooses among
// all the signals and none.
func difficulty(ds *offline.Dataset) error {
	aux, err := offline.ReadFile(auxPath)
	if err != nil {
		return err
	}
	fmt.Printf("auxiliary data: %d prompts, %d models\n", len(aux.Prompts), len(aux.Models))
	all := map[string]*runs{}
	order := []string{"shipped"}
	add := func(name string, seed uint64, s offline.Summary, note string) {
		if all[name] == nil {
			all[name] = &runs{name: name}
			order = append(order, name)
		}
		all[name].add(seed, s, note)
	}
	all["shipped"] = &runs{name: "shipped"}
	for _, h := range holdouts(ds) {
		if err := difficultyHoldout(aux, h, add); err != nil {
			return err
		}
	}
	for _, name := range order {
		all[name].mean()
	}
	return nil
}

func difficultyHoldout(aux *offline.Dataset, h holdout, add func(string, uint64, offline.Summary, string)) error {
	res, err := offline.Tune(h.train, offline.DefaultTrainOptions(), offline.DefaultGrid(), 4)
	if err != nil {
		return err
	}
	m, err := offline.Fit(h.train, res.Best)
	if err != nil {
		return err
	}
	base := m.Estimate(h.test)
	add("shipped", h.seed, summarize(h.test, base, m.CostScale), fmt.Sprintf("(%d kinds, %d epochs)", res.Best.Clusters, res.Best.Epochs))
	fs := folds(len(h.train.Prompts), 4)
	oof, err := outOfFoldEstimates(h.train, res.Best, fs)
	if err != nil {
		return err
	}
	forTest, forFold, dropped, err := auxModels(aux, h.train, h.test, fs)
	if err != nil {
		return err
	}
	ceiling, mTrain, mTest := ceilingSignal(aux, h.train, h.test)
	fmt.Printf("seed %d: %d auxiliary prompts near-duplicate a test prompt (dropped); %d training and %d test prompts contain an auxiliary one\n",
		h.seed, dropped, mTrain, mTest)
	signals := append(auxSignals(forTest, forFold, h.train, h.test, fs), cueSignal(h.train, h.test))
	nk := max(1, len(m.Centroids))
	kkTrain, kkTest := kinds(m, h.train), kinds(m, h.test)
	bestName, bestCV, bestEst := "shipped", cvScore(h.train, oof, m.CostScale), base
	for _, s := range append(signals, ceiling) {
		l2, cv := chooseL2(h.train, oof, s.train, kkTrain, nk, fs, m.CostScale)
		est := fitShift(h.train, oof.Quality, s.train, kkTrain, nk, l2).apply(base, s.test, kkTest)
		add(s.name, h.seed, summarize(h.test, est, m.CostScale), fmt.Sprintf("(L2 %g, CV %.4f against %.4f)", l2, cv, cvScore(h.train, oof, m.CostScale)))
		if s.name != ceiling.name && cv > bestCV {
			bestName, bestCV, bestEst = s.name, cv, est
		}
	}
	add("chosen by CV", h.seed, summarize(h.test, bestEst, m.CostScale), "("+bestName+")")
	return nil
}

// outOfFoldEstimates predicts every training prompt with a model fitted
// on the other folds.
func outOfFoldEstimates(train *offline.Dataset, o offline.TrainOptions, fs [][2][]int) (*offline.Estimates, error) {
	n := len(train.Prompts)
	est := &offline.Estimates{Quality: make([][]float64, n), Cost: make([][]float64, n)}
	for _, f := range fs {
		m, err := offline.Fit(train.Subset(f[0]), o)
		if err != nil {
			return nil, err
		}
		e := m.Estimate(train.Subset(f[1]))
		for x, i := range f[1] {
			est.Quality[i], est.Cost[i] = e.Quality[x], e.Cost[x]
		}
	}
	return est, nil
}

// chooseL2 picks the shift's penalty by the routing score of the shifted
// out-of-fold estimates, each fold shifted by weights fitted on the
// others.
func chooseL2(train *offline.Dataset, oof *offline.Estimates, x [][]float64, kk []int, nk int, fs [][2][]int, scale float64) (float64, float64) {
	best, bestScore := 0.0, -1.0
	for _, l2 := range []float64{1, 10, 100, 1000} {
		shifted := &offline.Estimates{Quality: make([][]float64, len(oof.Quality)), Cost: oof.Cost}
		for _, f := range fs {
			sub := train.Subset(f[0])
			s := fitShift(sub, pick(oof.Quality, f[0]), pick(x, f[0]), pickInt(kk, f[0]), nk, l2)
			e := s.apply(&offline.Estimates{Quality: pick(oof.Quality, f[1])}, pick(x, f[1]), pickInt(kk, f[1]))
			for j, i := range f[1] {
				shifted.Quality[i] = e.Quality[j]
			}
		}
		if score := cvScore(train, shifted, scale); score > bestScore {
			best, bestScore = l2, score
		}
	}
	return best, bestScore
}

func pick(x [][]float64, idx []int) [][]float64 {
	out := make([][]float64, len(idx))
	for j, i := range idx {
		out[j] = x[i]
	}
	return out
}

func pickInt(x []int, idx []int) []int {
	out := make([]int, len(idx))
	for j, i := range idx {
		out[j] = x[i]
	}
	return out
}
