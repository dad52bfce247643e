// Package feature turns a classifier input (the human's instruction, its
// context and the request's signals) into hashed feature buckets. It is
// shared by the inference path (package classify) and the trainer
// (classify/train), so both see exactly the same features. Nothing here
// allocates per call.
package feature

import (
	"math"
	"strings"
	"unicode/utf8"
)

// Feature extraction. The main text (the last user message) gives word
// unigrams and bigrams, byte 3-5-grams, its first and last words, and the
// structural signals; the system prompt and earlier user turns give word
// unigrams in namespaces of their own, so they weigh as context only. The
// request's own signals (tools, response_format, images, turn index) are
// structural features like the rest: the model learned their weight.

// NSShift splits a feature: its bucket index sits below this bit, its
// namespace above.
const NSShift = 28

// Windows: long texts are read at their head and tail, where instructions
// sit ("Summarize the following: …", "… Return the result as JSON.").
const (
	wordHead  = 768 // bytes of the main text read for words, from the start
	wordTail  = 256 // … and from the end
	charHead  = 192 // bytes of the main text read for byte n-grams, from the start
	charTail  = 64  // … and from the end
	ctxBytes  = 512 // bytes read from the start of each context text
	edgeWords = 24  // at most this many words of the first and last lines are edge features
	voteWords = 128 // stop-word votes for the language come from the first words only
	maxFeats  = 8 << 10
	maxWords  = (wordHead + wordTail) / 2 // a word is at least one letter and one separator
)

// Extractor turns an Input into hashed feature buckets. It is large (the
// feature array), so callers reuse one (through a sync.Pool on the hot
// path); it is not safe for concurrent use.
type Extractor struct {
	feats [maxFeats]uint32
	runes [charHead]rune // scratch for mainChars
	k     int
	shift uint32 // 32 - bucket bits
	stats textStats
	st    structure
	cues  cueCounts
	lang  string
	words [maxWords]uint32 // the main text's word keys (see WordKey), in order
	ends  [maxWords]int32  // and where each ends in the main text
	nw    int
	first int       // end of the main text's first line
	last  int       // start of its last line
	clus  *Clusters // nil: no cluster features
}

// Features returns the features of the last Run: each is a bucket index
// in its low NSShift bits and its namespace above them. The slice aliases
// x and is valid until the next Reset.
func (x *Extractor) Features() []uint32 { return x.feats[:x.k] }

// Words returns the keys (see WordKey) of the words of the last Run's main
// text that are not ideographs, in reading order, from the same head and
// tail windows as the word features. The slice aliases x and is valid
// until the next Reset.
func (x *Extractor) Words() []uint32 { return x.words[:x.nw] }

// Language returns the language detected by the last Run: an ISO 639-1
// code (en, es, fr, de, pt, zh, ja, ru, ar) or "".
func (x *Extractor) Language() string { return x.lang }

// HasCode reports whether the last Run's main text holds code: a fence or
// two code-like lines.
func (x *Extractor) HasCode() bool { return x.st.hasCode() }

// HasFence reports whether s holds a Markdown code fence.
func HasFence(s string) bool { return strings.Contains(s, "```") }

// Norms returns each namespace's feature value: 1/sqrt(count), so that
// every namespace's feature vector has unit length; structural features
// count 1 each.
func Norms(counts *[NumNS]int32) [NumNS]float64 {
	var v [NumNS]float64
	for ns, n := range counts {
		switch {
		case n == 0:
		case ns == NSStruct:
			v[ns] = 1
		default:
			v[ns] = 1 / math.Sqrt(float64(n))
		}
	}
	return v
}

// Reset prepares x for an input hashed into 1<<bucketBits buckets, with
// the cluster features of clus (nil: none).
func (x *Extractor) Reset(bucketBits uint, clus *Clusters) {
	x.clus = clus
	x.k = 0
	x.shift = uint32(32 - bucketBits)
	x.stats = textStats{}
	x.st = structure{}
	x.cues = cueCounts{}
	x.lang = ""
	x.nw = 0
}

// push records one feature.
func (x *Extractor) push(ns int, h uint32) {
	if x.k < maxFeats {
		x.feats[x.k] = (h*mixConst)>>x.shift | uint32(ns)<<NSShift
		x.k++
	}
}

// Counts returns the number of features of each namespace.
func (x *Extractor) Counts() [NumNS]int32 {
	var c [NumNS]int32
	for _, f := range x.feats[:x.k] {
		c[f>>NSShift]++
	}
	return c
}

// Run extracts every feature of in.
func (x *Extractor) Run(in *Input) {
	x.mainWords(in.Main)
	x.clusterWords()
	x.mainChars(in.Main)
	x.contextWords(nsSys, in.System)
	for _, h := range in.History {
		x.contextWords(nsHist, h)
	}
	x.st = scanStructure(in.Main)
	x.structFeatures(in)
}

// window returns the byte ranges of s to read: all of it, or its head and
// tail cut at rune boundaries.
func window(s string, head, tail int) (lo1, hi1, lo2, hi2 int) {
	if len(s) <= head+tail {
		return 0, len(s), len(s), len(s)
	}
	return 0, runeStart(s, head), runeEnd(s, len(s)-tail), len(s)
}

// mainWords hashes the words of the main text: unigrams and bigrams; the
// words of its first and last lines again as edge features (instructions
// sit there: "Summarize this:\n\n…", "…\n\nReturn JSON."); and the first
// word, first two words and last word as structural features.
func (x *Extractor) mainWords(s string) {
	lo1, hi1, lo2, hi2 := window(s, wordHead, wordTail)
	firstEnd, lastStart := edgeLines(s)
	x.first, x.last = firstEnd, lastStart
	seed := nsSeed[nsWord]
	var ring [edgeWords]uint32 // the last edgeWords tokens
	var ringEnd [edgeWords]int // and where each ends
	var first, second, prevHead uint32
	n := 0
	for _, r := range [2][2]int{{lo1, hi1}, {lo2, hi2}} {
		ws := wordScanner{s: s, i: r[0], end: r[1], stats: &x.stats}
		var prev uint32
		havePrev, prevIdeo := false, false
		for {
			h, ideo, ok := ws.next(seed)
			if !ok {
				break
			}
			if !ideo {
				if n < voteWords {
					x.stats.vote(h)
				}
				if x.nw < maxWords {
					x.words[x.nw], x.ends[x.nw] = h, int32(ws.i)
					x.nw++
				}
			}
			x.push(nsWord, h)
			inFirst := n < edgeWords && ws.i <= firstEnd
			if m := cueMask(cueKey(h, ws.bag)); m != 0 {
				x.cues.add(m, inFirst)
			}
			if havePrev {
				bi := combine(prev, h)
				x.push(nsWord, bi)
				if ideo && prevIdeo {
					if m := cueMask(bi); m != 0 {
						x.cues.add(m, inFirst)
					}
				}
			}
			prev, prevIdeo, havePrev = h, ideo, true
			switch n {
			case 0:
				first = h
			case 1:
				second = h
			}
			if inFirst {
				x.push(nsEdge, combine(h, 1))
				if n > 0 {
					x.push(nsEdge, combine(combine(prevHead, h), 1))
				}
				prevHead = h
			}
			ring[n%edgeWords], ringEnd[n%edgeWords] = h, ws.i
			n++
		}
	}
	x.tailEdge(&ring, &ringEnd, n, lastStart)
	if n > 0 {
		x.push(NSStruct, combine(first, 0xF1))
		x.push(NSStruct, combine(ring[(n-1)%edgeWords], 0xF3))
	}
	if n > 1 {
		x.push(NSStruct, combine(combine(first, second), 0xF2))
	}
}

// tailEdge adds the edge features of the last line's words (at most
// edgeWords of them), from the ring of the last tokens.
func (x *Extractor) tailEdge(ring *[edgeWords]uint32, ringEnd *[edgeWords]int, n, lastStart int) {
	start := max(0, n-edgeWords)
	for start < n && ringEnd[start%edgeWords] <= lastStart {
		start++
	}
	for j := start; j < n; j++ {
		h := ring[j%edgeWords]
		x.push(nsEdge, combine(h, 2))
		if j > start {
			x.push(nsEdge, combine(combine(ring[(j-1)%edgeWords], h), 2))
		}
	}
}

// edgeLines returns the end of the first non-blank line of s and the start
// of its last non-blank line.
func edgeLines(s string) (firstEnd, lastStart int) {
	lo, hi := 0, len(s)
	for lo < hi && (s[lo] == '\n' || s[lo] == ' ' || s[lo] == '\r' || s[lo] == '\t') {
		lo++
	}
	for hi > lo && (s[hi-1] == '\n' || s[hi-1] == ' ' || s[hi-1] == '\r' || s[hi-1] == '\t') {
		hi--
	}
	firstEnd = hi
	if i := strings.IndexByte(s[lo:hi], '\n'); i >= 0 {
		firstEnd = lo + i
	}
	lastStart = lo
	if i := strings.LastIndexByte(s[lo:hi], '\n'); i >= 0 {
		lastStart = lo + i + 1
	}
	return firstEnd, lastStart
}

// mainChars hashes the character 3-, 4- and 5-grams of the main text.
// Characters are runes, case-folded (so a Cyrillic or accented n-gram spans
// as many letters as an ASCII one), digits mapped to '0'.
func (x *Extractor) mainChars(s string) {
	lo1, hi1, lo2, hi2 := window(s, charHead, charTail)
	seed, shift, tag := nsSeed[nsChar], x.shift, uint32(nsChar)<<NSShift
	for _, rg := range [2][2]int{{lo1, hi1}, {lo2, hi2}} {
		r := x.decode(s[rg[0]:rg[1]])
		if x.k+3*len(r) > maxFeats {
			return // no room: the array holds the longest windows, so never in practice
		}
		out, k := x.feats[:], x.k // local copies keep the hot loop in registers
		for i := 0; i+3 <= len(r); i++ {
			h := hashChar(hashChar(hashChar(seed, r[i]), r[i+1]), r[i+2])
			out[k] = (h*mixConst)>>shift | tag
			k++
			if i+4 <= len(r) {
				h = hashChar(h, r[i+3])
				out[k] = (h*mixConst)>>shift | tag
				k++
				if i+5 <= len(r) {
					out[k] = (hashChar(h, r[i+4])*mixConst)>>shift | tag
					k++
				}
			}
		}
		x.k = k
	}
}

// decode fills x.runes with the folded runes of s (at most charHead bytes)
// and returns them.
func (x *Extractor) decode(s string) []rune {
	n := 0
	for i := 0; i < len(s) && n < len(x.runes); {
		c := s[i]
		if c < utf8.RuneSelf {
			x.runes[n] = rune(fold[c])
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			_, x.runes[n], _ = runeInfo(r)
			i += size
		}
		n++
	}
	return x.runes[:n]
}

// hashChar feeds one folded rune into a running n-gram hash.
func hashChar(h uint32, r rune) uint32 {
	if r < utf8.RuneSelf {
		return (h ^ uint32(r)) * fnvPrime
	}
	return hashRune(h, r)
}

// contextWords hashes the word unigrams of the start of a context text.
func (x *Extractor) contextWords(ns int, s string) {
	if s == "" {
		return
	}
	end := len(s)
	if end > ctxBytes {
		end = runeStart(s, ctxBytes)
	}
	var st textStats // context does not decide the language
	ws := wordScanner{s: s, end: end, stats: &st}
	for {
		h, _, ok := ws.next(nsSeed[ns])
		if !ok {
			return
		}
		x.push(ns, h)
	}
}

// structFeatures adds the structural and request-level features.
func (x *Extractor) structFeatures(in *Input) {
	st := &x.st
	letters := x.stats.scripts[scLatin] + x.stats.scripts[scCyrillic] + x.stats.scripts[scArabic]
	x.lang = x.stats.language()
	numbers := x.stats.digits > 0 || x.cues.all[cueNumber] >= 2
	// Quantities: numbers and number words.
	qty := int(x.stats.numbers) + int(x.cues.all[cueNumber])
	flags := [len(flagNames)]bool{ // in flagNames order
		st.fences > 0, st.braces && st.jsonKeys >= 2, st.question, st.endsQ,
		in.Tools, in.System != "", in.History[0] != "", in.Images,
		numbers && x.cues.all[cueMath] > 0, numbers && st.question,
	}
	for i, on := range flags {
		if on {
			x.push(NSStruct, flagHashes[i])
		}
	}
	vals := [...]struct {
		name string
		v    int
	}{
		{"code", bucket(st.codeLines, 4)}, {"msym", bucket(st.mathSyms, 3)}, {"arith", bucket(st.arith, 2)}, {"nums", bucket(int(x.stats.numbers), 4)},
		{"bullets", bucket(st.bullets, 3)}, {"digits", ratioBucket(x.stats.digits, letters)},
		{"turn", min(in.Turn, 3)}, {"wants", b2i(in.JSON)},
		{"lang", langIndex(x.lang)}, {"qty+q", b2i(st.question) * bucket(qty, 3)},
		{"qty+math", b2i(x.cues.all[cueMath] > 0) * bucket(qty, 3)},
	}
	for _, v := range vals {
		x.push(NSStruct, structHash(v.name, v.v))
	}
	x.shapeFeatures(in.Main)
	x.pushCues()
}

// flagNames names the flag features; flagHashes caches their hashes.
// "num+math" and "num+q" are conjunctions the linear model cannot form
// itself: numbers with math words, numbers with a question (word problems);
// "qty+q" and "qty+math" bucket how many quantities come with them (one
// number is a date or a count asked about; three are a word problem).
var flagNames = [...]string{"fence", "json", "q", "endq", "tools", "sys", "hist", "images", "num+math", "num+q"}

var flagHashes = func() (h [len(flagNames)]uint32) {
	for i, name := range flagNames {
		h[i] = structHash(name, 1)
	}
	return h
}()
