package train

import (
	"strings"
	"unicode/utf8"
)

// Typo and casing augmentation: a share of the examples get a perturbed
// copy — a change of case (all lower, all upper, or the first letter
// lowered) and one or two adjacent letters swapped in long words of the
// first line. Word features of a misspelled word are new and rare, so the
// copies teach the model to lean on the character n-grams it shares with
// the right spelling. Deterministic: what is perturbed depends only on a
// hash of the text.

// augment returns the examples followed by the perturbed copies of those
// picked by text hash (share of them, in [0, 1]).
func augment(ex []Example, share float64) []Example {
	if share <= 0 {
		return ex
	}
	out := ex
	for _, e := range ex {
		h := textHash(e.Text)
		if float64(h%1000) >= share*1000 {
			continue
		}
		c := e
		c.Text = perturb(e.Text, h)
		if c.Text != e.Text {
			out = append(out, c)
		}
	}
	return out
}

// perturb returns text with its case changed and letters swapped, as h
// decides.
func perturb(text string, h uint64) string {
	switch h >> 10 % 4 {
	case 0:
		text = strings.ToLower(text)
	case 1:
		text = strings.ToUpper(text)
	case 2:
		if r, n := utf8.DecodeRuneInString(text); n > 0 {
			text = strings.ToLower(string(r)) + text[n:]
		}
	}
	first := text
	if i := strings.IndexByte(text, '\n'); i >= 0 {
		first = text[:i]
	}
	words := strings.Fields(first)
	swaps := 1 + int(h>>12%2)
	b := []byte(text)
	for k := 0; k < swaps && len(words) > 0; k++ {
		w := words[int(h>>(14+8*k))%len(words)]
		start := strings.Index(first, w)
		if len(w) < 5 || start < 0 || !isASCIIWord(w) {
			continue
		}
		m := start + 1 + int(h>>(18+8*k))%(len(w)-3)
		b[m], b[m+1] = b[m+1], b[m]
	}
	return string(b)
}

// isASCIIWord reports whether w is ASCII letters only.
func isASCIIWord(w string) bool {
	for i := 0; i < len(w); i++ {
		if c := w[i] | 0x20; c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}
