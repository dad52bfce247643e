// Package detmath holds the arithmetic the trainers (classify/train,
// guard/inject/train) need to rebuild their embedded weights bit for bit
// on any machine: an exponential computed by a fixed sequence of rounded
// operations (math.Exp may differ by an ulp between platforms and Go
// releases), and a tiny random generator fixed forever, unlike the
// standard library's shuffles.
package detmath

import (
	"math"
	"math/bits"
)

// Exp returns e**x for x <= 0 with a fixed sequence of rounded
// operations: x = k·ln2 + r with |r| <= ln2/2, a degree-12 Taylor
// polynomial for e**r (error below 1e-15), and an exact scaling by 2**k.
func Exp(x float64) float64 {
	if x < -700 {
		return 0
	}
	const (
		ln2Hi  = 6.93147180369123816490e-01
		ln2Lo  = 1.90821492927058770002e-10
		invLn2 = 1.44269504088896338700e+00
	)
	k := math.Floor(float64(x*invLn2) + 0.5)
	r := float64(x-float64(k*ln2Hi)) - float64(k*ln2Lo)
	p := 1.0 / 479001600 // 1/12!
	for n := 11; n >= 0; n-- {
		p = float64(p*r) + invFact[n]
	}
	return math.Ldexp(p, int(k))
}

// invFact[n] is 1/n!.
var invFact = func() (f [12]float64) {
	v := 1.0
	for n := range f {
		if n > 0 {
			v /= float64(n)
		}
		f[n] = v
	}
	return f
}()

// RNG is a splitmix64 generator.
type RNG struct{ state uint64 }

// NewRNG returns the generator seeded with seed.
func NewRNG(seed uint64) *RNG { return &RNG{state: seed} }

// Next returns the next 64 random bits.
func (r *RNG) Next() uint64 {
	r.state += 0x9E3779B97F4A7C15
	z := r.state
	z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
	z = (z ^ z>>27) * 0x94D049BB133111EB
	return z ^ z>>31
}

// Shuffle permutes s in place (Fisher-Yates, multiply-high reduction).
func (r *RNG) Shuffle(s []int) {
	for i := len(s) - 1; i > 0; i-- {
		j, _ := bits.Mul64(r.Next(), uint64(i+1))
		s[i], s[j] = s[j], s[i]
	}
}
