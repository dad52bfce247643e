package sanitize

import (
	"unicode"
	"unicode/utf8"
)

// LeakWords is how many consecutive words of the system prompt an answer
// must repeat to count as leaking it. Words are runs of letters and
// digits, compared without case, so Markdown, punctuation and line breaks
// do not hide a leak. A system prompt shorter than this is not watched.
const LeakWords = 12

// maxLeakWords bounds the system prompt words read.
const maxLeakWords = 4096

// shingles is the set of the system prompt's LeakWords-word runs, hashed.
type shingles map[uint64]struct{}

// newShingles returns the runs of system, or nil when it is too short.
func newShingles(system string) shingles {
	var w wordReader
	var ring [LeakWords]uint64
	n := 0
	var set shingles
	w.feed([]byte(system), true, func(h uint64, _, _ int) bool {
		ring[n%LeakWords] = h
		n++
		if n >= LeakWords {
			if set == nil {
				set = make(shingles, 64)
			}
			set[shingleHash(&ring, n)] = struct{}{}
		}
		return n < maxLeakWords
	})
	return set
}

// shingleHash combines the last LeakWords word hashes of ring, n words
// having been put in it.
func shingleHash(ring *[LeakWords]uint64, n int) uint64 {
	h := uint64(14695981039346656037)
	for k := n - LeakWords; k < n; k++ {
		h = (h ^ ring[k%LeakWords]) * 1099511628211
	}
	return h
}

// wordReader splits text given piece by piece into words (runs of
// letters and digits), hashing each lower-cased.
type wordReader struct {
	partial []byte // an incomplete UTF-8 sequence at the end of the last piece
	h       uint64 // the hash of the word being read
	in      bool   // a word is being read
	start   int    // where it started, as an offset of the stream
	off     int    // the stream offset of the next byte fed
}

// feed reads p; fn gets each word completed (its hash, and its start and
// end offsets in the stream) and returns whether to go on. With final,
// the word at the end of p is complete. It returns false when fn stopped
// it.
func (w *wordReader) feed(p []byte, final bool, fn func(h uint64, start, end int) bool) bool {
	if len(w.partial) > 0 {
		need := len(w.partial)
		w.partial = append(w.partial, p...)
		p, w.off = w.partial, w.off-need
		w.partial = nil
	}
	for i := 0; i < len(p); {
		r, size := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			if !utf8.FullRune(p[i:]) && !final {
				w.partial = append(w.partial[:0], p[i:]...)
				w.off += len(p)
				return true
			}
			r, size = utf8.DecodeRune(p[i:])
		}
		letter := r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') ||
			r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r))
		switch {
		case letter:
			if !w.in {
				w.in, w.h, w.start = true, 14695981039346656037, w.off+i
			}
			r = unicode.ToLower(r)
			for r > 0 {
				w.h = (w.h ^ uint64(r&0xff)) * 1099511628211
				r >>= 8
			}
		case w.in:
			w.in = false
			if !fn(w.h, w.start, w.off+i) {
				return false
			}
		}
		i += size
	}
	w.off += len(p)
	if final && w.in {
		w.in = false
		return fn(w.h, w.start, w.off)
	}
	return true
}

// leaker watches an answer for a run of LeakWords words of the system
// prompt. In cut mode it holds back the word being written, so that the
// answer can end before the word that completes a leak.
type leaker struct {
	set   shingles
	cut   bool
	words wordReader
	ring  [LeakWords]uint64
	n     int
	found bool
	// held is the text not yet passed on (cut mode): from the start of
	// the word being read; heldOff is its offset in the stream.
	held    []byte
	heldOff int
	out     []byte
}

// write takes the next piece of the answer and returns what may go to
// the client; after a leak in cut mode it returns the answer up to the
// word that completed the leak, and nothing after.
func (k *leaker) write(p []byte, final bool) []byte {
	if k.found && k.cut {
		return nil
	}
	k.out = k.out[:0]
	if !k.cut {
		k.out = append(k.out, p...)
		k.words.feed(p, final, k.word)
		return k.out
	}
	k.held = append(k.held, p...)
	cutAt := -1
	k.words.feed(p, final, func(h uint64, start, end int) bool {
		if k.word(h, start, end) {
			return true
		}
		cutAt = start
		return false
	})
	if cutAt >= 0 {
		k.out = append(k.out, k.held[:cutAt-k.heldOff]...)
		k.held = k.held[:0]
		return k.out
	}
	// Pass on everything before the word being read (and before an
	// incomplete character, which may start one).
	keep := len(k.held)
	switch {
	case final:
	case k.words.in:
		keep = k.words.start - k.heldOff
	default:
		keep -= len(k.words.partial)
	}
	k.out = append(k.out, k.held[:keep]...)
	k.held = append(k.held[:0], k.held[keep:]...)
	k.heldOff += keep
	return k.out
}

// word takes a completed word; it returns false when it completes a leak.
func (k *leaker) word(h uint64, _, _ int) bool {
	k.ring[k.n%LeakWords] = h
	k.n++
	if k.n < LeakWords {
		return true
	}
	if _, ok := k.set[shingleHash(&k.ring, k.n)]; ok {
		k.found = true
		return !k.cut
	}
	return true
}
