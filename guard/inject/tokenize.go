package inject

import (
	"unicode/utf8"
)

// wflag describes a word's surroundings and how it was written.
type wflag uint16

const (
	fSentStart wflag = 1 << iota // first word of a sentence, line or text
	fLineStart                   // first word of a line
	fQuestion                    // its sentence ends with '?'
	fColon                       // a ':' follows it
	fTagOpen                     // '<', '[', '{', '|' or '#' is right before it
	fHomoglyph                   // look-alike letters of another script were folded in it
	fLeet                        // found in the lexicon only after undoing leetspeak
	fSpaced                      // joined from letters written apart ("i g n o r e")
	fInvisible                   // an invisible character sat inside it
	fFancy                       // written in fullwidth, mathematical or enclosed letters
	fCJK                         // a Chinese, Japanese or Korean character
	fDecoded                     // comes from a decoded payload (base64, hex, %-escapes, tags)
	fUpper                       // written in capitals, three letters or more ("DAN")
	fQuoted                      // inside quotation marks: mentioned, not said
	fComma                       // a ',' follows it
)

// fObfuscated are the flags that say a word was disguised.
const fObfuscated = fHomoglyph | fLeet | fSpaced | fInvisible | fFancy

// word is one word of a segment, folded into the scratch buffer.
type word struct {
	start, end int32 // its bytes in scratch.norm
	h          uint64
	cls        class
	form       form
	mark       mark
	flags      wflag
}

// maxWordLen bounds a word: longer runs (base64, hashes) are cut into
// pieces of this size.
const maxWordLen = 48

// tokenizer splits text into folded words.
type tokenizer struct {
	sc *scratch
	// the word being built
	inWord                                    bool
	start                                     int
	latin, confuse, fancy, invisible, hasLeet bool
	letters, digits, upper                    int
	run, maxRun                               int  // runs of base64 characters
	pairs, maxPairs                           int  // runs of two-digit hex words
	escapes                                   bool // a '%' or '\\' was seen
	prevLower                                 bool
	pendingSent, pendingLine, pendingTag      bool
	quote                                     rune // the open quotation mark, if any
	quoteFrom                                 int  // the first word inside it
	decoded                                   bool
	segInvisible, segTags, segFancy, segMarks int
	// counts that make a cipher worth trying (ciphers.go)
	prevMark            bool // the last byte was '.' or '-' outside a word
	morsePairs          int  // ".." ".-" "-." "--" outside words
	binary, maxBinary   int  // runs of eight-digit binary words
	pig                 int  // words ending in "ay"
	singles, maxSingles int  // runs of one-letter words ("i g n o r e")
	encodeWord          bool // a word of class cEncode ("rot13", "caesar")
}

// tokenize appends the words of text to sc.words (their bytes to
// sc.norm). Tag characters are collected in sc.hidden. decoded marks the
// words as coming from a decoded payload.
func (t *tokenizer) tokenize(text string, decoded bool) {
	t.decoded = decoded
	t.pendingSent, t.pendingLine = true, true
	for i := 0; i < len(text); {
		c := text[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			t.run = 0
			t.rune(r, text, i)
			continue
		}
		i++
		if b64Class[c] != 0 { // the longest run that could be base64 or hex
			if t.run++; t.run > t.maxRun {
				t.maxRun = t.run
			}
		} else {
			t.run = 0
		}
		if a := asciiTab[c]; a != 0 {
			if a == aLower { // the common case: a run of lower-case letters
				j := i
				for j < len(text) && asciiTab[text[j]] == aLower {
					j++
				}
				if t.letters+t.digits+j-i+1 <= maxWordLen {
					t.startWord()
					t.lowerRun(text[i-1 : j])
					i = j
					continue
				}
			}
			t.ascii(c, a)
			continue
		}
		if c == ' ' { // the common separator: the end of a word
			t.endWord()
			continue
		}
		if c == '%' || c == '\\' {
			t.escapes = true
		}
		t.separator(rune(c), text, i)
	}
	t.endWord()
	t.endQuote(false)
}

// asciiTab classes the ASCII letters and digits, for the fast path.
const (
	aLower = 1 << iota
	aUpper
	aDigit
)

var asciiTab = func() (t [256]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = aLower, aUpper
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = aDigit
	}
	return t
}()

// ascii adds an ASCII letter or digit to the word being built.
func (t *tokenizer) ascii(c, a byte) {
	if t.inWord && (a == aUpper && t.prevLower || t.letters+t.digits >= maxWordLen) {
		t.endWord() // camelCase: "systemPrompt" is two words
	}
	t.startWord()
	switch a {
	case aUpper:
		c += 'a' - 'A'
		t.upper++
		t.letters++
	case aLower:
		t.letters++
	default:
		t.digits++
	}
	t.latin = t.latin || a != aDigit
	t.prevLower = a == aLower
	t.sc.norm = append(t.sc.norm, c)
}

// lowerRun adds lower-case ASCII letters to the word being built (which
// they do not make too long).
func (t *tokenizer) lowerRun(run string) {
	t.sc.norm = append(t.sc.norm, run...)
	t.letters += len(run)
	t.latin, t.prevLower = true, true
	if t.run += len(run) - 1; t.run > t.maxRun {
		t.maxRun = t.run
	}
}

// appendRune adds a folded rune's bytes to the word.
func (t *tokenizer) appendRune(f rune) {
	t.sc.norm = utf8.AppendRune(t.sc.norm, f)
}

// rune handles one rune; next is the offset of the rune after it.
func (t *tokenizer) rune(r rune, text string, next int) {
	f, k := fold(r)
	switch k {
	case kLetter, kFancy, kConfuse:
		upper := r >= 'A' && r <= 'Z'
		if t.inWord && (upper && t.prevLower || t.letters+t.digits >= maxWordLen) {
			t.endWord() // camelCase: "systemPrompt" is two words
		}
		t.startWord()
		t.appendRune(f)
		t.prevLower = r >= 'a' && r <= 'z'
		if upper {
			t.upper++
		}
		switch {
		case f >= '0' && f <= '9':
			t.digits++
		default:
			t.letters++
		}
		t.latin = t.latin || f < 0x80 && f >= 'a'
		t.confuse = t.confuse || k == kConfuse
		if k == kFancy {
			t.fancy = true
			t.segFancy++
		}
	case kCJK:
		t.endWord()
		t.startWord()
		t.appendRune(f)
		t.letters++
		t.endWordWith(fCJK)
	case kInvisible:
		t.segInvisible++
		if t.inWord {
			t.invisible = true
		}
	case kTag:
		t.segTags++
		if c := r - 0xE0000; c >= 0x20 && c < 0x7F {
			t.sc.hidden = append(t.sc.hidden, byte(c))
		}
	case kMark:
		t.segMarks++
	default:
		t.separator(r, text, next)
	}
}

// separator handles a rune that is not part of a word (except the
// apostrophes and leetspeak symbols found inside one).
func (t *tokenizer) separator(r rune, text string, next int) {
	if t.inWord {
		switch r {
		case '\'', '’', 'ʼ':
			if letterAt(text, next) {
				return // "don't" reads "dont"
			}
		case '@', '$', '|', '!', '€':
			if letterAt(text, next) {
				t.sc.norm = utf8.AppendRune(t.sc.norm, r)
				t.hasLeet = true
				return
			}
		}
	}
	t.endWord()
	if r == '.' || r == '-' {
		if t.prevMark {
			t.morsePairs++
		}
		t.prevMark = true
	} else if r != ' ' {
		t.prevMark = false
	}
	t.quoteMark(r, text, next)
	switch r {
	case '\n':
		t.pendingSent, t.pendingLine, t.pendingTag = true, true, false
		t.endQuote(false)
	case '.', '!', ';', '…', '。', '！', '？':
		t.pendingSent, t.pendingTag = true, false
	case '?':
		t.pendingSent, t.pendingTag = true, false
		t.markQuestion()
	case ':':
		if n := len(t.sc.words); n > 0 && !t.pendingSent {
			t.sc.words[n-1].flags |= fColon
		}
		t.pendingSent = true
	case ',':
		if n := len(t.sc.words); n > 0 && !t.pendingSent {
			t.sc.words[n-1].flags |= fComma
		}
	case '<', '[', '{', '|', '#':
		t.pendingTag = true
	case ' ', '\t', '\r':
	default:
		t.pendingTag = false
	}
}

// letterAt reports whether a letter or digit starts at text[i].
func letterAt(text string, i int) bool {
	if i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	_, k := fold(r)
	return k == kLetter || k == kFancy || k == kConfuse
}

func (t *tokenizer) startWord() {
	if t.inWord {
		return
	}
	t.inWord = true
	t.start = len(t.sc.norm)
	t.latin, t.confuse, t.fancy, t.invisible, t.hasLeet = false, false, false, false, false
	t.letters, t.digits, t.upper = 0, 0, 0
}

func (t *tokenizer) endWord() { t.endWordWith(0) }

// endWordWith finishes the word being built, if any, with extra flags.
func (t *tokenizer) endWordWith(extra wflag) {
	if !t.inWord {
		return
	}
	t.inWord, t.prevLower = false, false
	w := word{start: int32(t.start), flags: extra}
	if t.confuse && t.latin {
		t.sc.norm = append(t.sc.norm[:t.start], foldConfusables(t.sc.norm[t.start:], t.sc.tmp[:0])...)
		w.flags |= fHomoglyph
	}
	w.end = int32(len(t.sc.norm))
	if t.fancy {
		w.flags |= fFancy
	}
	if t.invisible {
		w.flags |= fInvisible
	}
	if t.upper >= 3 && t.upper == t.letters {
		w.flags |= fUpper
	}
	if t.quote != 0 {
		w.flags |= fQuoted
	}
	if t.decoded {
		w.flags |= fDecoded
	}
	if t.pendingSent {
		w.flags |= fSentStart
	}
	if t.pendingLine {
		w.flags |= fLineStart
	}
	if t.pendingTag {
		w.flags |= fTagOpen
	}
	t.pendingSent, t.pendingLine, t.pendingTag = false, false, false
	b := t.sc.norm[w.start:w.end]
	w.h = hashBytes(b)
	e, ok := lookup(w.h, b)
	if !ok && (t.hasLeet || t.digits > 0 && t.letters > 0) {
		if d := deleet(b, t.sc.tmp[:0]); len(d) > 0 {
			if e, ok = lookup(hashBytes(d), d); ok {
				w.flags |= fLeet
				w.h = hashBytes(d)
			}
		}
	}
	w.cls, w.form, w.mark = e.cls, e.form, e.mark
	t.cipherCounts(b, e.cls)
	if len(b) == 2 && isHexByte(b[0]) && isHexByte(b[1]) || len(b) == 4 && b[0] == '0' && b[1] == 'x' && isHexByte(b[2]) && isHexByte(b[3]) {
		if t.pairs++; t.pairs > t.maxPairs {
			t.maxPairs = t.pairs
		}
	} else {
		t.pairs = 0
	}
	t.sc.words = append(t.sc.words, w)
}

// mayEncode reports whether the text tokenized may hold an encoded
// payload worth decoding: a long run of base64 or hex characters, an
// escape ('%' or '\\'), or a run of hex pairs.
func (t *tokenizer) mayEncode() bool {
	return t.maxRun >= 2*minHexBytes || t.escapes || t.maxPairs >= minHexBytes
}
