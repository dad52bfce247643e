package train

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"switchyard/classify"
)

// The dense part of the model: the weighted mean of the instruction's word
// vectors (pretrained, see wordvec.go) times a linear map to the classes,
// trained jointly with the hashed features. A word of frequency rank r
// weighs r/(r+VectorRank0) in the mean (frequent words carry little, as in
// smooth inverse frequency weighting); a word not in the table counts with
// weight VectorUnknown and a zero vector, so a text of mostly unknown
// words (another language, code) gets a small mean. After training, the
// map is applied to every word's vector and the model stores the result:
// seven class weights per word (classify.WordWeights).

// denseSpace is the word table seen by the trainer.
type denseSpace struct {
	vec     *WordVectors
	n       int              // words used: the first n of vec
	index   map[uint32]int32 // word key → index
	weight  []float64        // each word's weight in the mean, as quantized in the model
	qweight []int8
	unknown float64
	only    bool
}

// newDenseSpace prepares the first n words of v (all if n is 0).
func newDenseSpace(v *WordVectors, n int, rank0, unknown float64) *denseSpace {
	if n <= 0 || n > v.Len() {
		n = v.Len()
	}
	d := &denseSpace{vec: v, n: n, index: map[uint32]int32{}, weight: make([]float64, n), qweight: make([]int8, n), unknown: unknown}
	for k, i := range v.index() {
		if int(i) < n {
			d.index[k] = i
		}
	}
	for i := range n {
		r := float64(v.Ranks[i])
		q := max(1, math.Round(127*r/(r+rank0)))
		d.qweight[i] = int8(q)
		d.weight[i] = q / 127
	}
	return d
}

// mean returns the weighted mean vector of the words (keys), nil if none
// is known.
func (d *denseSpace) mean(words []uint32) []float64 {
	dims := d.vec.Dims
	var out []float64
	z := 0.0
	for _, k := range words {
		i, ok := d.index[k]
		if !ok {
			z += d.unknown
			continue
		}
		if out == nil {
			out = make([]float64, dims)
		}
		a := d.weight[i]
		z += a
		for j, x := range d.vec.Vector(int(i)) {
			out[j] += float64(a * float64(x))
		}
	}
	if out == nil {
		return nil
	}
	s := float64(d.vec.Scale) / z
	for j := range out {
		out[j] = float64(out[j] * s)
	}
	return out
}

// project applies the trained map wd (dims × numClasses) to every word's
// vector, times the word's weight, and attaches the quantized result to c:
// per class, the largest magnitude maps to 127; the scale is divided by
// the temperature like the hashed weights'.
func (d *denseSpace) project(c *classify.Classifier, wd []float64, temperature float64) (*classify.Classifier, error) {
	dims := d.vec.Dims
	p := make([]float64, d.n*numClasses)
	var maxAbs [numClasses]float64
	for i := range d.n {
		v := d.vec.Vector(i)
		for k := range numClasses {
			t := 0.0
			for j := range dims {
				t += float64(float64(v[j]) * wd[j*numClasses+k])
			}
			t = float64(t * float64(float64(d.vec.Scale)*d.weight[i]))
			p[i*numClasses+k] = t
			maxAbs[k] = max(maxAbs[k], math.Abs(t))
		}
	}
	var scale [numClasses]float32
	var step [numClasses]float64
	for k := range numClasses {
		if maxAbs[k] > 0 {
			step[k] = maxAbs[k] / 127
			scale[k] = float32(step[k] / temperature)
		}
	}
	words := make([]classify.WordWeights, 0, d.n)
	for key, i := range d.index {
		w := classify.WordWeights{Key: key, Weight: d.qweight[i]}
		for k := range numClasses {
			if step[k] > 0 {
				w.Weights[k] = int8(max(-127, min(127, math.Round(p[int(i)*numClasses+k]/step[k]))))
			}
		}
		words = append(words, w)
	}
	sortWords(words)
	out, err := c.WithWords(words, scale, float32(d.unknown))
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return out, nil
}

// sortWords orders a word table by key, so the model's bytes do not depend
// on map order.
func sortWords(w []classify.WordWeights) {
	slices.SortFunc(w, func(a, b classify.WordWeights) int { return cmp.Compare(a.Key, b.Key) })
}
