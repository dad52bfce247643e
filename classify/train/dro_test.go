package train

import (
	"bytes"
	"testing"
)

// After an epoch, the group with the highest mean loss gets the largest
// weight multiplier and the lowest the smallest; the multipliers average
// 1 over the groups; η = 0 leaves them all at 1.
func TestDROWeighsTheWorstGroupUp(t *testing.T) {
	for _, eta := range []float64{0.1, 1} {
		d := newDRO(eta, 3)
		losses := []float64{0.2, 1.5, 0.7} // group 1 is the worst
		for range 2 {
			for g, l := range losses {
				d.observe(g, 2, l) // weight 2, loss l: the mean is l
				d.observe(g, 1, l)
			}
			d.endEpoch()
		}
		if !(d.mult[1] > d.mult[2] && d.mult[2] > d.mult[0]) {
			t.Errorf("η %v: multipliers %v, want the worst group (1) highest, the best (0) lowest", eta, d.mult)
		}
		if d.mult[1] <= 1 || d.mult[0] >= 1 {
			t.Errorf("η %v: multipliers %v, want the worst above 1 and the best below", eta, d.mult)
		}
		if sum := d.mult[0] + d.mult[1] + d.mult[2]; sum < 3-1e-12 || sum > 3+1e-12 {
			t.Errorf("η %v: multipliers %v sum to %v, want 3", eta, d.mult, sum)
		}
	}
	if d := newDRO(1, 2); d.mult[0] != 1 || d.mult[1] != 1 {
		t.Errorf("initial multipliers %v, want 1", d.mult)
	}
}

// A larger η moves the weights further from uniform.
func TestDROStepGrowsWithEta(t *testing.T) {
	ratio := func(eta float64) float64 {
		d := newDRO(eta, 2)
		d.observe(0, 1, 0.1)
		d.observe(1, 1, 0.9)
		d.endEpoch()
		return d.mult[1] / d.mult[0]
	}
	if r1, r2 := ratio(0.1), ratio(1); !(1 < r1 && r1 < r2) {
		t.Errorf("worst/best ratio %v at η 0.1, %v at η 1: want 1 < the first < the second", r1, r2)
	}
}

// DRO 0 trains exactly the model the trainer gave without the option (the
// embedded weights' test checks the same on the real data); DRO > 0
// trains another one, deterministically.
func TestTrainWithDRO(t *testing.T) {
	o := tinyOptions()
	base, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	o.DRO = 0
	off, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(save(t, base), save(t, off)) {
		t.Fatal("DRO 0 changed the model")
	}
	o.DRO = 1
	on1, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	on2, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(save(t, on1), save(t, on2)) {
		t.Fatal("DRO training is not deterministic")
	}
	if bytes.Equal(save(t, base), save(t, on1)) {
		t.Fatal("DRO 1 gave the same model as DRO 0: the groups were not weighed")
	}
	o.DROSources = true
	src, err := Train(tiny, o)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(save(t, src), save(t, on1)) {
		t.Fatal("DRO over sources gave the same model as over cells")
	}
	for _, bad := range []float64{-0.1, 11} {
		o.DRO = bad
		if _, err := Train(tiny, o); err == nil {
			t.Errorf("Train(DRO %v) succeeded", bad)
		}
	}
}
