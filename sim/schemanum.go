package sim

import (
	"encoding/json"
	"math"
	"math/big"
)

// numeric returns def, or the value nearest to it the bounds and
// multipleOf of s allow.
func numeric(s map[string]any, def float64, integer bool) any {
	lo, hi := math.Inf(-1), math.Inf(1)
	loEx, hiEx := false, false
	if v, ok := num(s["minimum"]); ok {
		lo, loEx = v, s["exclusiveMinimum"] == true // draft 4
	}
	if v, ok := num(s["exclusiveMinimum"]); ok && v >= lo {
		lo, loEx = v, true
	}
	if v, ok := num(s["maximum"]); ok {
		hi, hiEx = v, s["exclusiveMaximum"] == true
	}
	if v, ok := num(s["exclusiveMaximum"]); ok && v <= hi {
		hi, hiEx = v, true
	}
	if integer {
		if loEx {
			lo = math.Floor(lo) + 1
		} else {
			lo = math.Ceil(lo)
		}
		if hiEx {
			hi = math.Ceil(hi) - 1
		} else {
			hi = math.Floor(hi)
		}
		loEx, hiEx = false, false
	}
	v := def
	switch {
	case (v > lo || !loEx && v == lo) && (v < hi || !hiEx && v == hi):
	case !math.IsInf(lo, 0) && !math.IsInf(hi, 0):
		v = lo + (hi-lo)/2
		if integer {
			v = math.Floor(v)
		}
	case !math.IsInf(lo, 0):
		v = lo
		if loEx {
			v++
		}
	default:
		v = hi
		if hiEx {
			v--
		}
	}
	if m, ok := s["multipleOf"].(json.Number); ok {
		if r := multiple(v, lo, hi, m, integer); r != "" {
			return json.Number(r)
		}
	}
	if integer {
		return int64(v)
	}
	return v
}

// multiple returns the decimal text of a multiple of m near v that lies
// in [lo, hi] (and is an integer when integer is set), exactly: 0.1 × 3 is
// "0.3", not 0.30000000000000004. It returns "" when it finds none.
func multiple(v, lo, hi float64, m json.Number, integer bool) string {
	mr, ok := new(big.Rat).SetString(string(m))
	if !ok || mr.Sign() <= 0 {
		return ""
	}
	mf, _ := mr.Float64()
	k := math.Round(v / mf)
	ks := []float64{k, k + 1, k - 1, k + 2, k - 2, math.Ceil(lo / mf), math.Floor(hi / mf)}
	for _, c := range ks {
		if math.IsInf(c, 0) || math.IsNaN(c) || math.Abs(c) >= 1<<53 {
			continue
		}
		r := new(big.Rat).Mul(mr, new(big.Rat).SetInt64(int64(c)))
		if f, _ := r.Float64(); f < lo || f > hi || integer && !r.IsInt() {
			continue
		}
		if r.IsInt() {
			return r.Num().String()
		}
		for p := 1; p <= 40; p++ {
			s := r.FloatString(p)
			if back, ok := new(big.Rat).SetString(s); ok && back.Cmp(r) == 0 {
				return s
			}
		}
		return r.FloatString(40)
	}
	return ""
}

func num(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := n.Float64()
		return f, err == nil
	case float64:
		return n, true
	}
	return 0, false
}
