package train

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"slices"

	"switchyard/llm"
)

// Post-hoc variants measured on a cross-validation's predictions, without
// training again: two models' logits added (an ensemble), and per-class
// bias offsets. `switchyard classify cv --dump` writes the predictions,
// `switchyard classify combine` reads them.

// dumpRecord is one line of a prediction dump.
type dumpRecord struct {
	Text   string              `json:"text"`
	Label  string              `json:"label"`
	Source string              `json:"source"`
	Orig   string              `json:"orig_label,omitempty"`
	Fold   string              `json:"fold"`
	Scores [numClasses]float32 `json:"scores"`
}

// WritePredictions writes predictions as JSONL: the example's text, label,
// source and source label, the fold, and the scores.
func WritePredictions(w io.Writer, preds []Prediction) error {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	for i := range preds {
		p := &preds[i]
		e := p.Example
		if err := enc.Encode(dumpRecord{e.Text, e.Label, e.Source, e.OrigLabel, p.Fold, p.Scores}); err != nil {
			return fmt.Errorf("train: write predictions: %w", err)
		}
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("train: write predictions: %w", err)
	}
	return nil
}

// ReadPredictions reads what WritePredictions wrote. It returns an error
// naming the line for malformed JSON or an unknown label.
func ReadPredictions(r io.Reader) ([]Prediction, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<16), 1<<26)
	var out []Prediction
	for line := 1; sc.Scan(); line++ {
		var d dumpRecord
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			return nil, fmt.Errorf("train: predictions line %d: %w", line, err)
		}
		k := classIndex(d.Label)
		if k < 0 {
			return nil, fmt.Errorf("train: predictions line %d: unknown label %q", line, d.Label)
		}
		e := &Example{Text: d.Text, Label: d.Label, Source: d.Source, OrigLabel: d.Orig}
		out = append(out, Prediction{Example: e, Label: k, Scores: d.Scores, Fold: d.Fold})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("train: read predictions: %w", err)
	}
	return out, nil
}

// Combine returns a's predictions with the scores softmax(log a + w·log b),
// b's prediction of the same example by the same fold matched by text. It
// returns an error if b lacks one.
func Combine(a, b []Prediction, w float64) ([]Prediction, error) {
	type key struct{ fold, text string }
	idx := make(map[key]int, len(b))
	for i := range b {
		idx[key{b[i].Fold, b[i].Example.Text}] = i
	}
	out := slices.Clone(a)
	for i := range out {
		j, ok := idx[key{out[i].Fold, out[i].Example.Text}]
		if !ok {
			return nil, fmt.Errorf("train: combine: no second prediction of %q (%s)", out[i].Example.Text, out[i].Fold)
		}
		var z [numClasses]float64
		for k := range z {
			z[k] = logProb(a[i].Scores[k]) + w*logProb(b[j].Scores[k])
		}
		out[i].Scores = softmaxOf(z)
	}
	return out, nil
}

// logProb is the log of a probability, floored.
func logProb(p float32) float64 { return math.Log(max(float64(p), 1e-30)) }

// softmaxOf returns the softmax of z as scores.
func softmaxOf(z [numClasses]float64) [numClasses]float32 {
	top := slices.Max(z[:])
	sum := 0.0
	for k := range z {
		z[k] = math.Exp(z[k] - top)
		sum += z[k]
	}
	var p [numClasses]float32
	for k := range z {
		p[k] = float32(z[k] / sum)
	}
	return p
}

// Offsets are per-class additive logit offsets.
type Offsets [numClasses]float64

// shift returns preds with their logits shifted by o.
func shift(preds []Prediction, o Offsets) []Prediction {
	out := slices.Clone(preds)
	for i := range out {
		var z [numClasses]float64
		for k := range z {
			z[k] = logProb(out[i].Scores[k]) + o[k]
		}
		out[i].Scores = softmaxOf(z)
	}
	return out
}

// offsetObjective is what FitOffsets maximizes: the mean F1 of the seven
// classes, (5·macro-F1 of the five main ones + extraction F1 +
// summarization F1) / 7.
func offsetObjective(preds []Prediction) float64 {
	r := Score(preds)
	return (5*r.MacroF1Of(MainCategories...) + r.PerClass[llm.CategoryExtraction].F1 + r.PerClass[llm.CategorySummarization].F1) / 7
}

// FitOffsets chooses per-class logit offsets that maximize offsetObjective
// on preds: three rounds of coordinate ascent over a grid (±1.5 around the
// current value, step 0.1). A class with fewer than minSupport examples in
// preds keeps offset 0: nothing there says how it should move.
func FitOffsets(preds []Prediction, minSupport int) Offsets {
	var o Offsets
	var support [numClasses]int
	for i := range preds {
		support[preds[i].Label]++
	}
	best := offsetObjective(preds)
	for range 3 {
		for k := range o {
			if support[k] < minSupport {
				continue
			}
			start, bestK := o[k], o[k]
			for step := -15; step <= 15; step++ {
				o[k] = start + float64(step)/10
				if v := offsetObjective(shift(preds, o)); v > best+1e-12 {
					best, bestK = v, o[k]
				}
			}
			o[k] = bestK
		}
	}
	return o
}

// CrossFitOffsets shifts each source group's predictions by offsets fitted
// on the other groups' predictions only (see FitOffsets), so the offsets
// are never chosen on the predictions they are measured on.
func CrossFitOffsets(preds []Prediction, minSupport int) []Prediction {
	byGroup := map[string][]Prediction{}
	for _, p := range preds {
		g := SourceGroup(p.Example.Source)
		byGroup[g] = append(byGroup[g], p)
	}
	groups := slices.Sorted(maps.Keys(byGroup))
	var out []Prediction
	for _, g := range groups {
		var others []Prediction
		for _, h := range groups {
			if h != g {
				others = append(others, byGroup[h]...)
			}
		}
		out = append(out, shift(byGroup[g], FitOffsets(others, minSupport))...)
	}
	return out
}
