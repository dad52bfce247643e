package main

import (
	"cmp"
	"fmt"
	"slices"

	"switchyard/learn/offline"
)

// stack blends the kinds' priors p with the nearest-neighbour estimate
// n as p + β_kind·(n − p), β per kind and K chosen by 4-fold CV inside
// the training part (β may be negative: Winogrande's twins).
func stack(ds *offline.Dataset) error {
	prior, stacked := &runs{name: "kinds' priors"}, &runs{name: "stacked with kNN"}
	for _, h := range holdouts(ds) {
		o := offline.DefaultTrainOptions()
		m, err := offline.Fit(h.train, o)
		if err != nil {
			return err
		}
		bestK, bestScore, var_ := 0, -1.0, []float64(nil)
		for _, k := range []int{5, 10, 20} {
			p, n, kk, scale, err := stackOutOfFold(h.train, o, k)
			if err != nil {
				return err
			}
			beta, score := chooseBeta(h.train, p, n, kk, scale, max(1, len(m.Centroids)))
			if score > bestScore {
				bestK, bestScore, var_ = k, score, beta
			}
		}
		pe := m.Estimate(h.test)
		ne := offline.NewKNN(h.train, o.Features, bestK).Estimate(h.test)
		prior.add(h.seed, summarize(h.test, pe, m.CostScale), "")
		stacked.add(h.seed, summarize(h.test, blend(pe, ne, kinds(m, h.test), var_), m.CostScale), fmt.Sprintf("(K %d, β %v)", bestK, var_))
	}
	prior.mean()
	stacked.mean()
	return nil
}

// stackOutOfFold returns every training prompt's prior and kNN estimate
// and kind from models fitted on the other folds.
func stackOutOfFold(train *offline.Dataset, o offline.TrainOptions, k int) (p, n *offline.Estimates, kk []int, scale float64, err error) {
	size := len(train.Prompts)
	p = &offline.Estimates{Quality: make([][]float64, size), Cost: make([][]float64, size)}
	n = &offline.Estimates{Quality: make([][]float64, size), Cost: make([][]float64, size)}
	kk = make([]int, size)
	for _, f := range folds(size, 4) {
		sub, held := train.Subset(f[0]), train.Subset(f[1])
		m, err := offline.Fit(sub, o)
		if err != nil {
			return nil, nil, nil, 0, err
		}
		pe, ne, hk := m.Estimate(held), offline.NewKNN(sub, o.Features, k).Estimate(held), kinds(m, held)
		for x, i := range f[1] {
			p.Quality[i], p.Cost[i] = pe.Quality[x], pe.Cost[x]
			n.Quality[i], n.Cost[i] = ne.Quality[x], pe.Cost[x]
			kk[i] = hk[x]
		}
		scale = m.CostScale
	}
	return p, n, kk, scale, nil
}

// chooseBeta picks each kind's weight (two coordinate passes over a grid)
// by the routing score of the blended out-of-fold estimates.
func chooseBeta(train *offline.Dataset, p, n *offline.Estimates, kk []int, scale float64, nk int) ([]float64, float64) {
	beta := make([]float64, nk)
	best := cvScore(train, blend(p, n, kk, beta), scale)
	for range 2 {
		for kind := range nk {
			for _, b := range []float64{-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75, 1} {
				old := beta[kind]
				beta[kind] = b
				if s := cvScore(train, blend(p, n, kk, beta), scale); s > best+1e-9 {
					best = s
				} else {
					beta[kind] = old
				}
			}
		}
	}
	return beta, best
}

func blend(p, n *offline.Estimates, kk []int, beta []float64) *offline.Estimates {
	out := &offline.Estimates{Quality: make([][]float64, len(p.Quality)), Cost: p.Cost}
	for i := range p.Quality {
		q := make([]float64, len(p.Quality[i]))
		for j := range q {
			q[j] = min(1, max(0, p.Quality[i][j]+beta[kk[i]]*(n.Quality[i][j]-p.Quality[i][j])))
		}
		out.Quality[i] = q
	}
	return out
}

// selection runs the tuning search as replay does, then chooses by CV log
// loss instead of the routing score, and by the routing score averaged
// over three fold assignments.
func selection(ds *offline.Dataset) error {
	byScore, byLoss, repeated := &runs{name: "routing score"}, &runs{name: "log loss"}, &runs{name: "score over 3 fold draws"}
	for _, h := range holdouts(ds) {
		var tried [][]offline.Trial
		for draw := uint64(1); draw <= 3; draw++ {
			start := offline.DefaultTrainOptions()
			start.Seed = draw
			res, err := offline.Tune(h.train, start, offline.DefaultGrid(), 4)
			if err != nil {
				return err
			}
			tried = append(tried, res.Tried)
		}
		pick := func(better func(i, j int) bool) offline.TrainOptions {
			best := 0
			for i := range tried[0] {
				if better(i, best) {
					best = i
				}
			}
			o := tried[0][best].Options
			o.Seed, o.CalibrationFolds = 1, offline.DefaultTrainOptions().CalibrationFolds
			return o
		}
		sum := func(i int) float64 { return tried[0][i].Score + tried[1][i].Score + tried[2][i].Score }
		for _, c := range []struct {
			r *runs
			o offline.TrainOptions
		}{
			{byScore, pick(func(i, j int) bool { return tried[0][i].Score > tried[0][j].Score })},
			{byLoss, pick(func(i, j int) bool { return tried[0][i].LogLoss < tried[0][j].LogLoss })},
			{repeated, pick(func(i, j int) bool { return sum(i) > sum(j) })},
		} {
			m, err := offline.Fit(h.train, c.o)
			if err != nil {
				return err
			}
			c.r.add(h.seed, summarize(h.test, m.Estimate(h.test), m.CostScale), fmt.Sprintf("(%d kinds, %d epochs, shape only %v)", c.o.Clusters, c.o.Epochs, c.o.ShapeOnly))
		}
	}
	byScore.mean()
	byLoss.mean()
	repeated.mean()
	return nil
}

// ensemble averages the calibrated predictions of the three options the
// tuning search scored best, instead of keeping the best one alone.
func ensemble(ds *offline.Dataset) error {
	best, avg := &runs{name: "best option"}, &runs{name: "mean of the top 3"}
	for _, h := range holdouts(ds) {
		res, err := offline.Tune(h.train, offline.DefaultTrainOptions(), offline.DefaultGrid(), 4)
		if err != nil {
			return err
		}
		tried := slices.Clone(res.Tried)
		slices.SortStableFunc(tried, func(a, b offline.Trial) int { return cmp.Compare(b.Score, a.Score) })
		var ests []*offline.Estimates
		var scale float64
		for _, tr := range tried[:3] {
			o := tr.Options
			o.CalibrationFolds = offline.DefaultTrainOptions().CalibrationFolds
			m, err := offline.Fit(h.train, o)
			if err != nil {
				return err
			}
			ests, scale = append(ests, m.Estimate(h.test)), m.CostScale
		}
		best.add(h.seed, summarize(h.test, ests[0], scale), "")
		mean := &offline.Estimates{Quality: make([][]float64, len(h.test.Prompts)), Cost: ests[0].Cost}
		for i := range mean.Quality {
			q := make([]float64, len(ests[0].Quality[i]))
			for _, e := range ests {
				for j := range q {
					q[j] += e.Quality[i][j] / float64(len(ests))
				}
			}
			mean.Quality[i] = q
		}
		avg.add(h.seed, summarize(h.test, mean, scale), "")
	}
	best.mean()
	avg.mean()
	return nil
}
