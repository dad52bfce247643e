package offline

import (
	"fmt"
	"math"
	"unicode/utf8"
)

// Features. A prompt becomes a sparse vector of hashed features in four
// namespaces, each scaled to unit length (1/sqrt of its feature count) so
// that a long prompt does not outweigh a short one:
//
//   - words: word unigrams and bigrams of the whole prompt (its head and
//     tail windows when it is long);
//   - tail: word unigrams and bigrams of its end again, where the question
//     sits after instructions or worked examples;
//   - chars: byte 3-, 4- and 5-grams of its end;
//   - shape: task-independent numbers (length, lines, blocks, digits,
//     enumerated options, questions, code-like lines), each in [0, 1].
//
// The task and source columns of the data are never features: the router
// does not see them.

// FeatureConfig says how prompts become features; it is saved in the model
// file so that the router featurizes exactly as the trainer did.
type FeatureConfig struct {
	// Bits is log2 of the number of hashed buckets, in [MinBits, MaxBits].
	Bits uint8 `json:"bits"`
	// WordHead and WordTail are the bytes read for words from the start and
	// the end of a long prompt; a prompt no longer than their sum is read
	// whole.
	WordHead int `json:"word_head"`
	WordTail int `json:"word_tail"`
	// TailBytes is the end of the prompt read again in the tail namespace.
	TailBytes int `json:"tail_bytes"`
	// CharBytes is the end of the prompt read for byte n-grams.
	CharBytes int `json:"char_bytes"`
}

// The range of FeatureConfig.Bits.
const (
	MinBits = 10
	MaxBits = 22
)

// DefaultFeatures returns the feature configuration `learn fit` uses.
func DefaultFeatures() FeatureConfig {
	return FeatureConfig{Bits: 16, WordHead: 6144, WordTail: 2048, TailBytes: 512, CharBytes: 256}
}

// Validate reports a configuration Extract cannot use.
func (c FeatureConfig) Validate() error {
	switch {
	case c.Bits < MinBits || c.Bits > MaxBits:
		return fmt.Errorf("offline: %d feature bits out of [%d, %d]", c.Bits, MinBits, MaxBits)
	case c.WordHead < 0 || c.WordTail < 0 || c.TailBytes < 0 || c.CharBytes < 0:
		return fmt.Errorf("offline: negative feature window in %+v", c)
	case c.WordHead+c.WordTail+c.TailBytes+c.CharBytes > 1<<20:
		return fmt.Errorf("offline: feature windows over 1 MiB in %+v", c)
	}
	return nil
}

// The namespaces.
const (
	nsWords = iota
	nsTail
	nsChars
	nsShape
	numNS
)

var nsSeed = [numNS]uint32{0x3C6EF372, 0xA54FF53A, 0x510E527F, 0x9B05688C}

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
	mixConst  = 0x9E3779B1
)

// Vector is a prompt's sparse feature vector: bucket Idx[i] has value
// Val[i] (a bucket may repeat; values add up). Reuse one across calls of
// Extract to avoid allocating.
type Vector struct {
	Idx []uint32
	Val []float32
}

// Reset empties v, keeping its storage.
func (v *Vector) Reset() { v.Idx, v.Val = v.Idx[:0], v.Val[:0] }

// Extract appends the features of text to v (after resetting it). It does
// not allocate once v has grown to the size of the longest prompt's
// features. c must be valid.
func (c *FeatureConfig) Extract(text string, v *Vector) {
	v.Reset()
	x := hasher{v: v, shift: 32 - uint32(c.Bits)}
	lo1, hi1, lo2, hi2 := window(text, c.WordHead, c.WordTail)
	x.words(nsWords, text[lo1:hi1], text[lo2:hi2])
	tail := text[runeEnd(text, len(text)-c.TailBytes):]
	x.words(nsTail, tail, "")
	x.chars(text[runeEnd(text, len(text)-c.CharBytes):])
	x.shape(text)
}

// hasher appends hashed features to a vector.
type hasher struct {
	v     *Vector
	shift uint32
}

// push appends a hashed text feature; its bucket is never one of the
// shape slots.
func (x *hasher) push(h uint32, val float32) {
	b := (h * mixConst) >> x.shift
	if b < ShapeSlots {
		b += ShapeSlots
	}
	x.v.Idx = append(x.v.Idx, b)
	x.v.Val = append(x.v.Val, val)
}

// pushSlot appends a shape feature in its own slot.
func (x *hasher) pushSlot(slot int, val float32) {
	x.v.Idx = append(x.v.Idx, uint32(slot))
	x.v.Val = append(x.v.Val, val)
}

// normalize sets the values of the last n features to 1/sqrt(n).
func (x *hasher) normalize(n int) {
	if n == 0 {
		return
	}
	s := float32(1 / math.Sqrt(float64(n)))
	vals := x.v.Val[len(x.v.Val)-n:]
	for i := range vals {
		vals[i] = s
	}
}

// words hashes the word unigrams and bigrams of a and then b into ns.
func (x *hasher) words(ns int, a, b string) {
	start := len(x.v.Idx)
	seed := nsSeed[ns]
	for _, s := range [2]string{a, b} {
		var prev uint32
		have := false
		for i := 0; i < len(s); {
			h, next, ok := nextWord(s, i, seed)
			if !ok {
				break
			}
			i = next
			x.push(h, 0)
			if have {
				x.push(combine(prev, h), 0)
			}
			prev, have = h, true
		}
	}
	x.normalize(len(x.v.Idx) - start)
}

// nextWord finds the word at or after s[i:]: a run of ASCII letters and
// digits or non-ASCII bytes, hashed lowercase. It returns the hash and the
// index after the word.
func nextWord(s string, i int, seed uint32) (uint32, int, bool) {
	for i < len(s) && !wordByte(s[i]) {
		i++
	}
	if i == len(s) {
		return 0, i, false
	}
	h := uint32(fnvOffset) ^ seed
	for ; i < len(s) && wordByte(s[i]); i++ {
		h = (h ^ uint32(lower(s[i]))) * fnvPrime
	}
	return h, i, true
}

func wordByte(c byte) bool {
	return c >= 0x80 || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// chars hashes the byte 3-, 4- and 5-grams of s, lowercased, with runs of
// white space read as one space and digits as '0'.
func (x *hasher) chars(s string) {
	start := len(x.v.Idx)
	var ring [5]byte
	n := 0
	for i := 0; i < len(s); i++ {
		c := foldByte(s[i])
		if c == ' ' && n > 0 && ring[(n-1)%5] == ' ' {
			continue
		}
		ring[n%5] = c
		n++
		for k := 3; k <= 5 && k <= n; k++ {
			h := uint32(fnvOffset) ^ nsSeed[nsChars] ^ uint32(k)
			for j := n - k; j < n; j++ {
				h = (h ^ uint32(ring[j%5])) * fnvPrime
			}
			x.push(h, 0)
		}
	}
	x.normalize(len(x.v.Idx) - start)
}

func foldByte(c byte) byte {
	switch {
	case c == '\n' || c == '\t' || c == '\r':
		return ' '
	case '0' <= c && c <= '9':
		return '0'
	}
	return lower(c)
}

// combine mixes two hashes into one (for bigrams and keyed features).
func combine(a, b uint32) uint32 {
	return (a^(b+0x7F4A7C15+a<<6+a>>2))*mixConst + 1
}

// window returns the byte ranges of s to read: all of it, or its head and
// tail cut at rune boundaries.
func window(s string, head, tail int) (lo1, hi1, lo2, hi2 int) {
	if len(s) <= head+tail {
		return 0, len(s), len(s), len(s)
	}
	return 0, runeStart(s, head), runeEnd(s, len(s)-tail), len(s)
}

// runeStart moves i back to the start of the rune it falls in.
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// runeEnd moves i (clamped to [0, len(s)]) forward to a rune start.
func runeEnd(s string, i int) int {
	i = max(0, min(i, len(s)))
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}
