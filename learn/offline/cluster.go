package offline

import (
	"math"
)

// sparse is a deduplicated, unit-length feature vector.
type sparse struct {
	idx []uint32
	val []float32
}

func toSparse(v *Vector) sparse {
	idx, val := dedupe(v)
	n := 0.0
	for _, x := range val {
		n += float64(x) * float64(x)
	}
	if n > 0 {
		s := float32(1 / math.Sqrt(n))
		for i := range val {
			val[i] *= s
		}
	}
	return sparse{idx, val}
}

func (s *sparse) dot(c []float32) float64 {
	t := 0.0
	for i, b := range s.idx {
		t += float64(s.val[i]) * float64(c[b])
	}
	return t
}

// kmeans runs spherical k-means (cosine similarity) on xs with a
// deterministic k-means++ start and returns the unit-length centroids.
func kmeans(xs []sparse, dim, k, iters int, seed uint64) [][]float32 {
	k = min(k, len(xs))
	r := rng{state: seed ^ 0xC1D5}
	cents := make([][]float32, 0, k)
	add := func(x *sparse) {
		c := make([]float32, dim)
		for i, b := range x.idx {
			c[b] += x.val[i]
		}
		cents = append(cents, c)
	}
	add(&xs[int(r.next()%uint64(len(xs)))])
	best := make([]float64, len(xs)) // distance to the nearest centroid
	for i := range best {
		best[i] = math.Inf(1)
	}
	for len(cents) < k {
		total := 0.0
		last := cents[len(cents)-1]
		for i := range xs {
			d := max(0, 1-xs[i].dot(last))
			best[i] = min(best[i], d*d)
			total += best[i]
		}
		if total == 0 {
			break
		}
		u := float64(r.next()>>11) / (1 << 53) * total
		pick := len(xs) - 1
		for i, d := range best {
			if u -= d; u <= 0 {
				pick = i
				break
			}
		}
		add(&xs[pick])
	}
	assign := make([]int, len(xs))
	for range iters {
		changed := false
		for i := range xs {
			a := nearest(&xs[i], cents)
			if a != assign[i] {
				assign[i], changed = a, true
			}
		}
		for _, c := range cents {
			clear(c)
		}
		for i := range xs {
			c := cents[assign[i]]
			for f, b := range xs[i].idx {
				c[b] += xs[i].val[f]
			}
		}
		for _, c := range cents {
			normalize(c)
		}
		if !changed {
			break
		}
	}
	return cents
}

func normalize(c []float32) {
	n := 0.0
	for _, x := range c {
		n += float64(x) * float64(x)
	}
	if n == 0 {
		return
	}
	s := float32(1 / math.Sqrt(n))
	for i := range c {
		c[i] *= s
	}
}

// nearest returns the centroid most similar to x.
func nearest(x *sparse, cents [][]float32) int {
	best, bestSim := 0, math.Inf(-1)
	for j, c := range cents {
		if s := x.dot(c); s > bestSim {
			best, bestSim = j, s
		}
	}
	return best
}

// MaxClusters bounds TrainOptions.Clusters.
const MaxClusters = 64

// nearestKind returns the centroid nearest to v. Scaling v does not
// change which is nearest, so v need not be normalized; it does not
// allocate.
func nearestKind(v *Vector, cents [][]float32) int {
	best, bestSim := 0, math.Inf(-1)
	for j, c := range cents {
		s := 0.0
		for f, b := range v.Idx {
			s += float64(v.Val[f]) * float64(c[b])
		}
		if s > bestSim {
			best, bestSim = j, s
		}
	}
	return best
}
