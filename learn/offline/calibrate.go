package offline

import "math"

// calibrate fits each model's Platt scaling p = σ(a·z + c) to the
// out-of-fold logits z by Newton's method on the cross-entropy (with a
// tiny ridge so that separable data stays finite).
func calibrate(m *Model, ds *Dataset, oof [][]float64) {
	z, y := make([]float64, len(oof)), make([]float64, len(oof))
	for j := range m.Models {
		for i := range oof {
			z[i], y[i] = oof[i][j], ds.Prompts[i].Score[j]
		}
		a, c := platt(z, y)
		m.CalScale[j], m.CalShift[j] = float32(a), float32(c)
	}
}

// platt returns the (a, c) minimizing Σ CE(y_i, σ(a·z_i + c)) + ridge.
func platt(z, y []float64) (a, c float64) {
	const ridge = 1e-3
	a, c = 1, 0
	for range 50 {
		var ga, gc, haa, hac, hcc float64
		for i := range z {
			p := sigmoid(a*z[i] + c)
			d, w := p-y[i], p*(1-p)
			ga += d * z[i]
			gc += d
			haa += w * z[i] * z[i]
			hac += w * z[i]
			hcc += w
		}
		ga += ridge * (a - 1)
		gc += ridge * c
		haa += ridge
		hcc += ridge
		det := haa*hcc - hac*hac
		if det <= 0 {
			break
		}
		da, dc := (hcc*ga-hac*gc)/det, (haa*gc-hac*ga)/det
		a, c = a-da, c-dc
		if math.Abs(da)+math.Abs(dc) < 1e-9 {
			break
		}
	}
	return a, c
}

// fitCost fits each model's cost as a line in the prompt's length (least
// squares; a flat mean when the lengths do not vary) and sets MeanCost and
// CostScale.
func fitCost(m *Model, ds *Dataset) {
	n := float64(len(ds.Prompts))
	for j := range m.Models {
		var sx, sy, sxx, sxy float64
		for i := range ds.Prompts {
			x, c := float64(len(ds.Prompts[i].Text))/1024, ds.Prompts[i].Cost[j]
			sx += x
			sy += c
			sxx += x * x
			sxy += x * c
		}
		mean := sy / n
		m.MeanCost[j] = mean
		m.CostBase[j] = mean
		m.CostPerKB[j] = 0
		if v := sxx/n - (sx/n)*(sx/n); v > 1e-12 {
			slope := (sxy/n - (sx/n)*mean) / v
			m.CostPerKB[j] = slope
			m.CostBase[j] = mean - slope*sx/n
		}
		m.CostScale = max(m.CostScale, mean)
	}
}
