package quality

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsRefusal reports whether text opens with a refusal: one of its first
// two sentences (within its first headChars characters) starts with a
// refusal in English, Spanish, French, German, Portuguese, Chinese,
// Japanese, Russian or Arabic ("I can't help with that", "Lo siento, pero
// no puedo ayudarte con eso", "抱歉，我无法提供…"), optionally after an
// apology or a softener ("I'm sorry, but", "While I understand…,").
//
// The patterns favour precision: a refusal must pair a negated ability or
// will with an act of helping (help, provide, write, comply, …), so "I
// can't stress enough…", "I can't help but…" and "Sorry for the delay,
// here is…" are not refusals; nor is a partial refusal that goes on, in
// the same sentence, to help ("I can't give medical advice, but here
// are…"). Refusals phrased otherwise, or placed later in the answer, are
// missed. docs/quality.md gives the measured precision and recall.
func IsRefusal(text string) bool {
	if text == "" {
		return false
	}
	head := normalizeHead(text)
	for i := 0; i < 2 && head != ""; i++ {
		var sentence string
		sentence, head = nextSentence(head)
		if refusalSentence(sentence) {
			return true
		}
	}
	return false
}

// headChars bounds how much of an answer is read for a refusal.
const headChars = 400

// refusalSentence reports whether one normalized sentence opens with a
// refusal in one of the languages.
func refusalSentence(s string) bool {
	for i := range languages {
		l := &languages[i]
		m := l.refusal.FindStringIndex(s)
		if m == nil {
			continue
		}
		if l.except != nil && l.except.MatchString(s) {
			continue
		}
		if l.cancel != nil && l.cancel.MatchString(s[m[1]:]) {
			continue
		}
		return true
	}
	return false
}

// refusalLanguage holds one language's patterns, all over normalized text.
type refusalLanguage struct {
	code string
	// refusal matches a refusal at the start of a sentence.
	refusal *regexp.Regexp
	// except matches sentences that look like a refusal but are not ("I
	// can't help but…"); nil for none.
	except *regexp.Regexp
	// cancel matches, in the rest of the sentence after the refusal, a
	// turn to helping after all ("…, but here is"); nil for none.
	cancel *regexp.Regexp
}

// nextSentence splits the first sentence off s: up to a sentence end
// (. ! ? and their CJK and Arabic forms, or a line break), which it drops.
func nextSentence(s string) (sentence, rest string) {
	for i, r := range s {
		switch r {
		case '.', '!', '?', '\n', '。', '！', '？', '؟':
			// A period inside a word ("e.g", "3.5") does not end it.
			if r == '.' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
				continue
			}
			return strings.TrimSpace(s[:i]), strings.TrimLeft(s[i+utf8.RuneLen(r):], " \n.!?。！？؟")
		}
	}
	return strings.TrimSpace(s), ""
}

// normalizeHead returns the first headChars characters of text, lowered,
// with typographic apostrophes and quotes made plain, Markdown emphasis and
// heading marks dropped, runs of spaces and tabs made one space, and Arabic
// folded (diacritics and tatweel dropped, alef, yeh and teh marbuta forms
// unified), so that the patterns need one spelling of each phrase.
func normalizeHead(text string) string {
	var b strings.Builder
	b.Grow(min(len(text), headChars*2))
	n := 0
	space := true // drops leading spaces and collapses runs
	for _, r := range text {
		if n >= headChars {
			break
		}
		n++
		r = foldRune(r)
		switch {
		case r == 0 || r == '*' || r == '_' || r == '#' || r == '`':
			continue
		case r == '\n':
			b.WriteByte('\n')
			space = true
			continue
		case unicode.IsSpace(r):
			if !space {
				b.WriteByte(' ')
			}
			space = true
			continue
		}
		space = false
		b.WriteRune(r)
	}
	return strings.TrimLeft(b.String(), " \n>-")
}

// foldRune maps r to the form the patterns use; 0 means drop it.
func foldRune(r rune) rune {
	switch r {
	case '\u2019', '\u2018', '\u02bc', '\u00b4', '\uff07':
		return '\''
	case '\u201c', '\u201d', '\u00ab', '\u00bb', '\u201e':
		return '"'
	case '\u00a0', '\u202f', '\u3000':
		return ' '
	case '\r':
		return '\n'
	case '\u0623', '\u0625', '\u0622', '\u0671': // أ إ آ ٱ
		return '\u0627' // ا
	case '\u0649': // ى
		return '\u064a' // ي
	case '\u0629': // ة
		return '\u0647' // ه
	case '\u0640': // tatweel
		return 0
	}
	if r >= '\u064b' && r <= '\u065f' || r == '\u0670' { // Arabic diacritics
		return 0
	}
	return unicode.ToLower(r)
}
