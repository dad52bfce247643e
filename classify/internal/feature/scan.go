package feature

import "unicode/utf8"

// Text scanning: words and byte n-grams are hashed on the fly over the
// original string. ASCII is case-folded and digits are mapped to '0' through
// the fold table; a few non-ASCII cases (Latin-1, Cyrillic) are folded per
// rune. No copy of the text is made.

// fold maps a byte to its normalized form: A-Z to a-z, every digit to '0',
// tab and CR to space. Bytes >= 0x80 are left alone.
var fold = func() (t [256]byte) {
	for i := range t {
		t[i] = byte(i)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = byte(c) + 'a' - 'A'
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = '0'
	}
	t['\t'], t['\r'] = ' ', ' '
	return t
}()

// Byte classes for word scanning.
const (
	clsSep   = iota // separator: space, punctuation, control
	clsWord         // ASCII letter, digit or underscore
	clsMulti        // first byte of a multi-byte rune: decode it
)

var byteClass = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = clsWord, clsWord
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = clsWord
	}
	t['_'] = clsWord
	for c := 0x80; c < 0x100; c++ {
		t[c] = clsMulti
	}
	return t
}()

// Rune kinds, for multi-byte runes.
const (
	runeSep    = iota // punctuation, symbols, spaces
	runeLetter        // letter of an alphabetic script: part of a word
	runeIdeo          // CJK ideograph, kana or Hangul: a token by itself
)

// Scripts counted for language detection.
const (
	scLatin = iota
	scHan
	scKana
	scHangul
	scCyrillic
	scArabic
	scOther
	numScripts
)

// runeInfo returns the rune's kind, its folded form and its script.
func runeInfo(r rune) (kind int, folded rune, script int) {
	switch {
	case r < 0x80:
		return runeLetter, r, scLatin // not reached: ASCII is handled by byteClass
	case r < 0xC0: // Latin-1 punctuation: NBSP, ¡, ¿, «, », ·, …
		return runeSep, r, scOther
	case r < 0x250: // Latin-1 letters and Latin Extended-A/B
		if r == 0xD7 || r == 0xF7 {
			return runeSep, r, scOther
		}
		if r < 0xDF && r != 0xD7 {
			r += 0x20
		}
		return runeLetter, r, scLatin
	case r >= 0x400 && r < 0x530: // Cyrillic
		if r < 0x410 {
			r += 0x50
		} else if r < 0x430 {
			r += 0x20
		}
		return runeLetter, r, scCyrillic
	case r >= 0x600 && r < 0x700: // Arabic
		if r == 0x60C || r == 0x61B || r == 0x61F || r == 0x6D4 {
			return runeSep, r, scOther
		}
		if r >= 0x660 && r <= 0x669 || r >= 0x6F0 && r <= 0x6F9 { // Arabic-Indic digits
			return runeLetter, '0', scOther
		}
		return runeLetter, r, scArabic
	case r >= 0x391 && r <= 0x3A9: // Greek capitals
		return runeLetter, r + 0x20, scOther
	case r >= 0xE00 && r < 0xF00, r >= 0x1000 && r < 0x10A0, r >= 0x1780 && r < 0x1800:
		// Thai, Lao, Myanmar, Khmer: written without spaces between words,
		// so, like CJK, every character is a token (bigrams span words).
		return runeIdeo, r, scOther
	case r < 0x2000:
		return runeLetter, r, scOther
	case r < 0x3000: // general punctuation, symbols, arrows, box drawing
		return runeSep, r, scOther
	case r < 0x3040: // CJK punctuation
		return runeSep, r, scOther
	case r < 0x3100:
		return runeIdeo, r, scKana
	case r >= 0x3400 && r < 0xA000, r >= 0xF900 && r < 0xFB00:
		return runeIdeo, r, scHan
	case r >= 0xAC00 && r < 0xD7B0:
		return runeIdeo, r, scHangul
	case r >= 0xFF10 && r < 0xFF5B: // full-width digits and letters
		return runeIdeo, r, scOther
	case r >= 0xFF00 && r < 0xFFF0: // full-width punctuation
		if r >= 0xFF66 && r < 0xFFA0 { // half-width katakana
			return runeIdeo, r, scKana
		}
		return runeSep, r, scOther
	}
	return runeLetter, r, scOther
}

// hashRune feeds a folded non-ASCII rune into a running word hash.
func hashRune(h uint32, r rune) uint32 {
	h = (h ^ (uint32(r) & 0xFF)) * fnvPrime
	h = (h ^ (uint32(r)>>8 | 0x80)) * fnvPrime
	if r >= 0x10000 {
		h = (h ^ (uint32(r) >> 16)) * fnvPrime
	}
	return h
}

// wordScanner walks the words of a text. A word is a maximal run of ASCII
// letters, digits, underscores and letters of alphabetic scripts; every CJK
// ideograph, kana or Hangul syllable is a token by itself.
type wordScanner struct {
	s      string
	i, end int
	stats  *textStats // script counts and diacritic votes; must not be nil
	// bag is the letter-bag key of the last word (see bagKey); zero when
	// the word is not bagWordMin or more ASCII letters only.
	bag uint32
}

// bagWordMin is the length from which a word of ASCII letters also has a
// letter-bag key: the sum of a random number per letter, the same whatever
// the letters' order. Two letters swapped, the commonest typo ("summraize"),
// keep the key, so a cue word is recognized misspelled (see cueKey).
const bagWordMin = 5

// letterBag holds the random number of each lowercase ASCII letter.
var letterBag = func() (t [256]uint32) {
	x := uint64(0x9E3779B97F4A7C15)
	for c := 'a'; c <= 'z'; c++ {
		x = x*6364136223846793005 + 1442695040888963407
		t[c] = uint32(x>>32) | 1
	}
	return t
}()

// next returns the hash (seeded with seed) of the next token, whether it is
// a single ideograph, and whether a token was found. It also feeds the
// scanner's stats with script counts and diacritics.
func (w *wordScanner) next(seed uint32) (h uint32, ideo, ok bool) {
	s, i, end := w.s, w.i, w.end
	st := w.stats
	for i < end {
		c := s[i]
		switch byteClass[c] {
		case clsSep:
			i++
			continue
		case clsMulti:
			r, size := utf8.DecodeRuneInString(s[i:end])
			kind, fr, sc := runeInfo(r)
			if kind == runeSep {
				i += size
				continue
			}
			if kind == runeIdeo {
				st.scripts[sc] += 3
				w.bag = 0
				w.i = i + size
				return hashRune(seed, fr), true, true
			}
		}
		// A word: letters of one or more alphabetic scripts. ASCII counts
		// are kept in locals, added to the stats once per word.
		h = seed
		var letters, digits, other int32
		var bag uint32
	word:
		for i < end {
			c := s[i]
			switch byteClass[c] {
			case clsWord:
				if c > '9' {
					letters++
				} else if c >= '0' {
					digits++
				}
				h = (h ^ uint32(fold[c])) * fnvPrime
				bag += letterBag[fold[c]]
				i++
			case clsMulti:
				r, size := utf8.DecodeRuneInString(s[i:end])
				kind, fr, sc := runeInfo(r)
				if kind != runeLetter {
					break word
				}
				if fr == '0' {
					digits++
				}
				other++
				st.scripts[sc]++
				if sc == scLatin {
					st.diacritic(fr)
				}
				h = hashRune(h, fr)
				i += size
			default:
				break word
			}
		}
		st.scripts[scLatin] += letters
		st.digits += digits
		if digits > 0 && letters == 0 {
			st.numbers++
		}
		w.bag = 0
		if letters >= bagWordMin && digits == 0 && other == 0 && bag != 0 {
			w.bag = bag
		}
		w.i = i
		return h, false, true
	}
	w.i = i
	return 0, false, false
}

// runeStart moves i back to the start of the rune containing s[i].
func runeStart(s string, i int) int {
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// runeEnd moves i forward to the start of the next rune boundary.
func runeEnd(s string, i int) int {
	for i < len(s) && !utf8.RuneStart(s[i]) {
		i++
	}
	return i
}
