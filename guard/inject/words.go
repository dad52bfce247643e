package inject

import (
	"encoding/binary"
	"unicode/utf8"
)

// This file holds what is done to whole words: look-alike letters
// folded, leetspeak undone, hashing, spaced letters joined.

// foldConfusables writes b with every look-alike Cyrillic or Greek letter
// replaced by the Latin one into dst.
func foldConfusables(b, dst []byte) []byte {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		i += size
		if c, ok := confusable[r]; ok {
			dst = append(dst, c)
			continue
		}
		dst = utf8.AppendRune(dst, r)
	}
	return dst
}

// deleet undoes leetspeak in b into dst: 0→o 1→i 3→e 4→a 5→s 7→t 8→b
// @→a $→s |→l !→i. It returns nil when b has other non-letters.
func deleet(b, dst []byte) []byte {
	for _, c := range b {
		switch c {
		case '0':
			c = 'o'
		case '1', '!':
			c = 'i'
		case '3':
			c = 'e'
		case '4', '@':
			c = 'a'
		case '5', '$':
			c = 's'
		case '7':
			c = 't'
		case '8':
			c = 'b'
		case '|':
			c = 'l'
		default:
			if c < 'a' || c > 'z' {
				return nil
			}
		}
		dst = append(dst, c)
	}
	return dst
}

// hashBytes hashes a word eight bytes at a time (each load mixed by the
// SplitMix64 finalizer, the length folded in): words are short, and this
// costs a multiply per eight bytes where FNV costs one per byte.
func hashBytes(b []byte) uint64 {
	h := uint64(len(b)) * 0x9E3779B97F4A7C15
	for len(b) >= 8 {
		h = mix(h ^ binary.LittleEndian.Uint64(b))
		b = b[8:]
	}
	var tail uint64
	if n := len(b); n > 0 && cap(b) >= 8 {
		// The scratch buffer has room past the word: one load, masked.
		tail = binary.LittleEndian.Uint64(b[:8]) & (1<<(8*n) - 1)
	} else {
		for i, c := range b {
			tail |= uint64(c) << (8 * i)
		}
	}
	return mix(h ^ tail)
}

func isHexByte(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' }

// joinSpaced joins runs of four or more one-letter words ("i g n o r e",
// "i.g.n.o.r.e") into one word, looked up again in the lexicon.
func joinSpaced(sc *scratch, from int) {
	ws := sc.words
	out := from
	for i := from; i < len(ws); {
		j := i
		for j < len(ws) && ws[j].end-ws[j].start == 1 && ws[j].flags&fCJK == 0 && isASCIILetter(sc.norm[ws[j].start]) {
			j++
		}
		if j-i < 4 {
			if j == i {
				j = i + 1
			}
			out += copy(ws[out:], ws[i:j])
			i = j
			continue
		}
		w := ws[i]
		for k := i + 1; k < j; k++ {
			sc.norm[int(w.start)+k-i] = sc.norm[ws[k].start]
		}
		w.end = w.start + int32(j-i)
		b := sc.norm[w.start:w.end]
		w.h = hashBytes(b)
		if e, ok := lookup(w.h, b); ok {
			w.cls, w.form = e.cls, e.form
			w.flags |= fSpaced
		}
		ws[out] = w
		out++
		i = j
	}
	sc.words = ws[:out]
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' }
