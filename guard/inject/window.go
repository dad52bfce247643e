package inject

// A segment is scored window by window — 32 words, every 16 words, so any
// span of 16 words lies whole in one window — and its score is its best
// window's: an injected sentence in a long document is not averaged away.

const (
	windowWords  = 32
	windowStride = 16
)

// eachWindow calls fn with the bounds [a, b) of each window of the
// segment's words (one empty window for a segment without words).
func (sc *scratch) eachWindow(fn func(a, b int)) {
	n := len(sc.words)
	for a := 0; ; a += windowStride {
		if b := a + windowWords; b < n {
			fn(a, b)
			continue
		}
		fn(a, n)
		return
	}
}

// windowCounts sets x to the feature values of the window [a, b): the
// segment's values plus the events in it, each capped.
func (sc *scratch) windowCounts(a, b int, vals, x *[numFeatures]float32) {
	*x = *vals
	es := sc.events
	lo, hi := 0, len(es)
	for lo < hi { // the first event at or after a
		mid := (lo + hi) / 2
		if es[mid].pos < int32(a) {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	for k := lo; k < len(es) && es[k].pos < int32(b); k++ {
		x[es[k].f]++
	}
	for f := range x {
		x[f] = min(x[f], features[f].cap)
	}
}

// Salts of the bucket key kinds.
const (
	saltWord      = 0x243F6A8885A308D3
	saltPair      = 0x13198A2E03707344
	saltClass     = 0xA4093822299F31D0
	saltClassPair = 0x082EFA98EC4E6C89
	saltData      = 0x452821E638D01377
)

// mix is the SplitMix64 finalizer.
func mix(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xBF58476D1CE4E5B9
	x ^= x >> 27
	x *= 0x94D049BB133111EB
	x ^= x >> 31
	return x
}

// classPairSpan is how far back a word's class n-gram looks for the
// previous word with a class.
const classPairSpan = 3

// keys appends the bucket keys of word i (rawKeys; in data, each again
// in the data channel's own buckets) to dst. With tag, each key carries
// its kind in its top bits (KeyKind), for the trainer.
func (sc *scratch) keys(i int, ch channel, bits uint8, dst []uint32, tag bool) []uint32 {
	k, kind, n := sc.rawKeys(i)
	shift := 64 - bits
	for j, x := range k[:n] {
		var t uint32
		if tag {
			t = kind[j] << kindShift
		}
		dst = append(dst, uint32(mix(x)>>shift)|t)
		if ch == chData {
			dst = append(dst, uint32(mix(x^saltData)>>shift)|t)
		}
	}
	return dst
}

// rawKeys returns the keys of word i before hashing into buckets: its
// word unless a function word, the pair it ends, its class and the class
// pair it ends; and their kinds.
func (sc *scratch) rawKeys(i int) (k [4]uint64, kind [4]uint32, n int) {
	ws := sc.words
	w := &ws[i]
	if w.cls&(cMeta|cYou|cQuestion) == 0 {
		// Function words say nothing alone (and the public attack sets
		// say "you" far more than the benign sets do, which a learned
		// weight would take for a signal); their pairs still count.
		k[n], kind[n] = w.h^saltWord, KindWord
		n++
	}
	if i > 0 && w.flags&fDecoded == ws[i-1].flags&fDecoded {
		k[n], kind[n] = ws[i-1].h*31^w.h^saltPair, KindPair
		n++
	}
	// Classes that only patterns use (articles, the literal words some
	// patterns name) are no class to learn.
	if c := w.cls &^ (cMeta | cLiteral); c != 0 {
		k[n], kind[n] = uint64(c)^saltClass, KindClass
		n++
		for j := i - 1; j >= 0 && j >= i-classPairSpan; j-- {
			if pc := ws[j].cls &^ (cMeta | cLiteral); pc != 0 {
				k[n], kind[n] = (uint64(pc)<<32|uint64(c))^saltClassPair, KindClassPair
				n++
				break
			}
			if ws[j].flags&fSentStart != 0 {
				break
			}
		}
	}
	return k, kind, n
}

// The kinds of bucket keys: a word, a pair of words, a word's class, a
// pair of classes. Windows gives each key's kind in its top bits (key >>
// KindShift); the bucket is key & KeyMask.
const (
	KindWord = iota
	KindPair
	KindClass
	KindClassPair
	kindShift = 30
	// KindShift is where Windows puts a key's kind.
	KindShift = kindShift
	// KeyMask masks a tagged key's kind off.
	KeyMask = 1<<kindShift - 1
)

// prefixSums fills sc.contrib with the running sum of the words' bucket
// weights, so a window's sum is contrib[b] - contrib[a].
func (sc *scratch) prefixSums(m *Model, ch channel) {
	ws := sc.words
	if cap(sc.contrib) < len(ws)+1 {
		sc.contrib = make([]float32, 0, len(ws)+1)
	}
	sc.contrib = sc.contrib[:len(ws)+1]
	sc.contrib[0] = 0
	// The keys are rawKeys', written out: this loop is a third of a
	// scan. FuzzScan checks that the windows the trainer sees (through
	// rawKeys) score as Scan scores them.
	bk := buckets{hashed: m.hashed, shift: 64 - m.bits, data: ch == chData}
	acc := float32(0)
	for i := range ws {
		w := &ws[i]
		sum := int32(0)
		if w.cls&(cMeta|cYou|cQuestion) == 0 {
			sum += bk.weight(w.h ^ saltWord)
		}
		if i > 0 && w.flags&fDecoded == ws[i-1].flags&fDecoded {
			sum += bk.weight(ws[i-1].h*31 ^ w.h ^ saltPair)
		}
		if c := w.cls &^ (cMeta | cLiteral); c != 0 {
			sum += bk.weight(uint64(c) ^ saltClass)
			for j := i - 1; j >= 0 && j >= i-classPairSpan; j-- {
				if pc := ws[j].cls &^ (cMeta | cLiteral); pc != 0 {
					sum += bk.weight((uint64(pc)<<32 | uint64(c)) ^ saltClassPair)
					break
				}
				if ws[j].flags&fSentStart != 0 {
					break
				}
			}
		}
		acc += float32(sum) * m.scale
		sc.contrib[i+1] = acc
	}
}

// buckets reads a model's bucket weights for a channel.
type buckets struct {
	hashed []int8
	shift  uint8
	data   bool
}

// weight returns the weight of raw key x (both buckets in data).
func (bk buckets) weight(x uint64) int32 {
	v := int32(bk.hashed[mix(x)>>bk.shift])
	if bk.data {
		v += int32(bk.hashed[mix(x^saltData)>>bk.shift])
	}
	return v
}
