package main

import (
	"math"
	"strings"

	"switchyard/learn/offline"
)

// A signal computes a few numbers per prompt. train gives the training
// prompts' values, each from a model that never saw that prompt's fold
// (folds as in fold); test the held-out prompts'.
type signal struct {
	name  string
	train [][]float64
	test  [][]float64
}

// auxOptions are the difficulty model's options: six kinds (the auxiliary
// data's six tasks) and a text correction, as `learn fit`'s search would
// try.
func auxOptions() offline.TrainOptions {
	o := offline.DefaultTrainOptions()
	o.Clusters, o.Epochs, o.L2, o.SharedL2, o.ShapeL2 = 6, 12, 0.1, 0.1, 1e-2
	return o
}

// auxModels fits the difficulty model on the auxiliary prompts that are not
// near-duplicates of any held prompt: once without the test prompts' (for
// the test), and once per training fold without that fold's and the test's
// (for that fold's prompts). It returns the models and how many auxiliary
// prompts the test overlapped.
func auxModels(aux, train, test *offline.Dataset, fs [][2][]int) (forTest *offline.Model, forFold []*offline.Model, dropped int, err error) {
	outTest := overlapping(aux, test)
	for _, o := range outTest {
		if o {
			dropped++
		}
	}
	fit := func(out []bool) (*offline.Model, error) {
		var keep []int
		for i, o := range out {
			if !o && !outTest[i] {
				keep = append(keep, i)
			}
		}
		return offline.Fit(aux.Subset(keep), auxOptions())
	}
	if forTest, err = fit(make([]bool, len(aux.Prompts))); err != nil {
		return nil, nil, 0, err
	}
	for _, f := range fs {
		m, err := fit(overlapping(aux, train.Subset(f[1])))
		if err != nil {
			return nil, nil, 0, err
		}
		forFold = append(forFold, m)
	}
	return forTest, forFold, dropped, nil
}

// auxSignals are the difficulty model's predictions as signals: the mean
// of the auxiliary models' predicted scores (as a logit) on the whole
// prompt and on its last block, and each auxiliary model's on the last
// block.
func auxSignals(forTest *offline.Model, forFold []*offline.Model, train, test *offline.Dataset, fs [][2][]int) []signal {
	type view struct {
		name string
		f    func(m *offline.Model, text string) []float64
	}
	views := []view{
		{"aux mean, whole prompt", func(m *offline.Model, t string) []float64 { return []float64{meanLogit(predict(m, t))} }},
		{"aux mean, last block", func(m *offline.Model, t string) []float64 { return []float64{meanLogit(predict(m, lastBlock(t)))} }},
		{"aux each model, last block", func(m *offline.Model, t string) []float64 { return logits(predict(m, lastBlock(t))) }},
	}
	var out []signal
	for _, v := range views {
		s := signal{name: v.name, train: make([][]float64, len(train.Prompts)), test: make([][]float64, len(test.Prompts))}
		for i := range test.Prompts {
			s.test[i] = v.f(forTest, test.Prompts[i].Text)
		}
		for g, f := range fs {
			for _, i := range f[1] {
				s.train[i] = v.f(forFold[g], train.Prompts[i].Text)
			}
		}
		out = append(out, s)
	}
	return out
}

func predict(m *offline.Model, text string) []float64 {
	var v offline.Vector
	kind := m.Vectorize(text, &v)
	p := make([]float64, len(m.Models))
	m.Predict(&v, kind, p)
	return p
}

func meanLogit(p []float64) float64 {
	s := 0.0
	for _, x := range p {
		s += x
	}
	return logit(s / float64(len(p)))
}

func logits(p []float64) []float64 {
	out := make([]float64, len(p))
	for i, x := range p {
		out[i] = logit(x)
	}
	return out
}

// lastBlock is the text after the last blank line (the question after
// worked examples), or all of it.
func lastBlock(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndex(s, "\n\n"); i >= 0 {
		return s[i+2:]
	}
	return s
}

// ceilingSignal is not a router: for every prompt (test ones included)
// whose last block contains an auxiliary prompt, the auxiliary models'
// true mean score on it; what a perfect difficulty model could give.
func ceilingSignal(aux, train, test *offline.Dataset) (signal, int, int) {
	index := map[uint64][]int{}
	for i := range aux.Prompts {
		for _, h := range shingles(aux.Prompts[i].Text) {
			index[h] = append(index[h], i)
		}
	}
	matchedTrain, matchedTest := 0, 0
	value := func(text string, n *int) []float64 {
		a := bestMatch(index, aux, lastBlock(text))
		if a < 0 {
			return []float64{0, 0}
		}
		*n++
		mean := 0.0
		for _, y := range aux.Prompts[a].Score {
			mean += y
		}
		return []float64{1, mean/float64(len(aux.Prompts[a].Score)) - 0.5}
	}
	s := signal{name: "ceiling: true aux mean score", train: make([][]float64, len(train.Prompts)), test: make([][]float64, len(test.Prompts))}
	for i := range train.Prompts {
		s.train[i] = value(train.Prompts[i].Text, &matchedTrain)
	}
	for i := range test.Prompts {
		s.test[i] = value(test.Prompts[i].Text, &matchedTest)
	}
	return s, matchedTrain, matchedTest
}

// bestMatch returns the auxiliary prompt with the most of its shingles in
// text, if that is at least half of them; else -1.
func bestMatch(index map[uint64][]int, aux *offline.Dataset, text string) int {
	hits := map[int]int{}
	for _, h := range shingles(text) {
		for _, a := range index[h] {
			hits[a]++
		}
	}
	best, bestShare := -1, 0.5
	for a, n := range hits {
		share := float64(n) / math.Max(1, float64(len(shingles(aux.Prompts[a].Text))))
		if share > bestShare || share == bestShare && (best < 0 || a < best) {
			best, bestShare = a, share
		}
	}
	return best
}
