package feature

import "unicode/utf8"

// Hashing: every feature is a 32-bit FNV-1a hash of lowercased bytes, seeded
// per namespace, mixed with a multiplicative (Fibonacci) step and cut to the
// model's bucket count. Nothing here allocates or touches a map.

const (
	fnvOffset = 2166136261
	fnvPrime  = 16777619
	mixConst  = 0x9E3779B1
)

// The namespaces of the feature space (NumNS of them; NSStruct holds the
// structural features, whose value is 1 rather than 1/sqrt(count)). Each has its own hash seed (so the
// same word in the system prompt and in the user's message lands in different
// buckets) and its own L2 normalization.
const (
	nsWord   = iota // word unigrams and bigrams of the main text
	nsChar          // byte 3-, 4- and 5-grams of the main text
	nsEdge          // the first and last words of the main text
	nsSys           // words of the system prompt
	nsHist          // words of earlier user turns
	NSStruct        // structural and request-level features
	nsShape         // the main text's shape (see shape.go)
	nsClus          // word clusters of the main text's words (see clusters.go)
	NumNS
)

// nsSeed holds the per-namespace hash seeds. The shape features are
// named like structural ones (structHash, NSStruct's seed) and tagged
// nsShape; their seed here is unused.
var nsSeed = [NumNS]uint32{
	0x243F6A88, 0x85A308D3, 0x13198A2E, 0x03707344, 0xA4093822, 0x299F31D0, 0x082EFA98, 0xEC4E6C89,
}

// hashString is FNV-1a over s starting from h.
func hashString(h uint32, s string) uint32 {
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * fnvPrime
	}
	return h
}

// combine mixes two hashes into one (for bigrams and keyed features).
func combine(a, b uint32) uint32 {
	return (a^(b+0x7F4A7C15+a<<6+a>>2))*mixConst + 1
}

// structHash returns the hash of a named structural feature with a small
// integer value (a bucket index, or 1 for a flag).
func structHash(name string, v int) uint32 {
	h := hashString(fnvOffset^nsSeed[NSStruct], name)
	return combine(h, uint32(v)+0x51ED270B)
}

// WordKey returns the key of a word as Extractor.Words reports it: its
// hash after the scanner's folding (case, digits → 0), so "Poem", "POEM"
// and "poem" share one key. It reports false unless word is exactly one
// word token of an alphabetic script (a word with an apostrophe, a hyphen
// or an ideograph is not).
func WordKey(word string) (uint32, bool) {
	for i, r := range word {
		if r < utf8.RuneSelf {
			if byteClass[word[i]] != clsWord {
				return 0, false
			}
		} else if kind, _, _ := runeInfo(r); kind != runeLetter {
			return 0, false
		}
	}
	if word == "" {
		return 0, false
	}
	var st textStats
	ws := wordScanner{s: word, end: len(word), stats: &st}
	h, _, _ := ws.next(nsSeed[nsWord])
	return h, true
}
