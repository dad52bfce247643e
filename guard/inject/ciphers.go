package inject

// This file undoes the disguises that are not encodings of bytes: Morse
// code, bytes written in binary, pig Latin, and letter shifts (ROT13, a
// Caesar cipher with its shift named). Like decoded payloads, what they
// hide is scanned with the rest of the text, its words marked decoded.

// Thresholds of the tokenizer's counts that make a cipher worth trying.
const (
	// minMorsePairs is the fewest "..", ".-", "-." or "--" pairs outside
	// words for a text to be read for Morse code.
	minMorsePairs = 8
	// minMorseLetters is the fewest letters a Morse run must decode to.
	minMorseLetters = 6
	// minBinaryBytes is the fewest eight-digit binary words in a row.
	minBinaryBytes = 4
	// minPigLatin is the fewest pig-Latin-looking words.
	minPigLatin = 4
)

// morseCode maps Morse code to letters and digits.
var morseCode = map[string]byte{
	".-": 'a', "-...": 'b', "-.-.": 'c', "-..": 'd', ".": 'e', "..-.": 'f', "--.": 'g', "....": 'h', "..": 'i',
	".---": 'j', "-.-": 'k', ".-..": 'l', "--": 'm', "-.": 'n', "---": 'o', ".--.": 'p', "--.-": 'q', ".-.": 'r',
	"...": 's', "-": 't', "..-": 'u', "...-": 'v', ".--": 'w', "-..-": 'x', "-.--": 'y', "--..": 'z',
	"-----": '0', ".----": '1', "..---": '2', "...--": '3', "....-": '4', ".....": '5', "-....": '6', "--...": '7',
	"---..": '8', "----.": '9', "..--..": '?', ".-.-.-": '.', "--..--": ',',
}

// decodeCiphers appends what the ciphers hide in text to sc.dec as
// payloads: Morse and binary runs when the tokenizer counted enough of
// their marks, pig Latin and letter shifts when the words say so.
func (sc *scratch) decodeCiphers(text string, t *tokenizer) {
	if t.morsePairs >= minMorsePairs || t.maxBinary >= minBinaryBytes {
		for i := 0; i < len(text) && len(sc.dec) < maxDecoded; i++ {
			if i > 0 && text[i-1] != ' ' && text[i-1] != '\'' && text[i-1] != '"' && text[i-1] != '\n' {
				continue
			}
			switch text[i] {
			case '.', '-':
				i = sc.morseRun(text, i)
			case '0', '1':
				i = sc.binaryRun(text, i)
			}
		}
	}
	if t.pig >= minPigLatin && 2*t.pig >= len(sc.words) && len(sc.dec) < maxDecoded {
		sc.pigLatin()
	}
	if !t.encodeWord {
		return
	}
	if shift := sc.namedShift(); shift > 0 && len(sc.dec) < maxDecoded {
		start := len(sc.dec)
		for i := 0; i < len(text) && len(sc.dec) < maxDecoded; i++ {
			sc.dec = append(sc.dec, shiftLetter(text[i], shift))
		}
		sc.keep(start)
	}
}

// morseRun decodes the Morse code starting at text[i] ("/" or three
// spaces between words) and returns the offset of its last byte.
func (sc *scratch) morseRun(text string, i int) int {
	start, letters, j := len(sc.dec), 0, i
	for j < len(text) {
		k := j
		for k < len(text) && (text[k] == '.' || text[k] == '-') && k-j < 7 {
			k++
		}
		if k > j {
			c, ok := morseCode[text[j:k]]
			if !ok {
				break
			}
			sc.dec = append(sc.dec, c)
			letters++
		}
		spaces, slash := 0, false
		for k < len(text) && (text[k] == ' ' || text[k] == '/') {
			slash = slash || text[k] == '/'
			spaces++
			k++
		}
		if spaces == 0 || k == j {
			j = k
			break
		}
		if slash || spaces >= 3 {
			sc.dec = append(sc.dec, ' ')
		}
		j = k
	}
	if letters < minMorseLetters {
		sc.dec = sc.dec[:start]
		return i
	}
	sc.keep(start)
	return max(j-1, i)
}

// binaryRun decodes the eight-digit binary bytes, separated by spaces,
// starting at text[i], and returns the offset of its last byte.
func (sc *scratch) binaryRun(text string, i int) int {
	start, n, j := len(sc.dec), 0, i
	for j+8 <= len(text) {
		var b byte
		ok := true
		for k := j; k < j+8; k++ {
			if text[k] != '0' && text[k] != '1' {
				ok = false
				break
			}
			b = b<<1 | (text[k] - '0')
		}
		if !ok || j+8 < len(text) && text[j+8] != ' ' && text[j+8] != '\'' && text[j+8] != '"' && text[j+8] != '\n' {
			break
		}
		sc.dec = append(sc.dec, b)
		n++
		j += 9
	}
	if n < minBinaryBytes {
		sc.dec = sc.dec[:start]
		return i
	}
	sc.keep(start)
	return max(j-2, i)
}

// pigLatin appends the pig Latin words of the segment read back
// ("erewhay oesday" → "where does") when most of its words are pig Latin.
func (sc *scratch) pigLatin() {
	n, words := 0, 0
	for i := range sc.words {
		w := &sc.words[i]
		if w.flags&(fDecoded|fCJK) != 0 {
			continue
		}
		words++
		if isPigLatin(sc.norm[w.start:w.end]) {
			n++
		}
	}
	if n < minPigLatin || 2*n < words {
		return
	}
	start := len(sc.dec)
	for i := range sc.words {
		w := &sc.words[i]
		if b := sc.norm[w.start:w.end]; w.flags&(fDecoded|fCJK) == 0 && isPigLatin(b) {
			sc.dec = appendUnPigLatin(sc.dec, b)
			sc.dec = append(sc.dec, ' ')
		}
	}
	sc.keep(start)
}

// isPigLatin reports a word that may be pig Latin: four ASCII letters or
// more, ending in "ay".
func isPigLatin(b []byte) bool {
	if len(b) < 4 || b[len(b)-2] != 'a' || b[len(b)-1] != 'y' {
		return false
	}
	for _, c := range b {
		if c < 'a' || c > 'z' {
			return false
		}
	}
	return true
}

// appendUnPigLatin appends the English of pig Latin word b: "ellohay" is
// "hello" (the consonants before "ay" go back to the front), "useryay"
// and "appleway" are "user" and "apple".
func appendUnPigLatin(dst, b []byte) []byte {
	body := b[:len(b)-2]
	if n := len(body); n >= 3 && (body[n-1] == 'y' || body[n-1] == 'w') && isVowel(body[0]) {
		return append(dst, body[:n-1]...)
	}
	// The consonants that moved: the last one, and those before it that
	// begin English words with it ("wh", "th", "str"): "oesday" is
	// "does", not "sdoe".
	k := len(body)
	if k > 1 && !isVowel(body[k-1]) {
		k--
		for j := max(0, len(body)-3); j < k; j++ {
			if onsets[string(body[j:])] {
				k = j
				break
			}
		}
	}
	dst = append(dst, body[k:]...)
	return append(dst, body[:k]...)
}

// onsets are the consonant clusters English words begin with.
var onsets = map[string]bool{
	"bl": true, "br": true, "ch": true, "cl": true, "cr": true, "dr": true, "fl": true, "fr": true, "gl": true, "gr": true,
	"kn": true, "ph": true, "pl": true, "pr": true, "sc": true, "sh": true, "sk": true, "sl": true, "sm": true, "sn": true,
	"sp": true, "st": true, "sw": true, "th": true, "tr": true, "tw": true, "wh": true, "wr": true,
	"sch": true, "scr": true, "shr": true, "spl": true, "spr": true, "str": true, "thr": true,
}

func isVowel(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' }

// namedShift returns the letter shift the segment names — 13 for ROT13,
// N for "Caesar … shift of N" — or 0.
func (sc *scratch) namedShift() byte {
	for i := range sc.words {
		if sc.words[i].cls&cEncode == 0 {
			continue
		}
		switch {
		case sc.is(i, "rot13"):
			return 13
		case sc.is(i, "caesar"):
			for j := i + 1; j < len(sc.words) && j < i+8; j++ {
				if !sc.is(j, "shift") {
					continue
				}
				k := j + 1
				if sc.is(k, "of") || sc.is(k, "by") {
					k++
				}
				if k < len(sc.words) {
					if b := sc.norm[sc.words[k].start:sc.words[k].end]; len(b) <= 2 {
						n := 0
						for _, c := range b {
							if c < '0' || c > '9' {
								return 0
							}
							n = n*10 + int(c-'0')
						}
						if n > 0 && n < 26 {
							return byte(n)
						}
					}
				}
				return 0
			}
		}
	}
	return 0
}

// shiftLetter shifts ASCII letter c back by shift places (other bytes
// are kept).
func shiftLetter(c, shift byte) byte {
	switch {
	case c >= 'a' && c <= 'z':
		return 'a' + (c-'a'+26-shift)%26
	case c >= 'A' && c <= 'Z':
		return 'A' + (c-'A'+26-shift)%26
	}
	return c
}

// cipherCounts counts word b (of classes cls) toward the ciphers worth
// trying: binary bytes, pig Latin, a named shift.
func (t *tokenizer) cipherCounts(b []byte, cls class) {
	t.prevMark = false
	if len(b) == 1 {
		if t.singles++; t.singles > t.maxSingles {
			t.maxSingles = t.singles
		}
	} else {
		t.singles = 0
	}
	if t.digits == 8 && t.letters == 0 && isBinary(b) {
		if t.binary++; t.binary > t.maxBinary {
			t.maxBinary = t.binary
		}
	} else {
		t.binary = 0
	}
	if len(b) >= 4 && b[len(b)-1] == 'y' && b[len(b)-2] == 'a' {
		t.pig++
	}
	t.encodeWord = t.encodeWord || cls&cEncode != 0
}

func isBinary(b []byte) bool {
	for _, c := range b {
		if c != '0' && c != '1' {
			return false
		}
	}
	return true
}

// mayCipher reports whether the text tokenized may hide a cipher.
func (t *tokenizer) mayCipher() bool {
	return t.morsePairs >= minMorsePairs || t.maxBinary >= minBinaryBytes || t.encodeWord ||
		t.pig >= minPigLatin && 2*t.pig >= len(t.sc.words)
}
