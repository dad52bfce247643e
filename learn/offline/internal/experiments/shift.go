package main

import (
	"hash/fnv"
	"math"
	"strings"
	"unicode"

	"switchyard/learn/offline"
)

// A shift moves each model's logit by w·x for a few extra per-prompt
// signals x (centred and scaled per kind of prompt on the training
// prompts), with w per (kind, model) fitted by L2-penalized logistic
// regression on top of out-of-fold base predictions. It is how the
// experiments below test whether a signal adds anything to the router.
type shift struct {
	kinds, models, dim int
	mean, sd           [][]float64 // per kind: the signals' centre and scale
	w                  [][]float64 // per kind×model: the weights
}

// fitShift fits a shift on the base predictions p of the prompts of ds
// with signals x and kinds kk, with penalty l2 on the weights.
func fitShift(ds *offline.Dataset, p [][]float64, x [][]float64, kk []int, nk int, l2 float64) *shift {
	k, d := len(ds.Models), len(x[0])
	s := &shift{kinds: nk, models: k, dim: d, mean: make([][]float64, nk), sd: make([][]float64, nk), w: make([][]float64, nk*k)}
	byKind := make([][]int, nk)
	for i, kind := range kk {
		byKind[kind] = append(byKind[kind], i)
	}
	for kind, idx := range byKind {
		s.mean[kind], s.sd[kind] = centre(x, idx, d)
		for j := range k {
			s.w[kind*k+j] = s.fitOne(ds, p, x, idx, kind, j, l2)
		}
	}
	return s
}

func centre(x [][]float64, idx []int, d int) (mean, sd []float64) {
	mean, sd = make([]float64, d), make([]float64, d)
	for _, i := range idx {
		for f := range d {
			mean[f] += x[i][f]
		}
	}
	for f := range d {
		mean[f] /= math.Max(1, float64(len(idx)))
	}
	for _, i := range idx {
		for f := range d {
			sd[f] += (x[i][f] - mean[f]) * (x[i][f] - mean[f])
		}
	}
	for f := range d {
		sd[f] = math.Sqrt(sd[f] / math.Max(1, float64(len(idx))))
		if sd[f] < 1e-9 {
			sd[f] = 1
		}
	}
	return mean, sd
}

// fitOne runs Newton's method on one (kind, model) pair's weights.
func (s *shift) fitOne(ds *offline.Dataset, p, x [][]float64, idx []int, kind, j int, l2 float64) []float64 {
	d := s.dim
	w := make([]float64, d)
	z := make([]float64, d)
	for range 20 {
		g, h := make([]float64, d), make([][]float64, d)
		for a := range h {
			h[a] = make([]float64, d)
			g[a] = l2 * w[a]
			h[a][a] = l2
		}
		for _, i := range idx {
			s.standard(x[i], kind, z)
			q := sigmoid(logit(p[i][j]) + dot(w, z))
			r, v := q-ds.Prompts[i].Score[j], q*(1-q)
			for a := range d {
				g[a] += r * z[a]
				for b := range d {
					h[a][b] += v * z[a] * z[b]
				}
			}
		}
		step := solve(h, g)
		for a := range w {
			w[a] -= step[a]
		}
		if dot(step, step) < 1e-12 {
			break
		}
	}
	return w
}

func (s *shift) standard(x []float64, kind int, z []float64) {
	for f := range z {
		z[f] = (x[f] - s.mean[kind][f]) / s.sd[kind][f]
	}
}

// apply returns the shifted qualities of base estimates est.
func (s *shift) apply(est *offline.Estimates, x [][]float64, kk []int) *offline.Estimates {
	out := &offline.Estimates{Quality: make([][]float64, len(est.Quality)), Cost: est.Cost}
	z := make([]float64, s.dim)
	for i, q := range est.Quality {
		s.standard(x[i], kk[i], z)
		out.Quality[i] = make([]float64, len(q))
		for j, pj := range q {
			out.Quality[i][j] = sigmoid(logit(pj) + dot(s.w[kk[i]*s.models+j], z))
		}
	}
	return out
}

// solve solves h·x = g by Gaussian elimination with partial pivoting (h
// is small, symmetric and positive definite).
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	a := make([][]float64, n)
	for i := range a {
		a[i] = append(append([]float64(nil), h[i]...), g[i])
	}
	for c := range n {
		piv := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[piv][c]) {
				piv = r
			}
		}
		a[c], a[piv] = a[piv], a[c]
		for r := c + 1; r < n; r++ {
			f := a[r][c] / a[c][c]
			for k := c; k <= n; k++ {
				a[r][k] -= f * a[c][k]
			}
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		sum := a[r][n]
		for k := r + 1; k < n; k++ {
			sum -= a[r][k] * x[k]
		}
		x[r] = sum / a[r][r]
	}
	return x
}

func dot(a, b []float64) float64 {
	s := 0.0
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

func sigmoid(z float64) float64 { return 1 / (1 + math.Exp(-z)) }

func logit(p float64) float64 {
	p = min(1-1e-4, max(1e-4, p))
	return math.Log(p / (1 - p))
}

// words returns the lower-cased runs of letters and digits of s.
func words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// shingleSize is the length in words of the shingles near-duplicates are
// found by.
const shingleSize = 5

// shingles returns the hashes of a text's word 5-grams (of the whole
// text when it is shorter).
func shingles(s string) []uint64 {
	ws := words(s)
	n := min(shingleSize, len(ws))
	var out []uint64
	for i := 0; i+n <= len(ws) && n > 0; i++ {
		h := fnv.New64a()
		h.Write([]byte(strings.Join(ws[i:i+n], " ")))
		out = append(out, h.Sum64())
	}
	return out
}

// overlapping marks the prompts of aux that are near-duplicates of some
// prompt of against: half or more of their word 5-grams occur in
// against's prompts (anywhere: their worked examples too).
func overlapping(aux, against *offline.Dataset) []bool {
	set := map[uint64]bool{}
	for i := range against.Prompts {
		for _, h := range shingles(against.Prompts[i].Text) {
			set[h] = true
		}
	}
	out := make([]bool, len(aux.Prompts))
	for i := range aux.Prompts {
		sh := shingles(aux.Prompts[i].Text)
		in := 0
		for _, h := range sh {
			if set[h] {
				in++
			}
		}
		out[i] = len(sh) > 0 && 2*in >= len(sh)
	}
	return out
}
