package train

import (
	"maps"
	"math"
	"slices"
)

// Temperature scaling: the logits of a trained model are divided by one
// number T, fitted to minimize the log loss of predictions made for
// sources the model never saw. It changes confidence, never the category.

// temperatureRange bounds the fitted temperature.
const (
	minTemperature = 0.2
	maxTemperature = 5
)

// FitTemperature returns the temperature that minimizes the log loss of
// the predictions (golden-section search over log T in [0.2, 5]); 1 if
// there are none.
func FitTemperature(preds []Prediction) float64 {
	if len(preds) == 0 {
		return 1
	}
	lo, hi := math.Log(minTemperature), math.Log(maxTemperature)
	phi := (math.Sqrt(5) - 1) / 2
	a, b := hi-phi*(hi-lo), lo+phi*(hi-lo)
	fa, fb := logLoss(preds, math.Exp(a)), logLoss(preds, math.Exp(b))
	for range 60 {
		if fa < fb {
			hi, b, fb = b, a, fa
			a = hi - phi*(hi-lo)
			fa = logLoss(preds, math.Exp(a))
		} else {
			lo, a, fa = a, b, fb
			b = lo + phi*(hi-lo)
			fb = logLoss(preds, math.Exp(b))
		}
	}
	return math.Exp((lo + hi) / 2)
}

// logLoss is the mean negative log-likelihood of the labels at temperature t.
func logLoss(preds []Prediction, t float64) float64 {
	sum := 0.0
	for i := range preds {
		p := scaled(preds[i].Scores, t)
		sum -= math.Log(max(float64(p[preds[i].Label]), 1e-30))
	}
	return sum / float64(len(preds))
}

// scaled returns the probabilities p at temperature t: softmax(log p / t).
func scaled(p [numClasses]float32, t float64) [numClasses]float32 {
	var z [numClasses]float64
	top := math.Inf(-1)
	for k, v := range p {
		z[k] = math.Log(max(float64(v), 1e-30)) / t
		top = max(top, z[k])
	}
	sum := 0.0
	for k := range z {
		z[k] = math.Exp(z[k] - top)
		sum += z[k]
	}
	var out [numClasses]float32
	for k := range z {
		out[k] = float32(z[k] / sum)
	}
	return out
}

// Rescale returns the predictions with their scores at temperature t.
func Rescale(preds []Prediction, t float64) []Prediction {
	out := slices.Clone(preds)
	for i := range out {
		out[i].Scores = scaled(out[i].Scores, t)
	}
	return out
}

// crossCalibrate rescales each source group's predictions by a temperature
// fitted on the other groups' predictions, so the calibration error is
// measured on predictions the temperature was not fitted to.
func crossCalibrate(preds []Prediction) []Prediction {
	byGroup := map[string][]Prediction{}
	for _, p := range preds {
		g := SourceGroup(p.Example.Source)
		byGroup[g] = append(byGroup[g], p)
	}
	var out []Prediction
	for _, g := range slices.Sorted(maps.Keys(byGroup)) {
		var others []Prediction
		for _, h := range slices.Sorted(maps.Keys(byGroup)) {
			if h != g {
				others = append(others, byGroup[h]...)
			}
		}
		out = append(out, Rescale(byGroup[g], FitTemperature(others))...)
	}
	return out
}
