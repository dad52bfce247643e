package train

import (
	"fmt"
	"math"
	"slices"

	"switchyard/guard/inject"
)

// Train fits the model on every example not marked Test (the measured
// half of the carrier documents and the written holdout are never trained
// on). It fails when there are no attacks or no benign examples.
func Train(ex []Example, o Options) (*inject.Model, error) {
	c := featurize(ex, o.Bits)
	return trainOn(c, ex, o, func(e *Example) bool { return !e.Test && !e.NoTrain })
}

// trainOn fits the examples keep accepts.
func trainOn(c *corpus, ex []Example, o Options, keep func(*Example) bool) (*inject.Model, error) {
	var idx []int
	for i := range ex {
		if keep(&ex[i]) {
			idx = append(idx, i)
		}
	}
	y := make([]bool, len(idx))
	for i, e := range idx {
		y[i] = ex[e].Attack
	}
	wt, err := sampleWeights(ex, idx, o.AttackWeight)
	if err != nil {
		return nil, err
	}
	return fit(c, idx, y, wt, o).model(o.Bits), nil
}

// sampleWeights weighs each example 1/sqrt(its source's size) within its
// side (attack or benign), then scales the sides so that the benign side
// weighs half the examples and the attack side attackWeight times that:
// the mean weight is about 1.
func sampleWeights(ex []Example, idx []int, attackWeight float64) ([]float64, error) {
	size := map[string]int{}
	for _, e := range idx {
		size[sideSource(&ex[e])]++
	}
	var sum [2]float64
	wt := make([]float64, len(idx))
	for i, e := range idx {
		wt[i] = 1 / math.Sqrt(float64(size[sideSource(&ex[e])]))
		sum[side(&ex[e])] += wt[i]
	}
	if sum[0] == 0 || sum[1] == 0 {
		return nil, fmt.Errorf("train: need attacks and benign examples, got %.0f and %.0f weight", sum[1], sum[0])
	}
	half := float64(len(idx)) / 2
	scale := [2]float64{half / sum[0], attackWeight * half / sum[1]}
	for i, e := range idx {
		wt[i] = float64(wt[i] * scale[side(&ex[e])])
	}
	return wt, nil
}

func side(e *Example) int {
	if e.Attack {
		return 1
	}
	return 0
}

func sideSource(e *Example) string {
	if e.Attack {
		return "attack/" + e.Source
	}
	return "benign/" + e.Source
}

// Exclude returns the examples whose source and family are not in names.
func Exclude(ex []Example, names []string) []Example {
	out := make([]Example, 0, len(ex))
	for _, e := range ex {
		if !slices.Contains(names, e.Source) && !slices.Contains(names, e.Family) {
			out = append(out, e)
		}
	}
	return out
}
