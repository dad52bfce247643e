package quality

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// normalizeHeadByRunes is normalizeHead as it was written first, a rune
// at a time through a strings.Builder: the reference its byte-at-a-time
// ASCII path must match.
func normalizeHeadByRunes(text string) (string, script) {
	var scripts script
	var b strings.Builder
	b.Grow(min(len(text), headChars*2))
	n, ends := 0, 0
	space := true // drops leading spaces and collapses runs
	ended := false
	for _, r := range text {
		if n >= headChars || ends > 4 {
			break
		}
		n++
		if r < utf8.RuneSelf {
			r = foldASCII(r)
		} else {
			r = foldRune(r)
		}
		switch {
		case r < 0:
			continue
		case r == ' ':
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		case r == '\n':
			b.WriteByte('\n')
			space = true
		default:
			space = false
			scripts |= scriptOf(r)
			b.WriteRune(r)
		}
		if isSentenceEnd(r) {
			if !ended {
				ends++
			}
			ended = true
		} else if r != ' ' {
			ended = false
		}
	}
	return strings.TrimLeft(b.String(), " \n>-"), scripts
}

// TestNormalizeHeadMatchesRunes: the byte path normalizes exactly as the
// rune path, on every ASCII byte, mixed scripts, marks, long texts and
// invalid UTF-8.
func TestNormalizeHeadMatchesRunes(t *testing.T) {
	var all strings.Builder
	for c := range utf8.RuneSelf {
		all.WriteByte(byte(c))
	}
	texts := []string{"", all.String(), typicalProse, "  **I'm SORRY**, but I can\u2019t help.\r\n> No. Really!? Ok... fine", "抱歉，我无法提供。Нет! عذراً، لا أستطيع\u0640\u064b", "bad \xff\xfe utf8 \u2028 line", strings.Repeat("Ab. ", 300)}
	for _, s := range texts {
		got, gs := normalizeHead(s)
		want, ws := normalizeHeadByRunes(s)
		if got != want || gs != ws {
			t.Errorf("normalizeHead(%.40q) = %q, %b; want %q, %b", s, got, gs, want, ws)
		}
	}
}

func FuzzNormalizeHead(f *testing.F) {
	for _, s := range []string{"I'm sorry, but I can't.", "Lo siento.\nNo puedo", "a  b\t\tc", "\xff#*_`x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, gs := normalizeHead(s)
		want, ws := normalizeHeadByRunes(s)
		if got != want || gs != ws {
			t.Fatalf("normalizeHead(%q) = %q, %b; want %q, %b", s, got, gs, want, ws)
		}
	})
}
