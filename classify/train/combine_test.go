package train

import (
	"bytes"
	"strings"
	"testing"
)

// biasedPredictions are predictions of two groups that lean toward class 0:
// every example of class 1 scores class 0 slightly higher.
func biasedPredictions() []Prediction {
	var out []Prediction
	for i := range 40 {
		label := i % 2
		src := "nq-open x"
		if i >= 20 {
			src = "gsm8k y"
		}
		var s [numClasses]float32
		for k := range s {
			s[k] = 0.01
		}
		if label == 0 {
			s[0] = 0.9
		} else {
			s[0], s[1] = 0.5, 0.4
		}
		e := &Example{Text: strings.Repeat("t", i+1), Label: []string{"factual", "creative"}[label], Source: src}
		out = append(out, Prediction{Example: e, Label: label, Scores: s, Fold: "f"})
	}
	return out
}

func TestPredictionsRoundTripAndCombine(t *testing.T) {
	preds := biasedPredictions()
	var buf bytes.Buffer
	if err := WritePredictions(&buf, preds); err != nil {
		t.Fatal(err)
	}
	back, err := ReadPredictions(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(back) != len(preds) || back[3].Scores != preds[3].Scores || back[3].Example.Text != preds[3].Example.Text || back[3].Label != 1 {
		t.Fatalf("round trip: %+v", back[3])
	}
	same, err := Combine(preds, back, 0)
	if err != nil {
		t.Fatal(err)
	}
	if Score(same).Accuracy != Score(preds).Accuracy {
		t.Error("Combine with weight 0 changed the predictions")
	}
	if _, err := Combine(preds, back[1:], 1); err == nil {
		t.Error("Combine with a prediction missing succeeded")
	}
	if _, err := ReadPredictions(strings.NewReader(`{"text":"x","label":"poetry"}`)); err == nil {
		t.Error("ReadPredictions of an unknown label succeeded")
	}
}

func TestOffsetsCorrectAClassBias(t *testing.T) {
	preds := biasedPredictions()
	if acc := Score(preds).Accuracy; acc != 0.5 {
		t.Fatalf("accuracy before offsets %v, want 0.5", acc)
	}
	o := FitOffsets(preds, 1)
	if o[1]-o[0] <= 0.22 { // log(0.5/0.4) ≈ 0.22 must be overcome
		t.Errorf("offsets %v do not favor class 1 enough", o)
	}
	if acc := Score(CrossFitOffsets(preds, 1)).Accuracy; acc != 1 {
		t.Errorf("accuracy with cross-fitted offsets %v, want 1 (both groups share the bias)", acc)
	}
	if o := FitOffsets(preds, 100); o != (Offsets{}) {
		t.Errorf("offsets %v for classes below the minimum support, want none", o)
	}
}

// FuzzReadPredictions checks that reading a prediction dump never panics
// and that what it reads writes back and reads the same.
func FuzzReadPredictions(f *testing.F) {
	var buf bytes.Buffer
	if err := WritePredictions(&buf, biasedPredictions()[:2]); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"text":"x","label":"chat","scores":[1,2]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		preds, err := ReadPredictions(bytes.NewReader(b))
		if err != nil {
			return
		}
		var out bytes.Buffer
		if err := WritePredictions(&out, preds); err != nil {
			t.Fatal(err)
		}
		again, err := ReadPredictions(&out)
		if err != nil || len(again) != len(preds) {
			t.Fatalf("re-read %d of %d predictions: %v", len(again), len(preds), err)
		}
		Score(preds)
	})
}
