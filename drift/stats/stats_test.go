package stats

import (
	"math"
	"math/rand/v2"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*max(1, math.Abs(b)) }

// The reference p-values were computed by exact enumeration with rational
// arithmetic (Python's fractions and math.comb), independently of this
// code; (10,12) vs (3,18) two-sided is also R's fisher.test value.
func TestFisherExactReference(t *testing.T) {
	for _, c := range []struct {
		a, b               Count
		two, less, greater float64
	}{
		{Count{3, 4}, Count{1, 4}, 0.4857142857142857, 0.9857142857142858, 0.24285714285714285},
		{Count{75, 100}, Count{270, 300}, 0.00035712955925372707, 0.00029149388483359873, 0.9999101753333665},
		{Count{15, 100}, Count{2, 100}, 0.0015241861103646903, 0.9999228566721263, 0.0007620930551823452},
		{Count{0, 10}, Count{0, 10}, 1, 1, 1},
		{Count{10, 12}, Count{3, 18}, 0.0005367241191434358, 0.9999845190186861, 0.00046518094336290503},
		{Count{31, 42}, Count{38, 42}, 0.08512200805616967, 0.04256100402808483, 0.9897886668696826},
	} {
		for _, x := range []struct {
			alt  Alternative
			want float64
		}{{TwoSided, c.two}, {Less, c.less}, {Greater, c.greater}} {
			got, err := FisherExact(c.a, c.b, x.alt)
			if err != nil || !near(got, x.want, 1e-9) {
				t.Errorf("FisherExact(%v, %v, %v) = %v, %v; want %v", c.a, c.b, x.alt, got, err, x.want)
			}
		}
	}
}

func TestFisherExactEdges(t *testing.T) {
	if p, err := FisherExact(Count{0, 0}, Count{3, 5}, Less); err != nil || p != 1 {
		t.Errorf("empty sample: %v, %v; want 1", p, err)
	}
	for _, bad := range []Count{{-1, 3}, {4, 3}, {0, -1}} {
		if _, err := FisherExact(bad, Count{1, 2}, Less); err == nil {
			t.Errorf("FisherExact(%v) gave no error", bad)
		}
		if _, _, err := TwoProportionZ(Count{1, 2}, bad, Less); err == nil {
			t.Errorf("TwoProportionZ(%v) gave no error", bad)
		}
	}
	// Large tables stay finite and within [0, 1].
	p, err := FisherExact(Count{4500, 5000}, Count{4400, 5000}, TwoSided)
	if err != nil || !(p >= 0 && p <= 1) || p > 0.01 || p < 1e-4 {
		t.Errorf("large table: %v, %v", p, err)
	}
}

// For large samples the z-test and Fisher's test agree closely.
func TestTwoProportionZAgreesWithFisher(t *testing.T) {
	a, b := Count{410, 1000}, Count{450, 1000}
	f, _ := FisherExact(a, b, Less)
	z, p, err := TwoProportionZ(a, b, Less)
	if err != nil || z >= 0 || math.Abs(f-p)/f > 0.15 {
		t.Errorf("z=%v p=%v fisher=%v err=%v", z, p, f, err)
	}
	if _, p, _ := TwoProportionZ(Count{5, 5}, Count{7, 7}, TwoSided); p != 1 {
		t.Errorf("no variance: p=%v, want 1", p)
	}
	// ProportionTest switches to the z-test past ExactLimit.
	big1, big2 := Count{2900, 3000}, Count{2950, 3000}
	pt, _ := ProportionTest(big1, big2, Less)
	_, pz, _ := TwoProportionZ(big1, big2, Less)
	if pt != pz {
		t.Errorf("ProportionTest past ExactLimit = %v, want the z-test's %v", pt, pz)
	}
	small, _ := ProportionTest(Count{3, 4}, Count{1, 4}, Greater)
	if !near(small, 0.24285714285714285, 1e-12) {
		t.Errorf("ProportionTest of a small table = %v, want Fisher's", small)
	}
}

func TestMannWhitneyHandComputed(t *testing.T) {
	// x = 1 2 2 3, y = 2 2 4. Ranks of 1,2,2,2,2,3,4: 1, 3.5×4, 6, 7.
	// x's rank sum 1+3.5+3.5+6 = 14, U = 14 - 10 = 4. Ties: one group
	// of 4 → Σ(t³−t) = 60. σ² = 12/12·(8 − 60/42) = 6.571428…
	x, y := []float64{1, 2, 2, 3}, []float64{2, 2, 4}
	r := MannWhitneyU(x, y, TwoSided)
	if r.U != 4 || !near(r.Effect, 4.0/12, 1e-12) {
		t.Fatalf("U = %v, effect %v; want 4, 1/3", r.U, r.Effect)
	}
	wantZ := -(6.0 - 4 - 0.5) / math.Sqrt(8-60.0/42)
	if !near(r.Z, wantZ, 1e-12) || !near(r.P, 2*normalCDF(wantZ), 1e-12) {
		t.Errorf("z = %v p = %v; want %v, %v", r.Z, r.P, wantZ, 2*normalCDF(wantZ))
	}
	// Every x above every y: U = n1·n2.
	r = MannWhitneyU([]float64{10, 11, 12, 13, 14, 15, 16, 17, 18, 19}, []float64{1, 2, 3, 4, 5, 6, 7, 8, 9, 9.5}, Greater)
	if r.U != 100 || r.Effect != 1 || r.P > 0.001 {
		t.Errorf("separated samples: %+v", r)
	}
	// All equal: no variance, p = 1.
	if r := MannWhitneyU([]float64{3, 3, 3}, []float64{3, 3}, TwoSided); r.P != 1 || r.Effect != 0.5 {
		t.Errorf("all ties: %+v", r)
	}
	if r := MannWhitneyU(nil, []float64{1}, Less); r.P != 1 {
		t.Errorf("empty sample: %+v", r)
	}
}

// Mirroring the samples mirrors the one-sided test.
func TestMannWhitneySymmetry(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	x, y := make([]float64, 30), make([]float64, 40)
	for i := range x {
		x[i] = math.Round(rng.NormFloat64()*3 + 1)
	}
	for i := range y {
		y[i] = math.Round(rng.NormFloat64() * 3)
	}
	g, l := MannWhitneyU(x, y, Greater), MannWhitneyU(y, x, Less)
	if !near(g.P, l.P, 1e-12) || !near(g.U+l.U, 1200, 1e-12) {
		t.Errorf("greater(x,y) = %+v, less(y,x) = %+v", g, l)
	}
	two := MannWhitneyU(x, y, TwoSided)
	if !near(two.P, min(1, 2*min(g.P, MannWhitneyU(x, y, Less).P)), 1e-12) {
		t.Errorf("two-sided %v is not twice the smaller one-sided", two.P)
	}
}

// Under the null hypothesis the tests reject about α of the time, even
// with heavy ties (the tie correction) — measured on seeded draws.
func TestNullRejectionRate(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	const trials = 4000
	var mwTies, mwCont, fisher int
	for range trials {
		x, y := make([]float64, 25), make([]float64, 40)
		xc, yc := make([]float64, 25), make([]float64, 40)
		for i := range x {
			x[i], xc[i] = float64(rng.IntN(4)), rng.ExpFloat64()
		}
		for i := range y {
			y[i], yc[i] = float64(rng.IntN(4)), rng.ExpFloat64()
		}
		if MannWhitneyU(x, y, TwoSided).P < 0.05 {
			mwTies++
		}
		if MannWhitneyU(xc, yc, Greater).P < 0.05 {
			mwCont++
		}
		a, b := Count{N: 60}, Count{N: 90}
		for range a.N {
			if rng.Float64() < 0.8 {
				a.X++
			}
		}
		for range b.N {
			if rng.Float64() < 0.8 {
				b.X++
			}
		}
		if p, _ := FisherExact(a, b, Less); p < 0.05 {
			fisher++
		}
	}
	for name, n := range map[string]int{"Mann-Whitney, ties": mwTies, "Mann-Whitney, continuous": mwCont} {
		if r := float64(n) / trials; r < 0.035 || r > 0.065 {
			t.Errorf("%s rejects %.3f of null trials at α=0.05", name, r)
		}
	}
	// Fisher's test is conservative: at most α.
	if r := float64(fisher) / trials; r > 0.055 || r < 0.01 {
		t.Errorf("Fisher rejects %.3f of null trials at α=0.05", r)
	}
}

func TestBenjaminiHochberg(t *testing.T) {
	// Worked example: m = 5.
	p := []float64{0.01, 0.04, 0.03, 0.005, 0.2}
	want := []float64{0.025, 0.05, 0.05, 0.025, 0.2}
	q := BenjaminiHochberg(p)
	for i := range p {
		if !near(q[i], want[i], 1e-12) {
			t.Errorf("q[%d] = %v, want %v (all %v)", i, q[i], want[i], q)
		}
	}
	if q := BenjaminiHochberg([]float64{math.NaN(), 0.5}); q[0] != 1 || q[1] != 1 {
		t.Errorf("NaN: %v", q)
	}
	if len(BenjaminiHochberg(nil)) != 0 {
		t.Error("nil input")
	}
	// Under the global null, BH at α rejects anything in at most about α
	// of trials (it controls the family-wise rate then).
	rng := rand.New(rand.NewPCG(3, 4))
	any := 0
	for range 4000 {
		ps := make([]float64, 20)
		for i := range ps {
			ps[i] = rng.Float64()
		}
		for _, v := range BenjaminiHochberg(ps) {
			if v <= 0.05 {
				any++
				break
			}
		}
	}
	if r := float64(any) / 4000; r > 0.06 {
		t.Errorf("BH rejected under the global null in %.3f of trials", r)
	}
}
