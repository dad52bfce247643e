package inject

import (
	"encoding/base64"
	"unicode/utf8"
)

// This file finds encoded payloads — base64, hex (plain, "\x41", "0x41"
// or "41 42" pairs) and %-escapes — decodes those that read as text, and
// hands the text back to be scanned like the rest, its words marked
// decoded.

const (
	// minBase64 is the shortest base64 run decoded (18 bytes of text).
	minBase64 = 24
	// minHexBytes is the fewest bytes a hex or %-escaped run must encode.
	minHexBytes = 8
	// maxDecoded bounds the decoded bytes per segment.
	maxDecoded = 4096
)

var b64Class = func() (t [256]uint8) {
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = 1
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = 2
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = 4
	}
	t['+'], t['/'], t['-'], t['_'], t['='] = 8, 8, 8, 8, 16
	return t
}()

func hexVal(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// decodePayloads appends the readable payloads encoded in text to
// sc.dec and records their bounds in sc.payloads.
func (sc *scratch) decodePayloads(text string) {
	for i := 0; i < len(text) && len(sc.dec) < maxDecoded; {
		c := text[i]
		switch {
		case c == '%' || c == '\\' && i+1 < len(text) && (text[i+1] == 'x' || text[i+1] == 'X'):
			i = sc.escapedRun(text, i)
		case b64Class[c] != 0 && b64Class[c] != 16 && (i == 0 || b64Class[text[i-1]] == 0):
			i = sc.alnumRun(text, i)
		default:
			i++
		}
	}
}

// alnumRun looks at the run of base64 characters at text[i] as hex
// pairs, plain hex or base64, and returns where the scan goes on.
func (sc *scratch) alnumRun(text string, i int) int {
	if n := sc.pairRun(text, i); n > 0 {
		return n
	}
	j, seen := i, uint8(0)
	for j < len(text) && b64Class[text[j]] != 0 {
		seen |= b64Class[text[j]]
		j++
	}
	run := text[i:j]
	switch {
	case len(run)/2 >= minHexBytes && isHexRun(run):
		start := len(sc.dec)
		for k := 0; k+1 < len(run); k += 2 {
			hi, _ := hexVal(run[k])
			lo, _ := hexVal(run[k+1])
			sc.dec = append(sc.dec, hi<<4|lo)
		}
		sc.keep(start)
	case len(run) >= minBase64 && seen&1 != 0 && seen&2 != 0 && seen&(4|8) != 0:
		sc.base64(run)
	}
	return j
}

// base64 decodes run, standard or URL alphabet, padded or not.
func (sc *scratch) base64(run string) {
	enc := base64.RawStdEncoding
	for k := 0; k < len(run); k++ {
		if run[k] == '-' || run[k] == '_' {
			enc = base64.RawURLEncoding
			break
		}
	}
	for len(run) > 0 && run[len(run)-1] == '=' {
		run = run[:len(run)-1]
	}
	if len(run)%4 == 1 {
		run = run[:len(run)-1]
	}
	sc.tmp = append(sc.tmp[:0], run...)
	start := len(sc.dec)
	sc.dec = append(sc.dec, make([]byte, enc.DecodedLen(len(run)))...)
	n, err := enc.Decode(sc.dec[start:], sc.tmp)
	if err != nil {
		n = 0
	}
	sc.dec = sc.dec[:start+n]
	sc.keep(start)
}

// isHexRun reports a run of hex digits with both digits and letters, of
// even length.
func isHexRun(s string) bool {
	if len(s)%2 != 0 {
		return false
	}
	digit, letter := false, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F':
			letter = true
		default:
			return false
		}
	}
	return digit && letter
}

// pairRun decodes hex written as pairs with a separator ("69 67 6e",
// "0x69, 0x67") at text[i]; it returns where the run ends, or 0 when
// there is none.
func (sc *scratch) pairRun(text string, i int) int {
	start, n, j := len(sc.dec), 0, i
	for j+1 < len(text) {
		k := j
		if text[k] == '0' && (text[k+1] == 'x' || text[k+1] == 'X') {
			k += 2
		}
		if k+1 >= len(text) {
			break
		}
		hi, ok1 := hexVal(text[k])
		lo, ok2 := hexVal(text[k+1])
		if !ok1 || !ok2 || k+2 < len(text) && b64Class[text[k+2]] != 0 {
			break
		}
		sc.dec = append(sc.dec, hi<<4|lo)
		n++
		j = k + 2
		for j < len(text) && (text[j] == ' ' || text[j] == ',') && j-k < 4 {
			j++
		}
	}
	if n < minHexBytes {
		sc.dec = sc.dec[:start]
		return 0
	}
	sc.keep(start)
	return j
}

// escapedRun decodes a run of %XX or \xXX escapes at text[i].
func (sc *scratch) escapedRun(text string, i int) int {
	start, j, n := len(sc.dec), i, 0
	for j < len(text) {
		k := j
		switch {
		case text[k] == '%':
			k++
		case text[k] == '\\' && k+1 < len(text) && (text[k+1] == 'x' || text[k+1] == 'X'):
			k += 2
		default:
			goto done
		}
		if k+1 >= len(text) {
			goto done
		}
		hi, ok1 := hexVal(text[k])
		lo, ok2 := hexVal(text[k+1])
		if !ok1 || !ok2 {
			goto done
		}
		sc.dec = append(sc.dec, hi<<4|lo)
		n++
		j = k + 2
		// plain characters between escapes ("ignore%20all") are part of it
		for j < len(text) && text[j] != '%' && text[j] != '\\' && text[j] > ' ' && j-k < 64 {
			sc.dec = append(sc.dec, text[j])
			j++
		}
	}
done:
	if n < minHexBytes {
		sc.dec = sc.dec[:start]
		return max(j, i+1)
	}
	sc.keep(start)
	return j
}

// keep records sc.dec[start:] as a payload when it reads as text (valid
// UTF-8, mostly letters and spaces, with at least two words); otherwise
// it drops it.
func (sc *scratch) keep(start int) {
	p := sc.dec[start:]
	if len(p) < minHexBytes || !utf8.Valid(p) || !readable(p) {
		sc.dec = sc.dec[:start]
		return
	}
	sc.payloads = append(sc.payloads, [2]int32{int32(start), int32(len(sc.dec))})
}

// readable reports whether p looks like text: no control bytes but
// white space, and at least one space between letters.
func readable(p []byte) bool {
	letters, spaces := 0, 0
	for _, c := range p {
		switch {
		case c == ' ':
			spaces++
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letters++
		case c < ' ' && c != '\n' && c != '\t' && c != '\r', c == 0x7f:
			return false
		}
	}
	return spaces > 0 && letters*2 >= len(p)
}
