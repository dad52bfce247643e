package openai

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// plainEnd returns the index of the closing quote of the string whose body
// starts at i when the body needs no decoding (no escapes, no control
// characters, valid UTF-8), and -1 when it does.
func plainEnd(d []byte, i int) int {
	j, ascii := plainRun(d, i)
	if j < len(d) && d[j] == '"' && (ascii || utf8.Valid(d[i:j])) {
		return j
	}
	return -1
}

// str reads a string.
func (s *scanner) str() (string, error) {
	if s.peek() != '"' {
		return "", s.typeErr("a string")
	}
	start := s.pos + 1
	if end := plainEnd(s.data, start); end >= 0 {
		s.pos = end + 1
		if s.src != "" {
			return s.src[start:end], nil
		}
		return string(s.data[start:end]), nil
	}
	b, err := s.unquote(make([]byte, 0, 64))
	if err != nil || len(b) == 0 {
		return "", err
	}
	// b is fresh and never written again: view it as the string.
	return unsafe.String(&b[0], len(b)), nil
}

// optStr reads a string or null (as "").
func (s *scanner) optStr() (string, error) {
	if s.null() {
		return "", nil
	}
	return s.str()
}

// key reads an object key. The result aliases the document when the key
// needs no decoding and is freshly allocated otherwise.
func (s *scanner) key() ([]byte, error) {
	start := s.pos + 1
	if end := plainEnd(s.data, start); end >= 0 {
		s.pos = end + 1
		return s.data[start:end], nil
	}
	return s.unquote(nil)
}

// skipString consumes a string, checking its syntax without decoding it.
func (s *scanner) skipString() error {
	start := s.pos + 1
	if end := plainEnd(s.data, start); end >= 0 {
		s.pos = end + 1
		return nil
	}
	_, err := s.unquote(nil)
	return err
}

// unquote decodes the string at pos into buf the way encoding/json does:
// escapes resolved, invalid UTF-8 and unpaired surrogates replaced by
// U+FFFD.
func (s *scanner) unquote(buf []byte) ([]byte, error) {
	d := s.data
	i := s.pos + 1
	for {
		j, ascii := plainRun(d, i)
		buf = appendUTF8(buf, d[i:j], ascii)
		if i = j; i >= len(d) {
			s.pos = len(d)
			return nil, s.syntax("unexpected end of JSON input")
		}
		switch c := d[i]; c {
		case '"':
			s.pos = i + 1
			return buf, nil
		case '\\':
			var err error
			if buf, i, err = s.unescape(buf, i); err != nil {
				return nil, err
			}
		default:
			s.pos = i
			return nil, s.syntax("invalid character " + quoteChar(c) + " in string literal")
		}
	}
}

// appendUTF8 appends run, replacing invalid UTF-8 by U+FFFD.
func appendUTF8(buf, run []byte, ascii bool) []byte {
	if ascii || utf8.Valid(run) {
		return append(buf, run...)
	}
	for len(run) > 0 {
		r, size := utf8.DecodeRune(run)
		if r == utf8.RuneError && size == 1 {
			buf = utf8.AppendRune(buf, utf8.RuneError)
		} else {
			buf = append(buf, run[:size]...)
		}
		run = run[size:]
	}
	return buf
}

// unescape decodes the escape sequence at d[i] (a backslash) into buf and
// returns the index after it.
func (s *scanner) unescape(buf []byte, i int) ([]byte, int, error) {
	d := s.data
	if i+1 >= len(d) {
		s.pos = len(d)
		return nil, 0, s.syntax("unexpected end of JSON input")
	}
	switch c := d[i+1]; c {
	case '"', '\\', '/':
		return append(buf, c), i + 2, nil
	case 'b':
		return append(buf, '\b'), i + 2, nil
	case 'f':
		return append(buf, '\f'), i + 2, nil
	case 'n':
		return append(buf, '\n'), i + 2, nil
	case 'r':
		return append(buf, '\r'), i + 2, nil
	case 't':
		return append(buf, '\t'), i + 2, nil
	case 'u':
		r, ok := hex4(d, i+2)
		if !ok {
			s.pos = i + 2
			return nil, 0, s.syntax("invalid character in \\u hexadecimal character escape")
		}
		i += 6
		if utf16.IsSurrogate(r) {
			r2, ok := rune(0), false
			if i+1 < len(d) && d[i] == '\\' && d[i+1] == 'u' {
				r2, ok = hex4(d, i+2)
			}
			if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
				return utf8.AppendRune(buf, dec), i + 6, nil
			}
			r = utf8.RuneError
		}
		return utf8.AppendRune(buf, r), i, nil
	default:
		s.pos = i + 1
		return nil, 0, s.syntax("invalid character " + quoteChar(c) + " in string escape code")
	}
}

// hex4 parses the four hex digits at d[i:].
func hex4(d []byte, i int) (rune, bool) {
	if i+4 > len(d) {
		return 0, false
	}
	var r rune
	for _, c := range d[i : i+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// bstr views b as a string for a parse that does not keep it.
func bstr(b []byte) string { return string(b) }

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	if c < utf8.RuneSelf && c >= 0x20 {
		return "'" + string(rune(c)) + "'"
	}
	return strconv.QuoteRuneToASCII(rune(c))
}
