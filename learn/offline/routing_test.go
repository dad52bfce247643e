package offline

import (
	"math"
	"testing"
)

func TestChoose(t *testing.T) {
	q, c := []float64{0.9, 0.8, 0.5}, []float64{10, 1, 1}
	if j := Choose(q, c, 0, 10); j != 0 {
		t.Errorf("λ=0 chose %d, want the best", j)
	}
	if j := Choose(q, c, 1, 10); j != 1 {
		t.Errorf("λ=1 chose %d, want the cheap good one", j)
	}
	if j := Choose([]float64{0.5, 0.5}, []float64{2, 1}, 0, 1); j != 1 {
		t.Errorf("a tie went to %d, want the cheaper", j)
	}
	if j := Choose(q, c, 100, 0); j != 0 {
		t.Errorf("with no cost scale, chose %d, want the best", j)
	}
}

func TestFrontierAndInterpolation(t *testing.T) {
	pts := []Point{
		{Lambda: 3, Quality: 0.5, CostPerQuery: 1},
		{Lambda: 2, Quality: 0.7, CostPerQuery: 2},
		{Lambda: 1.5, Quality: 0.6, CostPerQuery: 3}, // dominated
		{Lambda: 1, Quality: 0.9, CostPerQuery: 4},
		{Lambda: 0, Quality: 0.9, CostPerQuery: 5}, // dominated: same quality, dearer
	}
	f := Frontier(pts)
	if len(f) != 3 || f[0].CostPerQuery != 1 || f[1].CostPerQuery != 2 || f[2].CostPerQuery != 4 {
		t.Fatalf("frontier %+v", f)
	}
	for _, tc := range []struct {
		c, want float64
		ok      bool
	}{{0.5, 0, false}, {1, 0.5, true}, {1.5, 0.6, true}, {3, 0.8, true}, {10, 0.9, true}} {
		got, ok := QualityAt(f, tc.c)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("QualityAt(%v) = %v %v, want %v %v", tc.c, got, ok, tc.want, tc.ok)
		}
	}
	for _, tc := range []struct {
		q, want float64
		ok      bool
	}{{0.4, 1, true}, {0.6, 1.5, true}, {0.8, 3, true}, {0.9, 4, true}, {0.95, 0, false}} {
		got, ok := CostAt(f, tc.q)
		if ok != tc.ok || math.Abs(got-tc.want) > 1e-12 {
			t.Errorf("CostAt(%v) = %v %v, want %v %v", tc.q, got, ok, tc.want, tc.ok)
		}
	}
}

func TestSummarize(t *testing.T) {
	base := map[string]Outcome{"big": {Quality: 0.8, CostPerQuery: 10}, "small": {Quality: 0.6, CostPerQuery: 1}}
	pts := []Point{{Quality: 0.6, CostPerQuery: 1}, {Quality: 0.78, CostPerQuery: 2}, {Quality: 0.82, CostPerQuery: 6}}
	s := Summarize(pts, base)
	if s.Reference != "big" || s.ReferenceQuality != 0.8 || s.ReferenceCostPerQuery != 10 {
		t.Fatalf("reference %+v", s)
	}
	// 25% of the cost is 2.5: 0.78 + 0.5/4·0.04 = 0.785, i.e. 98.125%.
	check := func(name string, p *float64, want float64) {
		t.Helper()
		if p == nil || math.Abs(*p-want) > 1e-9 {
			t.Errorf("%s = %v, want %v", name, p, want)
		}
	}
	check("q25", s.QualityAt25PctCost, 0.785/0.8)
	check("q50", s.QualityAt50PctCost, (0.78+0.75*0.04)/0.8)
	check("c95", s.CostShareAt95PctQuality, (1+(0.76-0.6)/0.18)/10)
	check("c100", s.CostShareAt100PctQuality, (2+4*(0.8-0.78)/0.04)/10)
	if s := Summarize(pts[:1], base); s.CostShareAt95PctQuality != nil || s.CostShareAt100PctQuality != nil {
		t.Errorf("an unreachable quality has a cost: %+v", s)
	}
	if name, _ := Reference(map[string]Outcome{"b": {0.5, 2}, "a": {0.5, 2}, "c": {0.5, 1}}); name != "c" {
		t.Errorf("reference tie went to %s, want the cheaper", name)
	}
}

func TestBaselinesAndOracle(t *testing.T) {
	ds := synthDataset(t, 300)
	base := Baselines(ds)
	o := Oracle(ds)
	for name, b := range base {
		if o.Quality < b.Quality {
			t.Errorf("oracle %.3f below %s %.3f", o.Quality, name, b.Quality)
		}
	}
	if math.Abs(base["big"].CostPerQuery-0.01) > 1e-12 {
		t.Errorf("big costs %v", base["big"].CostPerQuery)
	}
	r := Random(base)
	if math.Abs(r.CostPerQuery-0.004) > 1e-12 {
		t.Errorf("random costs %v, want the mean 0.004", r.CostPerQuery)
	}
}

func TestSweepMonotone(t *testing.T) {
	ds := synthDataset(t, 300)
	est := PerTask(ds, ds)
	pts := Sweep(ds, est, DefaultLambdas(), 0.01)
	for i := 1; i < len(pts); i++ { // λ grows, so cost can only fall
		if pts[i].CostPerQuery > pts[i-1].CostPerQuery+1e-12 {
			t.Fatalf("cost rose from λ=%v to λ=%v", pts[i-1].Lambda, pts[i].Lambda)
		}
	}
	if pts[0].CostPerQuery < 0.005 {
		t.Errorf("λ=0 costs %v: the best estimates are big's on at least one kind", pts[0].CostPerQuery)
	}
	if last := pts[len(pts)-1]; math.Abs(last.CostPerQuery-0.001) > 1e-12 {
		t.Errorf("the largest λ costs %v, want the cheap models'", last.CostPerQuery)
	}
}
