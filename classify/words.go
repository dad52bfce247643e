package classify

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
)

// The word table: class weights for words by exact key, learned through
// pretrained word vectors. The trainer represents an instruction by the
// weighted mean of its words' vectors (vectors from a large general
// corpus; see classify/train) and learns a linear map from that mean to
// the classes. A linear map of a mean is the mean of the mapped words, so
// the model stores each word's mapped vector — seven class weights — and
// no vector at all: scoring is a lookup and a sum per word, like a hashed
// feature, and a word the training prompts never used still scores near
// its category's words.
//
// Each row holds the seven class weights (int8, biased by 128 like the
// bucket rows) and, in its eighth byte, the word's own weight in the mean
// (0..127 for 0..1, biased likewise): frequent words weigh less. A word
// not in the table counts in the mean with weight unknown and no class
// weights, so a text of mostly unknown words (another language, code)
// gets little from the table and is left to the hashed features.

// WordWeights is one word of a model's word table.
type WordWeights struct {
	// Key is the word's key as the feature extractor computes it.
	Key uint32
	// Weights are the word's class weights (llm.Categories order), in
	// units of the table's scale.
	Weights [numClasses]int8
	// Weight is the word's weight in the mean, 0..127 for 0..1.
	Weight int8
}

// wordTable is the open-addressing (linear probing) table of a model's
// words. keys[s] is 0 for an empty slot.
type wordTable struct {
	bits    uint
	keys    []uint32
	rows    []byte // slot-major, 8 bytes: 7 class weights and the word weight, each int8 + 128
	scale   [numClasses]float32
	unknown float32
	words   []WordWeights // as given, for Save
}

// maxTableWords bounds a word table (the slot count must fit 2^24).
const maxTableWords = 1 << 23

// newWordTable builds the table of words. Keys must be distinct and
// nonzero.
func newWordTable(words []WordWeights, scale [numClasses]float32, unknown float32) (*wordTable, error) {
	if len(words) == 0 || len(words) > maxTableWords {
		return nil, fmt.Errorf("%w: %d words", ErrBadModel, len(words))
	}
	if !(unknown >= 0) || math.IsInf(float64(unknown), 0) {
		return nil, fmt.Errorf("%w: unknown-word weight %v", ErrBadModel, unknown)
	}
	t := &wordTable{bits: uint(bits.Len(uint(len(words)))) + 1, scale: scale, unknown: unknown, words: words}
	t.keys = make([]uint32, 1<<t.bits) // load factor at most 1/2
	t.rows = make([]byte, 8<<t.bits)
	for _, w := range words {
		if w.Key == 0 || w.Weight < 0 {
			return nil, fmt.Errorf("%w: word key 0 or negative weight", ErrBadModel)
		}
		s := int(t.slot(w.Key))
		for t.keys[s] != 0 {
			if t.keys[s] == w.Key {
				return nil, fmt.Errorf("%w: word key %#x twice", ErrBadModel, w.Key)
			}
			s = (s + 1) & (1<<t.bits - 1)
		}
		t.keys[s] = w.Key
		for k, v := range w.Weights {
			t.rows[8*s+k] = byte(v) + 128
		}
		t.rows[8*s+7] = byte(w.Weight) + 128
	}
	return t, nil
}

// slot returns the home slot of a key.
func (t *wordTable) slot(key uint32) uint32 {
	return key * 0x9E3779B1 >> (32 - t.bits)
}

// find returns the slot holding key, or -1.
func (t *wordTable) find(key uint32) int {
	if key == 0 {
		return -1
	}
	s := t.slot(key)
	for {
		switch t.keys[s] {
		case key:
			return int(s)
		case 0:
			return -1
		}
		s = (s + 1) & (1<<t.bits - 1)
	}
}

// logits adds the table's contribution for the words (keys) to out: the
// weighted mean of the words' class weights, unknown words counting with
// weight t.unknown. Eight lanes are summed at once in two 64-bit words, as
// in Classifier.logits; words are at most 1<<16/255 per flush.
func (t *wordTable) logits(words []uint32, out *[numClasses]float64) {
	const lanes = 0x00FF00FF00FF00FF
	var sum [8]int64
	unknown := 0
	for len(words) > 0 {
		var even, odd uint64
		n, found := 0, 0
		for ; n < len(words) && n < 256; n++ {
			s := t.find(words[n])
			if s < 0 {
				unknown++
				continue
			}
			v := binary.LittleEndian.Uint64(t.rows[8*s : 8*s+8])
			even += v & lanes
			odd += v >> 8 & lanes
			found++
		}
		for k := range 4 {
			sum[2*k] += int64(even>>(16*k)&0xFFFF) - 128*int64(found)
			sum[2*k+1] += int64(odd>>(16*k)&0xFFFF) - 128*int64(found)
		}
		words = words[n:]
	}
	z := float64(sum[7])/127 + float64(t.unknown)*float64(unknown)
	if z <= 0 {
		return
	}
	for k := range out {
		out[k] += float64(t.scale[k]) * float64(sum[k]) / z
	}
}
