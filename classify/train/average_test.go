package train

import (
	"math"
	"testing"
)

// Averaging trains one model per seed and returns the mean of their
// weights and biases, exactly; one model (0 or 1) is a plain fit, and the
// count is bounded.
func TestFitAveragedIsTheMeanOfTheSeeds(t *testing.T) {
	o := tinyOptions()
	ex := augment(append([]Example(nil), tiny...), o.TypoShare)
	samples, err := featurize(ex, o.Bits, nil)
	if err != nil {
		t.Fatal(err)
	}
	weigh(samples, ex, o.SourceBalance, o.WrittenShare)
	w1, b1 := fit(samples, o)
	o2 := o
	o2.Seed++
	w2, b2 := fit(samples, o2)
	o.Average = 2
	w, b := fitAveraged(samples, o)
	differ := false
	for j := range w {
		if math.Abs(w[j]-(w1[j]+w2[j])/2) > 1e-12 {
			t.Fatalf("weight %d = %v, want the mean of %v and %v", j, w[j], w1[j], w2[j])
		}
		differ = differ || w1[j] != w2[j]
	}
	for k := range b {
		if math.Abs(b[k]-(b1[k]+b2[k])/2) > 1e-12 {
			t.Fatalf("bias %d = %v, want the mean of %v and %v", k, b[k], b1[k], b2[k])
		}
	}
	if !differ {
		t.Fatal("two seeds gave the same weights: the test shows nothing")
	}
	o.Average = 1
	if w, _ := fitAveraged(samples, o); w[0] != w1[0] || len(w) != len(w1) {
		t.Error("average 1 is not the plain fit")
	}
	o.Average = 17
	if _, err := Train(tiny, o); err == nil {
		t.Error("Train(average 17) succeeded")
	}
}
