package quality

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// IsRefusal reports whether text opens with a refusal: one of its first
// two sentences (within its first 400 characters) starts with a
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
// IsRefusal is safe for concurrent use.
func IsRefusal(text string) bool {
	if text == "" {
		return false
	}
	head, scripts := normalizeHead(text)
	for i := 0; i < 2 && head != ""; i++ {
		var sentence string
		sentence, head = nextSentence(head)
		if refusalSentence(sentence, scripts) {
			return true
		}
	}
	return false
}

// headChars bounds how much of an answer is read for a refusal.
const headChars = 400

// refusalSentence reports whether one normalized sentence opens with a
// refusal in one of the languages whose script the text has.
func refusalSentence(s string, scripts script) bool {
	for i := range languages {
		l := &languages[i]
		if scripts&l.script == 0 || !containsAny(s, l.needs) {
			continue
		}
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
	// script is the writing system the language's refusals are in: text
	// without it is not matched against the patterns (most of the cost of
	// IsRefusal).
	script script
	// needs are words one of which every refusal of the language has (its
	// negations): a sentence with none is not matched against the patterns.
	needs []string
	// refusal matches a refusal at the start of a sentence.
	refusal *regexp.Regexp
	// except matches sentences that look like a refusal but are not ("I
	// can't help but…"); nil for none.
	except *regexp.Regexp
	// cancel matches, in the rest of the sentence after the refusal, a
	// turn to helping after all ("…, but here is"); nil for none.
	cancel *regexp.Regexp
}

func containsAny(s string, subs []string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}

// nextSentence splits the first sentence off s: up to a sentence end
// (. ! ? and their CJK and Arabic forms, or a line break), which it drops.
func nextSentence(s string) (sentence, rest string) {
	for i, r := range s {
		if !isSentenceEnd(r) {
			continue
		}
		// A period inside a word ("e.g", "3.5") does not end it.
		if r == '.' && i+1 < len(s) && s[i+1] != ' ' && s[i+1] != '\n' {
			continue
		}
		return strings.TrimSpace(s[:i]), strings.TrimLeft(s[i+utf8.RuneLen(r):], " \n.!?。！？؟")
	}
	return strings.TrimSpace(s), ""
}

// script is a set of writing systems.
type script uint8

// The scripts of the refusal languages.
const (
	scriptLatin script = 1 << iota
	scriptCyrillic
	scriptArabic
	scriptHan
	scriptKana
)

// scriptOf returns the script of a letter (lower case), 0 for others.
func scriptOf(r rune) script {
	switch {
	case r >= 'a' && r <= 'z', r >= 0xC0 && r <= 0x24F:
		return scriptLatin
	case r >= 0x400 && r <= 0x4FF:
		return scriptCyrillic
	case r >= 0x600 && r <= 0x6FF:
		return scriptArabic
	case r >= 0x3040 && r <= 0x30FF:
		return scriptKana
	case r >= 0x4E00 && r <= 0x9FFF:
		return scriptHan
	}
	return 0
}

// normalizeHead returns the start of text (at most headChars characters,
// and no further than the fourth sentence end), lowered, with typographic
// apostrophes and quotes made plain, Markdown emphasis and heading marks
// dropped, runs of spaces and tabs made one space, and Arabic folded
// (diacritics and tatweel dropped, alef, yeh and teh marbuta forms
// unified), so that the patterns need one spelling of each phrase; and the
// scripts its letters are in.
func normalizeHead(text string) (string, script) {
	var scripts script
	var b strings.Builder
	b.Grow(min(len(text), headChars*2))
	n, ends := 0, 0
	space := true // drops leading spaces and collapses runs
	ended := false
	for i := 0; i < len(text) && n < headChars && ends <= 4; n++ {
		var r rune
		if c := text[i]; c < utf8.RuneSelf {
			i++
			if f := asciiFolded[c]; f.plain { // the common case, a byte at a time
				b.WriteByte(f.b)
				scripts |= f.script
				space, ended = false, false
				continue
			}
			r = foldASCII(rune(c))
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(text[i:])
			i += size
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

// asciiFolded[c] tells normalizeHead how ASCII c folds when it is plain:
// a byte written as b (lower case), with the script it is in, that is no
// space, line break, sentence end or dropped mark.
var asciiFolded = func() (t [utf8.RuneSelf]struct {
	plain  bool
	b      byte
	script script
},
) {
	for c := range rune(utf8.RuneSelf) {
		f := foldASCII(c)
		if f < 0 || f == ' ' || f == '\n' || isSentenceEnd(f) {
			continue
		}
		t[c].plain, t[c].b, t[c].script = true, byte(f), scriptOf(f)
	}
	return t
}()

// foldASCII maps an ASCII r to the form the patterns use: lower case, any
// space as ' ', a carriage return as '\n'; -1 drops it (Markdown marks,
// control characters).
func foldASCII(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r == '*' || r == '_' || r == '#' || r == '`':
		return -1
	case r == '\n' || r == '\r':
		return '\n'
	case r == ' ' || r == '\t' || r == '\v' || r == '\f':
		return ' '
	case r < ' ' || r == 0x7f:
		return -1
	}
	return r
}

func isSentenceEnd(r rune) bool {
	switch r {
	case '.', '!', '?', '\n', '。', '！', '？', '؟':
		return true
	}
	return false
}

// foldRune maps a non-ASCII r to the form the patterns use; -1 drops it.
func foldRune(r rune) rune {
	switch r {
	case '\u2019', '\u2018', '\u02bc', '\u00b4', '\uff07':
		return '\''
	case '\u201c', '\u201d', '\u00ab', '\u00bb', '\u201e':
		return '"'
	case '\u0623', '\u0625', '\u0622', '\u0671': // أ إ آ ٱ
		return '\u0627' // ا
	case '\u0649': // ى
		return '\u064a' // ي
	case '\u0629': // ة
		return '\u0647' // ه
	case '\u0640': // tatweel
		return -1
	case '\u2028', '\u2029':
		return '\n'
	}
	if r >= '\u064b' && r <= '\u065f' || r == '\u0670' { // Arabic diacritics
		return -1
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return unicode.ToLower(r)
}
