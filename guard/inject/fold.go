package inject

import "unicode"

// This file folds runes to what a reader sees: accented letters to their
// base letter, "fancy" letters (fullwidth, mathematical, circled) to ASCII,
// and look-alike Cyrillic and Greek letters to Latin ones when they sit in
// a word with Latin letters (a homoglyph attack: "іgnоrе" with Cyrillic і,
// о and е). Invisible characters are dropped and counted.

// latinBase maps U+00C0..U+024F to a base letter ('.' for none).
const latinBase = "aaaaaaaceeeeiiiidnooooo.ouuuuytsaaaaaaaceeeeiiiidnooooo.ouuuuyty" +
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii..jjkk.llllll." +
	".llnnnnnn.nnoooooooorrrrrrsssssssstttt..uuuuuuuuuuuuwwyyyzzzzzzs" +
	"b.................f.............oo.............uu..............." +
	".............aaiioouuuuuuuuuu.aaaa....ggkkoooo..j...gg..nnaa...." +
	"aaaaeeeeiiiioooorrrruuuusstt..hh......aaeeooooooooyy............" +
	"................"

// runeKind says what folding did to a rune.
type runeKind uint8

const (
	kLetter    runeKind = iota // a letter or digit, kept or folded to its base
	kFancy                     // a fullwidth, mathematical or enclosed letter folded to ASCII
	kConfuse                   // a Cyrillic or Greek letter that looks Latin (folded only in mixed words)
	kCJK                       // a Han, kana or Hangul character: a word of its own
	kInvisible                 // zero-width, bidi control, variation selector: dropped
	kTag                       // a Unicode tag character: hidden ASCII
	kMark                      // a combining mark: dropped
	kOther                     // anything else: a separator
)

// confusable maps lower-case Cyrillic and Greek letters to the Latin letter
// they look like.
var confusable = map[rune]byte{
	'а': 'a', 'в': 'b', 'е': 'e', 'ё': 'e', 'к': 'k', 'м': 'm', 'н': 'h', 'о': 'o', 'р': 'p', 'с': 'c', 'т': 't',
	'у': 'y', 'х': 'x', 'і': 'i', 'ї': 'i', 'ј': 'j', 'ѕ': 's', 'ԁ': 'd', 'ԛ': 'q', 'ԝ': 'w', 'ӏ': 'l', 'ү': 'y',
	'һ': 'h', 'ɡ': 'g', 'ɑ': 'a', 'ı': 'i',
	'α': 'a', 'β': 'b', 'ε': 'e', 'ι': 'i', 'κ': 'k', 'ν': 'v', 'ο': 'o', 'ρ': 'p', 'τ': 't', 'υ': 'u', 'χ': 'x',
	'ζ': 'z', 'η': 'n', 'μ': 'u',
}

// fold returns the folded rune and its kind. Letters come back lower case.
func fold(r rune) (rune, runeKind) {
	switch {
	case r < 0x80:
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 32, kLetter
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			return r, kLetter
		}
		return r, kOther
	case r >= 0xC0 && r < 0x250:
		if b := latinBase[r-0xC0]; b != '.' {
			return rune(b), kLetter
		}
	case r >= 0x300 && r <= 0x36F:
		return r, kMark
	case isInvisible(r):
		return r, kInvisible
	case r >= 0xE0000 && r <= 0xE007F:
		return r, kTag
	case r >= 0xFF01 && r <= 0xFF5E:
		c, _ := fold(r - 0xFEE0)
		return c, kFancy
	case r >= 0x1D400 && r <= 0x1D6A3:
		if i := (r - 0x1D400) % 52; i >= 26 {
			return 'a' + i - 26, kFancy
		} else {
			return 'a' + i, kFancy
		}
	case r >= 0x1D7CE && r <= 0x1D7FF:
		return '0' + (r-0x1D7CE)%10, kFancy
	case r >= 0x24B6 && r <= 0x24CF:
		return 'a' + r - 0x24B6, kFancy
	case r >= 0x24D0 && r <= 0x24E9:
		return 'a' + r - 0x24D0, kFancy
	case r >= 0x1F130 && r <= 0x1F149:
		return 'a' + r - 0x1F130, kFancy
	case r >= 0x1F150 && r <= 0x1F169:
		return 'a' + r - 0x1F150, kFancy
	case r >= 0x1F170 && r <= 0x1F189:
		return 'a' + r - 0x1F170, kFancy
	case isCJK(r):
		return r, kCJK
	}
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		l := unicode.ToLower(r)
		if _, ok := confusable[l]; ok {
			return l, kConfuse
		}
		return l, kLetter
	}
	if unicode.In(r, unicode.Mn, unicode.Mc) {
		// Combining marks, and the vowel signs of Indic scripts: dropped,
		// in the text and the lexicon alike.
		return r, kMark
	}
	return r, kOther
}

// isInvisible reports the characters that render as nothing: zero-width
// spaces and joiners, bidi controls, word joiners, the BOM, soft hyphens,
// Hangul fillers and variation selectors (which can smuggle bytes after an
// emoji).
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2069,
		r >= 0xFE00 && r <= 0xFE0F, r >= 0xE0100 && r <= 0xE01EF:
		return true
	}
	switch r {
	case 0xFEFF, 0x00AD, 0x034F, 0x180E, 0x115F, 0x1160, 0x3164, 0xFFA0:
		return true
	}
	return false
}

// isCJK reports Han, Hiragana, Katakana and Hangul characters, which are
// words of their own (these scripts put no spaces between words).
func isCJK(r rune) bool {
	return r >= 0x3040 && r <= 0x30FF || r >= 0x3400 && r <= 0x4DBF || r >= 0x4E00 && r <= 0x9FFF ||
		r >= 0xAC00 && r <= 0xD7AF || r >= 0xF900 && r <= 0xFAFF
}
