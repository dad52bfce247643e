package offline

import (
	"math"
	"slices"
)

// KNN is the nearest-neighbour baseline router: its estimate of a model's
// quality on a prompt is the similarity-weighted mean score of the K most
// similar training prompts (cosine similarity of the same hashed
// features), and of its cost the neighbours' mean cost.
type KNN struct {
	K     int
	cfg   FeatureConfig
	train *Dataset
	post  [][]posting // per bucket: the training prompts that have it
	norms []float64
}

type posting struct {
	prompt int32
	val    float32
}

// NewKNN indexes the training prompts.
func NewKNN(train *Dataset, cfg FeatureConfig, k int) *KNN {
	n := &KNN{K: max(1, k), cfg: cfg, train: train, post: make([][]posting, 1<<cfg.Bits)}
	vecs := Featurize(train, cfg)
	n.norms = make([]float64, len(vecs))
	for i := range vecs {
		idx, val := dedupe(&vecs[i])
		for f, b := range idx {
			n.post[b] = append(n.post[b], posting{int32(i), val[f]})
			n.norms[i] += float64(val[f]) * float64(val[f])
		}
		n.norms[i] = math.Sqrt(n.norms[i])
	}
	return n
}

// dedupe sums the values of repeated buckets; it returns sorted buckets.
func dedupe(v *Vector) ([]uint32, []float32) {
	order := make([]int, len(v.Idx))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return int(v.Idx[a]) - int(v.Idx[b]) })
	var idx []uint32
	var val []float32
	for _, i := range order {
		if k := len(idx); k > 0 && idx[k-1] == v.Idx[i] {
			val[k-1] += v.Val[i]
			continue
		}
		idx, val = append(idx, v.Idx[i]), append(val, v.Val[i])
	}
	return idx, val
}

// Estimate returns the estimates for every prompt of test.
func (n *KNN) Estimate(test *Dataset) *Estimates {
	k := len(n.train.Models)
	est := &Estimates{Quality: make([][]float64, len(test.Prompts)), Cost: make([][]float64, len(test.Prompts))}
	sims := make([]float64, len(n.train.Prompts))
	order := make([]int, len(sims))
	var v Vector
	for t := range test.Prompts {
		n.cfg.Extract(test.Prompts[t].Text, &v)
		idx, val := dedupe(&v)
		clear(sims)
		norm := 0.0
		for f, b := range idx {
			norm += float64(val[f]) * float64(val[f])
			for _, p := range n.post[b] {
				sims[p.prompt] += float64(val[f]) * float64(p.val)
			}
		}
		for i := range order {
			order[i] = i
			sims[i] /= math.Sqrt(norm)*n.norms[i] + 1e-12
		}
		slices.SortFunc(order, func(a, b int) int { return cmpFloat(sims[b], sims[a]) })
		q, c := make([]float64, k), make([]float64, k)
		wsum := 0.0
		for _, i := range order[:min(n.K, len(order))] {
			w := max(sims[i], 1e-6)
			wsum += w
			for j := range k {
				q[j] += w * n.train.Prompts[i].Score[j]
				c[j] += w * n.train.Prompts[i].Cost[j]
			}
		}
		for j := range k {
			q[j] /= wsum
			c[j] /= wsum
		}
		est.Quality[t], est.Cost[t] = q, c
	}
	return est
}

// PerTask is the per-task rule baseline: it knows each test prompt's task
// (the router never does) and estimates a model's quality and cost by its
// mean on the training prompts of that task (all training prompts for a
// task training never saw).
func PerTask(train, test *Dataset) *Estimates {
	k := len(train.Models)
	type sums struct {
		q, c []float64
		n    float64
	}
	by := map[string]*sums{}
	all := &sums{q: make([]float64, k), c: make([]float64, k)}
	for i := range train.Prompts {
		p := &train.Prompts[i]
		s := by[p.Task]
		if s == nil {
			s = &sums{q: make([]float64, k), c: make([]float64, k)}
			by[p.Task] = s
		}
		for _, x := range []*sums{s, all} {
			x.n++
			for j := range k {
				x.q[j] += p.Score[j]
				x.c[j] += p.Cost[j]
			}
		}
	}
	est := &Estimates{Quality: make([][]float64, len(test.Prompts)), Cost: make([][]float64, len(test.Prompts))}
	for i := range test.Prompts {
		s := by[test.Prompts[i].Task]
		if s == nil {
			s = all
		}
		q, c := make([]float64, k), make([]float64, k)
		for j := range k {
			q[j], c[j] = s.q[j]/s.n, s.c[j]/s.n
		}
		est.Quality[i], est.Cost[i] = q, c
	}
	return est
}

// Estimate returns the model's estimates for every prompt of test: its
// calibrated quality and its length-based cost.
func (m *Model) Estimate(test *Dataset) *Estimates {
	est := &Estimates{Quality: make([][]float64, len(test.Prompts)), Cost: make([][]float64, len(test.Prompts))}
	var v Vector
	for i := range test.Prompts {
		text := test.Prompts[i].Text
		kind := m.Vectorize(text, &v)
		q, c := make([]float64, len(m.Models)), make([]float64, len(m.Models))
		m.Predict(&v, kind, q)
		for j := range c {
			c[j] = m.Cost(j, len(text))
		}
		est.Quality[i], est.Cost[i] = q, c
	}
	return est
}
