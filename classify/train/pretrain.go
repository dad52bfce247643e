package train

import (
	"math"
	"slices"

	"switchyard/classify/internal/feature"
)

// Unsupervised pretraining of the word embeddings: CBOW with negative
// sampling (word2vec) over the word buckets of the training texts, labels
// unused. Words that occur in similar contexts get similar vectors, so a
// word the labeled data never pairs with a class still lands near words
// it does. Only the texts Train is given are read: in a cross-validation
// the held-out source's text is never seen, labels or not.
//
// Deterministic like fit: a fixed text order, the splitmix generator, and
// every product rounded explicitly.

const (
	pretrainWindow    = 5       // context words on each side, at most
	pretrainNegatives = 5       // negative samples per target
	pretrainSubsample = 1e-4    // frequent-word subsampling threshold
	pretrainLR        = 0.05    // initial learning rate, decayed linearly
	pretrainMaxTokens = 4096    // tokens read per text
	negTableSize      = 1 << 20 // unigram^0.75 table for negative sampling
)

// pretrainTexts returns the word buckets of the distinct texts (instruction,
// system prompt, history) of the examples, in the examples' order.
func pretrainTexts(ex []Example, bits uint) [][]uint32 {
	seen := map[string]bool{}
	var out [][]uint32
	var buf []uint32
	add := func(s string) {
		if s == "" || seen[s] {
			return
		}
		seen[s] = true
		buf = feature.WordHashes(buf[:0], s)
		if len(buf) < 2 {
			return
		}
		toks := make([]uint32, min(len(buf), pretrainMaxTokens))
		for i := range toks {
			toks[i] = feature.WordBucket(buf[i], bits)
		}
		out = append(out, toks)
	}
	for i := range ex {
		add(ex[i].Text)
		add(ex[i].System)
		for _, h := range ex[i].History {
			add(h)
		}
	}
	return out
}

// pretrain returns word vectors (row-major, 1<<bits rows of dim) learned by
// CBOW with negative sampling over texts.
func pretrain(texts [][]uint32, bits uint, dim, epochs int, seed uint64) []float64 {
	rows := 1 << bits
	counts := make([]float64, rows)
	total := 0.0
	for _, t := range texts {
		for _, b := range t {
			counts[b]++
			total++
		}
	}
	r := splitmix(seed ^ 0x5EED)
	in := make([]float64, rows*dim)
	for i := range in {
		in[i] = (float64(r.next()>>11)/(1<<53) - 0.5) / float64(dim)
	}
	out := make([]float64, rows*dim)
	neg := negativeTable(counts)
	keep := make([]uint64, rows) // keep probability × 2^32 (subsampling)
	for b, n := range counts {
		if n > 0 {
			f := n / total
			p := float64(math.Sqrt(f/pretrainSubsample)+1) * float64(pretrainSubsample/f)
			keep[b] = uint64(min(p, 1) * (1 << 32))
		}
	}
	steps := float64(epochs) * total
	done := 0.0
	ctx := make([]float64, dim)
	grad := make([]float64, dim)
	var sent []uint32
	for range epochs {
		for _, t := range texts {
			sent = sent[:0]
			for _, b := range t {
				if r.next()>>32 < keep[b] {
					sent = append(sent, b)
				}
			}
			lr := max(pretrainLR*(1-done/steps), pretrainLR*1e-4)
			done += float64(len(t))
			for i, target := range sent {
				w := 1 + int(r.next()%pretrainWindow)
				lo, hi := max(0, i-w), min(len(sent), i+w+1)
				n := hi - lo - 1
				if n <= 0 {
					continue
				}
				clear(ctx)
				for j := lo; j < hi; j++ {
					if j != i {
						addTo(ctx, in[int(sent[j])*dim:][:dim], 1)
					}
				}
				inv := 1 / float64(n)
				for j := range ctx {
					ctx[j] = float64(ctx[j] * inv)
				}
				clear(grad)
				cbowStep(ctx, grad, out, int(target), 1, lr, dim)
				for range pretrainNegatives {
					b := int(neg[r.next()%negTableSize])
					if b != int(target) {
						cbowStep(ctx, grad, out, b, 0, lr, dim)
					}
				}
				for j := lo; j < hi; j++ {
					if j != i {
						addTo(in[int(sent[j])*dim:][:dim], grad, 1)
					}
				}
			}
		}
	}
	return in
}

// cbowStep is one logistic step of the context vector against output row
// b with label (1 for the target, 0 for a negative): it updates the row
// and adds the context's gradient to grad.
func cbowStep(ctx, grad, out []float64, b int, label, lr float64, dim int) {
	o := out[b*dim:][:dim]
	dot := 0.0
	for j := range ctx {
		dot += float64(ctx[j] * o[j])
	}
	g := float64(label-sigmoid(dot)) * lr
	for j := range ctx {
		grad[j] += float64(g * o[j])
		o[j] += float64(g * ctx[j])
	}
}

// addTo adds f·src to dst.
func addTo(dst, src []float64, f float64) {
	for j := range dst {
		dst[j] += float64(f * src[j])
	}
}

// sigmoid is the logistic function, computed with detExp.
func sigmoid(x float64) float64 {
	if x >= 0 {
		return 1 / (1 + detExp(-x))
	}
	e := detExp(x)
	return e / (1 + e)
}

// negativeTable returns a table of buckets, each appearing in proportion
// to its count^0.75 (word2vec's noise distribution).
func negativeTable(counts []float64) []uint32 {
	p := make([]float64, len(counts))
	sum := 0.0
	for b, n := range counts {
		p[b] = quarterPow(n, 0.75)
		sum += p[b]
	}
	table := make([]uint32, 0, negTableSize)
	cum := 0.0
	for b := range p {
		if p[b] == 0 {
			continue
		}
		cum += p[b]
		for end := int(cum / sum * negTableSize); len(table) < min(end, negTableSize); {
			table = append(table, uint32(b))
		}
	}
	last := uint32(slices.IndexFunc(p, func(v float64) bool { return v > 0 }))
	for len(table) < negTableSize {
		table = append(table, last)
	}
	return table
}
