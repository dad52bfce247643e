package train

import (
	"math"

	"switchyard/classify"
)

// embedModel is the trainer's view of the embedding part (see
// classify.Embedding): a table of word vectors, averaged over the
// instruction's words, and a linear head on the mean. It is trained with
// the linear part, by the same AdaGrad steps on the same loss.
type embedModel struct {
	dim    int
	table  []float64 // row-major word vectors
	tAcc   []float64 // AdaGrad accumulators of table
	head   [numClasses][]float64
	hAcc   [numClasses][]float64
	lr     float64
	freeze bool      // the table keeps its pretrained values
	mean   []float64 // scratch: the current sample's mean vector
	gm     []float64 // scratch: the loss gradient on the mean
}

// newEmbedModel starts from the table given (pretrained, or random) and a
// zero head.
func newEmbedModel(table []float64, dim int, lr float64, freeze bool) *embedModel {
	m := &embedModel{dim: dim, table: table, lr: lr, freeze: freeze, mean: make([]float64, dim), gm: make([]float64, dim)}
	if !freeze {
		m.tAcc = make([]float64, len(table))
	}
	for k := range m.head {
		m.head[k] = make([]float64, dim)
		m.hAcc[k] = make([]float64, dim)
	}
	return m
}

// forward adds the sample's embedding logits to z (and keeps its mean).
func (m *embedModel) forward(words []uint32, z *[numClasses]float64) {
	clear(m.mean)
	if len(words) == 0 {
		return
	}
	for _, b := range words {
		addTo(m.mean, m.table[int(b)*m.dim:][:m.dim], 1)
	}
	inv := 1 / float64(len(words))
	for j := range m.mean {
		m.mean[j] = float64(m.mean[j] * inv)
	}
	for k := range z {
		t := 0.0
		for j, v := range m.head[k] {
			t += float64(v * m.mean[j])
		}
		z[k] += t
	}
}

// backward takes one AdaGrad step on the head and the sample's word rows,
// given the loss gradient g on the logits (sample weight included).
func (m *embedModel) backward(words []uint32, g *[numClasses]float64, l2 float64) {
	if len(words) == 0 {
		return
	}
	clear(m.gm)
	for k := range g {
		for j, v := range m.head[k] {
			m.gm[j] += float64(g[k] * v)
		}
	}
	for k := range g {
		row, acc := m.head[k], m.hAcc[k]
		for j := range row {
			gk := float64(g[k]*m.mean[j]) + float64(l2*row[j])
			acc[j] += float64(gk * gk)
			row[j] -= float64(m.lr*gk) / math.Sqrt(acc[j]+adagradInit)
		}
	}
	if m.freeze {
		return
	}
	inv := 1 / float64(len(words))
	for _, b := range words {
		row, acc := m.table[int(b)*m.dim:][:m.dim], m.tAcc[int(b)*m.dim:][:m.dim]
		for j := range row {
			gj := float64(m.gm[j] * inv)
			acc[j] += float64(gj * gj)
			row[j] -= float64(m.lr*gj) / math.Sqrt(acc[j]+adagradInit)
		}
	}
}

// quantize returns the embedding part of the shipped model: the table in
// int8 (largest |value| → 127), the head divided by the temperature.
func (m *embedModel) quantize(bits uint, temperature float64) *classify.Embedding {
	e := &classify.Embedding{Bits: bits, Dim: m.dim, Table: make([]int8, len(m.table))}
	maxAbs := 0.0
	for _, v := range m.table {
		maxAbs = max(maxAbs, math.Abs(v))
	}
	if maxAbs > 0 {
		step := maxAbs / 127
		e.Scale = float32(step)
		for i, v := range m.table {
			e.Table[i] = int8(max(-127, min(127, math.Round(v/step))))
		}
	}
	for k := range m.head {
		for j, v := range m.head[k] {
			e.Head[k][j] = float32(v / temperature)
		}
	}
	return e
}
