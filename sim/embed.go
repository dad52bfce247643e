package sim

import (
	"hash/fnv"
	"math"
	"strings"
	"unicode"
)

// Embedding returns the simulated embedding of text: a deterministic unit
// vector of dims values in which texts that share words are close.
//
// The text's features are its lower-cased words (weight 1 per
// occurrence) and the character trigrams of each word, with the word's
// boundaries marked (weight 0.5), so "refund" and "refunds" are near too.
// Each feature adds its own pseudo-random ±1 vector, seeded by a hash of
// salt (the model) and the feature; the sum is normalized. That is a
// random projection of the bag of features, so the cosine similarity of
// two embeddings approximates the cosine similarity of their bags of
// words and trigrams: about 0.8 for "I was charged twice" and "I was
// charged twice this month", near 0 for texts with nothing in common.
// Coordinate i does not depend on dims, so a shorter vector is a longer
// one cut and normalized again, as OpenAI shortens text-embedding-3
// vectors. A text with no letters or digits is one feature, the text.
func Embedding(salt, text string, dims int) []float32 {
	if dims <= 0 {
		return nil
	}
	sum := make([]float64, dims)
	for f, w := range features(text) {
		project(sum, featureSeed(salt, f), w)
	}
	var norm float64
	for _, x := range sum {
		norm += x * x
	}
	norm = math.Sqrt(norm)
	if norm == 0 { // the features cancelled out (possible in very few dimensions)
		sum[0], norm = 1, 1
	}
	out := make([]float32, dims)
	for i, x := range sum {
		out[i] = float32(x / norm)
	}
	return out
}

// features returns the weighted bag of words and word trigrams of text.
func features(text string) map[string]float64 {
	out := map[string]float64{}
	words := strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		out["w:"+w]++
		rs := []rune("#" + w + "#")
		for i := 0; i+3 <= len(rs); i++ {
			out["t:"+string(rs[i:i+3])] += 0.5
		}
	}
	if len(out) == 0 {
		out["x:"+text] = 1
	}
	return out
}

func featureSeed(salt, f string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(salt))
	h.Write([]byte{0})
	h.Write([]byte(f))
	return h.Sum64()
}

// project adds w times the ±1 vector of seed to sum.
func project(sum []float64, seed uint64, w float64) {
	for block := 0; block*64 < len(sum); block++ {
		bits := splitmix(seed + uint64(block)*0x9e3779b97f4a7c15)
		for i := block * 64; i < min(len(sum), block*64+64); i++ {
			if bits&1 == 1 {
				sum[i] += w
			} else {
				sum[i] -= w
			}
			bits >>= 1
		}
	}
}

// splitmix is the splitmix64 finalizer.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}
