// Package jsonw appends JSON values to byte slices without allocating: the
// few primitives the hand-written encoders (switchyard/wire/openai,
// switchyard/wire/anthropic, the request log's JSON columns) share,
// written the way encoding/json writes them (String without HTML
// escaping, as an Encoder with SetEscapeHTML(false); HTMLString with it,
// as json.Marshal), so their output is byte-for-byte encoding/json's.
package jsonw

import (
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// Word-at-a-time scanning of JSON string bodies, eight bytes per step.
const (
	lsb = 0x0101010101010101
	// MSB has the high bit of each of a word's 8 bytes set: v&MSB != 0
	// reports a non-ASCII byte among them.
	MSB = 0x8080808080808080
)

// SpecialWord reports whether one of the 8 bytes of v is a quote, a
// backslash or a control character (the bytes that end a plain run in a
// JSON string). Bytes >= 0x80 never match.
func SpecialWord(v uint64) bool {
	lt20 := (v - lsb*0x20) & ^v & MSB
	q := v ^ (lsb * '"')
	bs := v ^ (lsb * '\\')
	return lt20|((q-lsb)&^q&MSB)|((bs-lsb)&^bs&MSB) != 0
}

// safeASCII[c] reports whether ASCII byte c is written as itself inside a
// JSON string.
var safeASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

// safeRun returns the index of the first byte at or after i in s that
// String cannot copy as is: a quote, backslash, control character or any
// non-ASCII byte.
func safeRun(s string, i int) int {
	for i+8 <= len(s) {
		v := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		if SpecialWord(v) || v&MSB != 0 {
			break
		}
		i += 8
	}
	for i < len(s) && s[i] < utf8.RuneSelf && safeASCII[s[i]] {
		i++
	}
	return i
}

// String appends s as a JSON string the way encoding/json does without
// HTML escaping: quotes, backslashes and control characters escaped,
// U+2028 and U+2029 escaped (for JavaScript consumers), invalid UTF-8
// replaced by U+FFFD.
func String(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = stringBody(dst, s, true)
	return append(dst, '"')
}

// HTMLString appends s as a JSON string the way json.Marshal does, HTML
// escaping included: as String, with <, > and & as \u003c, \u003e and
// \u0026.
func HTMLString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	for {
		i := strings.IndexAny(s, "<>&")
		if i < 0 {
			break
		}
		dst = stringBody(dst, s[:i], true)
		dst = append(dst, '\\', 'u', '0', '0', hexDigits[s[i]>>4], hexDigits[s[i]&0xF])
		s = s[i+1:]
	}
	dst = stringBody(dst, s, true)
	return append(dst, '"')
}

// LogString appends s as a JSON string the way log/slog's JSON handler
// does: as String, except that \b and \f are written \u0008 and \u000c.
func LogString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	dst = stringBody(dst, s, false)
	return append(dst, '"')
}

// stringBody appends s escaped as String does, without the quotes; with
// short false, \b and \f as \u00XX (LogString).
func stringBody(dst []byte, s string, short bool) []byte {
	start := 0
	for i := 0; i < len(s); {
		if i = safeRun(s, i); i >= len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			dst = escapedASCII(dst, c, short)
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(dst, s[start:]...)
}

func escapedASCII(dst []byte, c byte, short bool) []byte {
	if !short && (c == '\b' || c == '\f') {
		return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
	}
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	}
	return append(dst, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
}

// NullString appends s, or null when s is empty.
func NullString(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return String(dst, s)
}

// Float appends f the way encoding/json formats a float of the given bit
// size: the shortest decimal that round-trips, exponent form only for very
// small or large magnitudes. NaN and infinities, which JSON cannot hold,
// are written as 0.
func Float(dst []byte, f float64, bits int) []byte {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return append(dst, '0')
	}
	format := byte('f')
	if abs := math.Abs(f); abs != 0 {
		if bits == 64 && (abs < 1e-6 || abs >= 1e21) || bits == 32 && (float32(abs) < 1e-6 || float32(abs) >= 1e21) {
			format = 'e'
		}
	}
	dst = strconv.AppendFloat(dst, f, format, -1, bits)
	if format == 'e' {
		// Clean up e-09 to e-9, as encoding/json does.
		n := len(dst)
		if n >= 4 && dst[n-4] == 'e' && dst[n-3] == '-' && dst[n-2] == '0' {
			dst[n-2] = dst[n-1]
			dst = dst[:n-1]
		}
	}
	return dst
}

// Int appends n in decimal.
func Int(dst []byte, n int) []byte { return strconv.AppendInt(dst, int64(n), 10) }

// Bool appends true or false.
func Bool(dst []byte, b bool) []byte {
	if b {
		return append(dst, "true"...)
	}
	return append(dst, "false"...)
}

// Key appends ,"name": — or "name": as the first member, after {. name
// is written as is: it must need no escaping.
func Key(dst []byte, name string) []byte {
	if n := len(dst); n > 0 && dst[n-1] != '{' {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	return append(dst, '"', ':')
}
