package train

import (
	"maps"
	"math"
	"slices"

	"switchyard/internal/detmath"
	"switchyard/llm"
)

// Group DRO (Sagawa et al. 2020, "Distributionally Robust Neural
// Networks"): the training examples fall in groups — (source group,
// class) cells, or source groups only — and each group g carries a weight
// q_g, uniform at first. After every epoch q_g is multiplied by
// exp(η·loss_g), loss_g being the group's weighted mean cross-entropy over
// the epoch (each example's loss taken before its update), and the q are
// normalized; every example's weight (see weigh) is then multiplied by
// its group's q_g relative to uniform, q_g·G, so the groups the model fits
// worst weigh more in the next epoch. The q are kept as logarithms and
// exponentiated by detmath.Exp after subtracting their maximum, and the
// losses use math.Log, which on amd64 is an assembly routine with no
// CPU-dependent path: training stays bit-for-bit reproducible.

// maxDRO bounds TrainOptions.DRO: a mean loss of about 1 per epoch at η
// 10 already puts a group's weight e^10 above another's.
const maxDRO = 10

// dro holds the group weights of one fit.
type dro struct {
	eta float64
	// logq is log q_g up to a constant; mult is q_g·G, the multiplier of
	// the weights of group g's examples (1 at first).
	logq, mult []float64
	// lossSum and weightSum accumulate each group's weighted loss and
	// weight over the current epoch.
	lossSum, weightSum []float64
}

// newDRO returns uniform weights over n groups.
func newDRO(eta float64, n int) *dro {
	d := &dro{eta: eta, logq: make([]float64, n), mult: make([]float64, n),
		lossSum: make([]float64, n), weightSum: make([]float64, n)}
	for g := range d.mult {
		d.mult[g] = 1
	}
	return d
}

// observe adds one example's loss, of weight w (its weight before the
// group multiplier), to its group's epoch totals.
func (d *dro) observe(group int, w, loss float64) {
	d.lossSum[group] += float64(w * loss)
	d.weightSum[group] += w
}

// endEpoch updates the group weights from the epoch's mean losses and
// clears the totals. A group without examples keeps its weight.
func (d *dro) endEpoch() {
	for g := range d.logq {
		if d.weightSum[g] > 0 {
			d.logq[g] += float64(d.eta*d.lossSum[g]) / d.weightSum[g]
		}
		d.lossSum[g], d.weightSum[g] = 0, 0
	}
	top := slices.Max(d.logq)
	sum := 0.0
	for g, l := range d.logq {
		d.mult[g] = detmath.Exp(l - top)
		sum += d.mult[g]
	}
	n := float64(len(d.mult))
	for g := range d.mult {
		d.mult[g] = float64(d.mult[g]*n) / sum
	}
}

// crossEntropy returns -log p, with p kept away from 0.
func crossEntropy(p float64) float64 { return -math.Log(max(p, 1e-300)) }

// assignGroups sets every sample's DRO group: its (source group, class)
// cell, or its source group alone when bySource is set. Groups are
// numbered in the sorted order of their names. It returns their number.
func assignGroups(samples []sample, ex []Example, bySource bool) int {
	name := func(i int) string {
		g := SourceGroup(ex[i].Source)
		if bySource {
			return g
		}
		return g + "/" + string(llm.Categories[samples[i].class])
	}
	index := map[string]int{}
	for i := range samples {
		index[name(i)] = 0
	}
	for n, k := range slices.Sorted(maps.Keys(index)) {
		index[k] = n
	}
	for i := range samples {
		samples[i].group = index[name(i)]
	}
	return len(index)
}

// numGroups returns the number of DRO groups the samples' indices imply.
func numGroups(samples []sample) int {
	n := 0
	for i := range samples {
		n = max(n, samples[i].group+1)
	}
	return n
}
