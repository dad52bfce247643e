package train

import (
	"fmt"
	"math"

	"switchyard/classify"
)

// quantize builds a classifier from float weights (bucket-major, stride
// numClasses) and biases, with the logits divided by temperature: per
// class, weights are scaled so the largest magnitude maps to 127 and
// rounded half away from zero.
func quantize(w []float64, bias [numClasses]float64, temperature float64) (*classify.Classifier, error) {
	var maxAbs [numClasses]float64
	for i, v := range w {
		k := i % numClasses
		maxAbs[k] = max(maxAbs[k], math.Abs(v))
	}
	var scale, b [numClasses]float32
	var step [numClasses]float64
	for k := range numClasses {
		b[k] = float32(bias[k] / temperature)
		if maxAbs[k] > 0 {
			step[k] = maxAbs[k] / 127
			scale[k] = float32(step[k] / temperature)
		}
	}
	rows := make([][numClasses]int8, len(w)/numClasses)
	for i, v := range w {
		k := i % numClasses
		if step[k] == 0 {
			continue
		}
		q := math.Round(v / step[k])
		rows[i/numClasses][k] = int8(max(-127, min(127, q)))
	}
	c, err := classify.New(rows, scale, b)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	return c, nil
}
