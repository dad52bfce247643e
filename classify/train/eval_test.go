package train

import (
	"math"
	"slices"
	"strings"
	"testing"

	"switchyard/llm"
)

// pred returns a prediction labeled label whose top score p goes to got.
func pred(label, got int, p float32) Prediction {
	var s [numClasses]float32
	rest := (1 - p) / (numClasses - 1)
	for k := range s {
		s[k] = rest
	}
	s[got] = p
	return Prediction{Example: &Example{Source: "x"}, Label: label, Scores: s}
}

func TestScoreMetricsAndCalibration(t *testing.T) {
	// Ten predictions at confidence 0.9, eight right: accuracy 0.8 in the
	// 0.9 bin, so ECE = |0.8 - 0.9| = 0.1.
	var preds []Prediction
	for i := range 10 {
		got := 0
		if i >= 8 {
			got = 1
		}
		preds = append(preds, pred(0, got, 0.9))
	}
	r := Score(preds)
	if math.Abs(r.ECE-0.1) > 1e-6 || r.Accuracy != 0.8 || r.N != 10 {
		t.Errorf("ECE %v accuracy %v N %d, want 0.1 0.8 10", r.ECE, r.Accuracy, r.N)
	}
	f := r.PerClass[llm.CategoryFactual]
	if f.Recall != 0.8 || f.Precision != 1 || math.Abs(f.F1-2*0.8/1.8) > 1e-9 {
		t.Errorf("factual metrics %+v", f)
	}
	if got := r.MacroF1Of(llm.CategoryFactual, llm.CategoryCreative); math.Abs(got-f.F1/2) > 1e-9 {
		t.Errorf("MacroF1Of = %v, want %v", got, f.F1/2)
	}
	var b strings.Builder
	if err := r.Write(&b, "t"); err != nil || !strings.Contains(b.String(), "ECE 0.100") {
		t.Errorf("Write: %v\n%s", err, b.String())
	}
}

func TestFitTemperatureCalibratesOverconfidence(t *testing.T) {
	// Confidence 0.99 but only 70% right: the fitted temperature must
	// soften the scores, and the calibrated ECE must fall.
	var preds []Prediction
	for i := range 100 {
		got := 0
		if i%10 >= 7 {
			got = 1
		}
		preds = append(preds, pred(0, got, 0.99))
	}
	temp := FitTemperature(preds)
	if temp <= 1.5 {
		t.Fatalf("fitted temperature %v, want well above 1", temp)
	}
	before, after := Score(preds).ECE, Score(Rescale(preds, temp)).ECE
	if after > before/3 {
		t.Errorf("ECE %v before, %v after temperature %v", before, after, temp)
	}
	if FitTemperature(nil) != 1 {
		t.Error("FitTemperature(nil) != 1")
	}
}

func TestCrossValidateHoldsOutWholeGroups(t *testing.T) {
	var ex []Example
	words := map[string][]string{
		"factual":   {"who", "what", "when", "where", "capital", "invented"},
		"creative":  {"poem", "story", "song", "lyrics", "haiku", "tale"},
		"reasoning": {"solve", "equation", "how many", "prove", "percent", "cost"},
	}
	for _, g := range []string{"nq-open a", "gsm8k b", "databricks-dolly-15k c", "arena-hard d"} {
		for label, ws := range words {
			for i, w := range ws {
				ex = append(ex, Example{Text: w + " " + g + " " + strings.Repeat("x", i), Label: label, Source: g})
			}
		}
	}
	ex = append(ex, Example{Text: "written one", Label: "factual", Source: "written-here:factual:t"})
	o := tinyOptions()
	o.Epochs = 5
	var folds []string
	res, err := CrossValidate(ex, o, CVOptions{MinOtherRows: 10, Folds: 2}, func(s string) { folds = append(folds, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(folds) != 4 {
		t.Errorf("folds %v, want one per group (no cell is measured within its group)", folds)
	}
	if len(res.LOSO) != len(ex)-1 || len(res.Headline) != len(ex)-1 {
		t.Errorf("%d LOSO and %d headline predictions for %d real examples", len(res.LOSO), len(res.Headline), len(ex)-1)
	}
	for _, p := range res.LOSO {
		if p.Fold != "without "+SourceGroup(p.Example.Source) {
			t.Errorf("%q predicted by %q", p.Example.Text, p.Fold)
		}
		if IsWritten(p.Example) {
			t.Errorf("written example %q evaluated", p.Example.Text)
		}
	}
	if len(res.WithinCells) != 0 {
		t.Errorf("within cells %v, want none (every class has 18 rows in other groups)", res.WithinCells)
	}
	if res.Temperature <= 0 || len(res.Calibrated) != len(res.Headline) {
		t.Errorf("temperature %v, %d calibrated", res.Temperature, len(res.Calibrated))
	}
}

func TestCrossValidateTrainOnlyGroupsAreNotEvaluated(t *testing.T) {
	var ex []Example
	words := map[string][]string{
		"factual":  {"who", "what", "when", "where", "capital", "invented"},
		"creative": {"poem", "story", "song", "lyrics", "haiku", "tale"},
	}
	for _, g := range []string{"nq-open a", "arena-hard d", "mmlu (x)"} {
		for label, ws := range words {
			for i, w := range ws {
				ex = append(ex, Example{Text: w + " " + g + " " + strings.Repeat("y", i), Label: label, Source: g})
			}
		}
	}
	var folds []string
	o := tinyOptions()
	res, err := CrossValidate(ex, o, CVOptions{MinOtherRows: 10, Folds: 2, TrainOnly: []string{"mmlu"}}, func(s string) { folds = append(folds, s) })
	if err != nil {
		t.Fatal(err)
	}
	if len(folds) != 2 || slices.Contains(folds, "without mmlu") {
		t.Errorf("folds %v, want one per evaluated group", folds)
	}
	if len(res.Headline) != 24 || len(res.LOSO) != 24 {
		t.Errorf("%d headline and %d LOSO predictions, want the 24 of the two evaluated groups", len(res.Headline), len(res.LOSO))
	}
	for _, p := range res.LOSO {
		if SourceGroup(p.Example.Source) == "mmlu" {
			t.Errorf("train-only example %q evaluated", p.Example.Text)
		}
	}
	if len(res.WithinCells) != 0 {
		t.Errorf("within cells %v, want none: the train-only group's rows count as other real rows", res.WithinCells)
	}
}
