package main

import (
	"fmt"
	"math"
	"slices"

	"switchyard/learn/offline"
)

// kindCosts replaces each model's cost line in the prompt's length by a
// line per kind of prompt (and, for comparison, by the true costs).
func kindCosts(ds *offline.Dataset) error {
	line, perKind, truth := &runs{name: "length line"}, &runs{name: "line per kind"}, &runs{name: "true costs"}
	for _, h := range holdouts(ds) {
		m, err := offline.Fit(h.train, offline.DefaultTrainOptions())
		if err != nil {
			return err
		}
		est := m.Estimate(h.test)
		line.add(h.seed, summarize(h.test, est, m.CostScale), fmt.Sprintf("(cost MAE %.2e)", costError(h.test, est)))
		kc := perKindCost(m, h.train, h.test)
		perKind.add(h.seed, summarize(h.test, kc, m.CostScale), fmt.Sprintf("(cost MAE %.2e)", costError(h.test, kc)))
		exact := &offline.Estimates{Quality: est.Quality, Cost: make([][]float64, len(h.test.Prompts))}
		for i := range h.test.Prompts {
			exact.Cost[i] = h.test.Prompts[i].Cost
		}
		truth.add(h.seed, summarize(h.test, exact, m.CostScale), "")
	}
	line.mean()
	perKind.mean()
	truth.mean()
	return nil
}

// perKindCost estimates each model's cost on a test prompt by a line in
// the prompt's length fitted on the training prompts of its kind.
func perKindCost(m *offline.Model, train, test *offline.Dataset) *offline.Estimates {
	type sums struct{ n, sx, sy, sxx, sxy float64 }
	k, nk := len(m.Models), max(1, len(m.Centroids))
	acc := make([]sums, nk*k)
	for i, kind := range kinds(m, train) {
		x := float64(len(train.Prompts[i].Text)) / 1024
		for j, c := range train.Prompts[i].Cost {
			s := &acc[kind*k+j]
			s.n, s.sx, s.sy, s.sxx, s.sxy = s.n+1, s.sx+x, s.sy+c, s.sxx+x*x, s.sxy+x*c
		}
	}
	est := m.Estimate(test)
	for i, kind := range kinds(m, test) {
		x := float64(len(test.Prompts[i].Text)) / 1024
		c := make([]float64, k)
		for j := range c {
			s := acc[kind*k+j]
			mx, my := s.sx/s.n, s.sy/s.n
			c[j] = my
			if v := s.sxx/s.n - mx*mx; v > 1e-12 {
				c[j] = max(0, my+(s.sxy/s.n-mx*my)/v*(x-mx))
			}
		}
		est.Cost[i] = c
	}
	return est
}

func costError(test *offline.Dataset, est *offline.Estimates) float64 {
	sum, n := 0.0, 0
	for i := range test.Prompts {
		for j, c := range test.Prompts[i].Cost {
			sum += math.Abs(est.Cost[i][j] - c)
			n++
		}
	}
	return sum / float64(n)
}

// gain measures, within each task, how well a text model predicts that
// GPT-4 is right where a cheaper model is wrong: a one-model dataset whose
// score is that event, fitted with a text correction on 5 folds, and the
// AUC of its out-of-fold predictions.
func gain(ds *offline.Dataset) error {
	ref := slices.Index(ds.Models, "gpt-4-1106-preview")
	for _, cheap := range []string{"zero-one-ai/Yi-34B-Chat", "mistralai/mixtral-8x7b-chat", "gpt-3.5-turbo-1106"} {
		c := slices.Index(ds.Models, cheap)
		if ref < 0 || c < 0 {
			return fmt.Errorf("the data has no %s or gpt-4-1106-preview", cheap)
		}
		tasks, err := ds.Groups("task")
		if err != nil {
			return err
		}
		for _, task := range tasks {
			sub := &offline.Dataset{Models: []string{"gain"}}
			for _, p := range ds.Prompts {
				if p.Task == task {
					y := 0.0
					if p.Score[ref] > p.Score[c] {
						y = 1
					}
					p.Score, p.Cost = []float64{y}, []float64{0}
					sub.Prompts = append(sub.Prompts, p)
				}
			}
			a, err := outOfFoldAUC(sub)
			if err != nil {
				return err
			}
			fmt.Printf("%s: GPT-4 right where %s is wrong: AUC %.2f\n", task, cheap, a)
		}
	}
	return nil
}

func outOfFoldAUC(sub *offline.Dataset) (float64, error) {
	o := offline.DefaultTrainOptions()
	o.Clusters, o.Epochs = 1, 12
	pred := make([]float64, len(sub.Prompts))
	for _, f := range folds(len(sub.Prompts), 5) {
		m, err := offline.Fit(sub.Subset(f[0]), o)
		if err != nil {
			return 0, err
		}
		est := m.Estimate(sub.Subset(f[1]))
		for x, i := range f[1] {
			pred[i] = est.Quality[x][0]
		}
	}
	var wins, pairs float64
	for i, pi := range pred {
		for j, pj := range pred {
			if sub.Prompts[i].Score[0] == 1 && sub.Prompts[j].Score[0] == 0 {
				pairs++
				switch {
				case pi > pj:
					wins++
				case pi == pj:
					wins += 0.5
				}
			}
		}
	}
	return wins / pairs, nil
}
