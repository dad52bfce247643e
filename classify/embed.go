package classify

import (
	"fmt"

	"switchyard/classify/internal/feature"
)

// MaxEmbedDim bounds the dimension of a model's word embeddings.
const MaxEmbedDim = 64

// Embedding is the optional second part of a model, fastText-style: every
// word token of the instruction (its word window, as the linear part reads
// it) has a vector in a hashed table; their mean, times a linear layer,
// adds to the linear part's logits. Word vectors learned from text carry
// word similarity, which a bag of hashed n-grams does not: a word never
// seen with a label still lands near words that were.
type Embedding struct {
	// Bits is log2 of the table's rows (word buckets, feature.WordBucket).
	Bits uint
	// Dim is the vector dimension, in [1, MaxEmbedDim].
	Dim int
	// Table holds the int8 vectors, row-major: Table[b*Dim+j].
	Table []int8
	// Scale turns Table's integers into the vectors' values.
	Scale float32
	// Head[k][j] is class k's weight on the mean vector's dimension j
	// (temperature folded in); only the first Dim are used.
	Head [numClasses][MaxEmbedDim]float32
}

// validate checks e's sizes.
func (e *Embedding) validate() error {
	if e.Dim < 1 || e.Dim > MaxEmbedDim || e.Bits < minBits || e.Bits > maxBits || len(e.Table) != e.Dim<<e.Bits {
		return fmt.Errorf("%w: embedding of %d×2^%d with %d values", ErrBadModel, e.Dim, e.Bits, len(e.Table))
	}
	return nil
}

// addLogits adds the embedding part's logits for the word hashes to out:
// the int8 rows are summed in int32 (no rounding), then scaled by the
// mean's factor once per dimension.
func (e *Embedding) addLogits(words []uint32, out *[numClasses]float64) {
	if len(words) == 0 {
		return
	}
	var acc [MaxEmbedDim]int32
	d := e.Dim
	for _, h := range words {
		o := int(feature.WordBucket(h, e.Bits)) * d
		row := e.Table[o : o+d]
		for j, v := range row {
			acc[j] += int32(v)
		}
	}
	f := float64(e.Scale) / float64(len(words))
	for k := range out {
		t := 0.0
		for j := range d {
			t += float64(e.Head[k][j]) * float64(acc[j])
		}
		out[k] += f * t
	}
}
