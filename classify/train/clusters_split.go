package train

import "math"

// Bisecting k-means: the vocabulary is split in two along its principal
// direction, the split refined by 2-means, and each half split again, to
// a fixed depth. Words close in meaning share a long path prefix. Every
// product is rounded explicitly (no FMA fusion) and the order is fixed,
// so the tree is the same on every machine.

// Split parameters.
const (
	powerIterations = 20 // for the principal direction
	refineRounds    = 10 // of 2-means after the split
	minSplit        = 8  // a node of fewer words is not split
)

// splitTree assigns paths to the words idx (indexes into vecs, frequency
// order) below the node at depth with the given path prefix.
func splitTree(vecs []float64, dims int, idx []int32, depth, maxDepth int, prefix uint16, paths []uint16) {
	if depth == maxDepth || len(idx) < minSplit {
		for _, i := range idx {
			paths[i] = prefix << (maxDepth - depth)
		}
		return
	}
	left, right := bisect(vecs, dims, idx)
	splitTree(vecs, dims, left, depth+1, maxDepth, prefix<<1, paths)
	splitTree(vecs, dims, right, depth+1, maxDepth, prefix<<1|1, paths)
}

// bisect splits idx in two: by the side of the mean along the principal
// direction, then by 2-means. Both halves keep idx's order. If the split
// leaves a side empty, every word goes left.
func bisect(vecs []float64, dims int, idx []int32) (left, right []int32) {
	vec := func(i int32) []float64 { return vecs[int(i)*dims : int(i+1)*dims] }
	mean := centroid(vecs, dims, idx, nil)
	u := make([]float64, dims)
	for j, x := range vec(idx[0]) { // start from the most frequent word
		u[j] = x - mean[j]
	}
	if !normalize(u) {
		u[0] = 1
	}
	next := make([]float64, dims)
	d := make([]float64, dims)
	for range powerIterations {
		clear(next)
		for _, i := range idx {
			for j, x := range vec(i) {
				d[j] = x - mean[j]
			}
			p := dot(d, u)
			for j := range next {
				next[j] += float64(p * d[j])
			}
		}
		if !normalize(next) {
			break
		}
		u, next = next, u
	}
	side := make([]bool, len(idx))
	for n, i := range idx {
		for j, x := range vec(i) {
			d[j] = x - mean[j]
		}
		side[n] = dot(d, u) > 0
	}
	for range refineRounds {
		c1 := centroid(vecs, dims, idx, func(n int) bool { return side[n] })
		c0 := centroid(vecs, dims, idx, func(n int) bool { return !side[n] })
		if c0 == nil || c1 == nil {
			break
		}
		for j := range d {
			d[j] = c1[j] - c0[j]
		}
		cut := float64(dot(c1, c1)-dot(c0, c0)) / 2
		changed := false
		for n, i := range idx {
			s := dot(vec(i), d) > cut
			changed = changed || s != side[n]
			side[n] = s
		}
		if !changed {
			break
		}
	}
	for n, i := range idx {
		if side[n] {
			right = append(right, i)
		} else {
			left = append(left, i)
		}
	}
	if len(left) == 0 || len(right) == 0 {
		return idx, nil
	}
	return left, right
}

// centroid returns the mean of the vectors idx[n] for which keep(n) holds
// (all if keep is nil), or nil if there are none.
func centroid(vecs []float64, dims int, idx []int32, keep func(int) bool) []float64 {
	c := make([]float64, dims)
	k := 0
	for n, i := range idx {
		if keep != nil && !keep(n) {
			continue
		}
		for j, x := range vecs[int(i)*dims : int(i+1)*dims] {
			c[j] += x
		}
		k++
	}
	if k == 0 {
		return nil
	}
	for j := range c {
		c[j] /= float64(k)
	}
	return c
}

// dot returns the dot product, every product rounded.
func dot(a, b []float64) float64 {
	s := 0.0
	for j := range a {
		s += float64(a[j] * b[j])
	}
	return s
}

// normalize scales v to unit length; false if v is zero.
func normalize(v []float64) bool {
	n := dot(v, v)
	if n == 0 {
		return false
	}
	n = 1 / math.Sqrt(n)
	for j := range v {
		v[j] = float64(v[j] * n)
	}
	return true
}
