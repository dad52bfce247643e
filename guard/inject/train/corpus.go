package train

import (
	"switchyard/guard/inject"
)

// corpus holds every example's windows as the scanner sees them,
// extracted once and shared by every training of a measurement.
type corpus struct {
	bits uint
	// keys of window w are keys[keyOff[w]:keyOff[w+1]]; its feature
	// values x[w*NumFeatures:][:NumFeatures]; data[w] its channel.
	keys   []uint32
	keyOff []int32
	x      []float32
	data   []bool
	// the windows of example e are winOff[e]..winOff[e+1]-1.
	winOff []int32
}

// featurize extracts the windows of every example for a model of
// 1<<bits buckets.
func featurize(ex []Example, bits uint) *corpus {
	c := &corpus{bits: bits, keyOff: []int32{0}, winOff: []int32{0}}
	for i := range ex {
		inject.Windows(ex[i].Req, bits, func(data bool, keys []uint32, x []float32) {
			c.keys = append(c.keys, keys...)
			c.keyOff = append(c.keyOff, int32(len(c.keys)))
			c.x = append(c.x, x...)
			c.data = append(c.data, data)
		})
		c.winOff = append(c.winOff, int32(len(c.data)))
	}
	return c
}

// weights are a model being trained.
type weights struct {
	hashed []float64
	dense  [2][]float64
	bias   [2]float64
}

// window returns window w's keys, feature values and channel (0 prompt,
// 1 data).
func (c *corpus) window(w int32) ([]uint32, []float32, int) {
	ch := 0
	if c.data[w] {
		ch = 1
	}
	return c.keys[c.keyOff[w]:c.keyOff[w+1]], c.x[int(w)*inject.NumFeatures:][:inject.NumFeatures], ch
}

// logit returns window w's log-odds under m.
func (c *corpus) logit(m *weights, w int32) float64 {
	keys, x, ch := c.window(w)
	z := m.bias[ch]
	for _, k := range keys {
		z += m.hashed[k&inject.KeyMask]
	}
	for f, v := range x {
		if v != 0 {
			z += float64(m.dense[ch][f] * float64(v))
		}
	}
	return z
}

// best returns example e's window with the highest log-odds, and it.
func (c *corpus) best(m *weights, e int) (int32, float64) {
	bw, bz := c.winOff[e], -1e300
	for w := c.winOff[e]; w < c.winOff[e+1]; w++ {
		if z := c.logit(m, w); z > bz {
			bw, bz = w, z
		}
	}
	return bw, bz
}

// model quantizes trained weights into an inject.Model.
func (m *weights) model(bits uint) *inject.Model {
	return inject.NewModel(bits, m.hashed, m.dense, m.bias)
}
