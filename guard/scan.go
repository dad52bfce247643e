package guard

import "strings"

// class bits of a byte, for the scanner's dispatch.
const (
	cDigit  = 1 << iota // 0-9
	cLetter             // A-Z a-z
	cWord               // letters, digits, '_': a match never starts after one
	cStart              // may start a match: digits, letters, '+', '(', '@', '-', '[', ':'
)

var class = func() (t [256]uint8) {
	for c := '0'; c <= '9'; c++ {
		t[c] = cDigit | cWord | cStart
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c] = cLetter | cWord | cStart
		t[c-'a'+'A'] = cLetter | cWord | cStart
	}
	t['_'] = cWord
	for _, c := range "+(@-[:" {
		t[c] |= cStart
	}
	return t
}()

func isDigit(c byte) bool  { return class[c]&cDigit != 0 }
func isLetter(c byte) bool { return class[c]&cLetter != 0 }
func isWord(c byte) bool   { return class[c]&cWord != 0 }
func isAlnum(c byte) bool  { return class[c]&(cDigit|cLetter) != 0 }

// scan appends the spans of every built-in kind found in s, in order and
// without overlaps. It is one pass over s: each byte is looked at once
// unless it may start a match, and a match can only start at the
// beginning of a word (or at '@' for emails, '-----BEGIN' for keys, "::"
// for IPv6 addresses).
func scan(s string, spans []span) []span {
	last := 0 // end of the last span: nothing before it is looked at again
	for i := 0; i < len(s); {
		c := s[i]
		if class[c]&cStart == 0 {
			i++
			continue
		}
		if c == '[' {
			if e := placeholderEnd(s, i); e > i {
				i, last = e, e // a placeholder is opaque
				continue
			}
		}
		sp, next := matchAt(s, i, last)
		if sp.end > sp.start {
			spans = append(spans, sp)
			last = next
		}
		i = next
	}
	return spans
}

// matchAt returns what starts at s[i], a byte that may start a match:
// the span to mask (or an empty one) and where the scan goes on. last is
// the end of the last span.
func matchAt(s string, i, last int) (span, int) {
	switch c := s[i]; {
	case c == '@':
		if st, e := urlPassword(s, i, last); e > st {
			return span{st, e, KindCredential}, e + 1 // the host is not masked
		}
		if st, e := email(s, i, last); e > i {
			return span{st, e, KindEmail}, e
		}
	case c == ':':
		if i == 0 || !isWord(s[i-1]) && s[i-1] != ':' {
			if e := ipv6(s, i); e > i {
				return span{i, e, KindIP}, e // "::1", "::ffff:192.0.2.1"
			}
		}
	case c == '-':
		if e, k := privateKey(s, i); e > i {
			return span{i, e, k}, e
		}
		if (i == 0 || !isWord(s[i-1])) && i+1 < len(s) && !isDigit(s[i+1]) {
			return span{}, i + 1 // a word may start after a leading '-': "--api-key", not "-20"
		}
	case i > 0 && isWord(s[i-1]):
		// inside a word: nothing starts here
	case isLetter(c):
		if st, e, k := word(s, i); e > i {
			return span{st, e, k}, e
		}
	case c != '[': // a digit, '+' or '('
		e, k, skip := number(s, i)
		if e > i {
			return span{i, e, k}, e
		}
		if skip > i {
			return span{}, skip // no match starts inside the number either
		}
	}
	return span{}, skipFrom(s, i)
}

// skipFrom returns where the scan goes on after nothing matched at s[i]:
// right after a mark ('[', '@', ':', '+', '('), where a word may start
// ("(sk-…", "user@203.0.113.7"); after the word s[i] is in otherwise,
// since nothing starts inside a word.
func skipFrom(s string, i int) int {
	if !isWord(s[i]) && s[i] != '-' {
		return i + 1
	}
	for i++; i < len(s) && isWord(s[i]); i++ {
	}
	return i
}

// email matches an address around the '@' at s[at]; the local part starts
// no earlier than from. It returns the address's bounds, or end == at.
func email(s string, at, from int) (start, end int) {
	start = at
	for start > from && at-start < 64 && localByte(s[start-1]) {
		start--
	}
	for start < at && s[start] == '.' {
		start++
	}
	if start > 0 && s[start-1] == '\\' && start < at && strings.IndexByte("ntr", s[start]) >= 0 {
		start++ // an escaped line break or tab: "\n@tf.function"
	}
	if start == at {
		return at, at
	}
	// The domain: labels of letters, digits and '-', joined by dots, the
	// last all letters and at least two of them.
	end, dots, label, tldAlpha := at+1, 0, 0, true
	for ; end < len(s) && end-at < 255; end++ {
		c := s[end]
		switch {
		case isAlnum(c):
			label++
			tldAlpha = tldAlpha && isLetter(c)
		case c == '-' && label > 0:
			label++
			tldAlpha = false
		case c == '.' && label > 0 && end+1 < len(s) && isAlnum(s[end+1]):
			dots++
			label, tldAlpha = 0, true
		default:
			goto done
		}
	}
done:
	if dots == 0 || label < 2 || !tldAlpha {
		return at, at
	}
	return start, end
}

// urlPassword matches the password of a URL's user info
// ("postgres://app:pa55word@db", "redis://:pa55word@cache") before the
// '@' at s[at], no earlier than from. It returns the password's bounds,
// or start == end.
func urlPassword(s string, at, from int) (start, end int) {
	p := at
	for p > from && at-p <= 128 && urlByte(s[p-1]) {
		p--
	}
	if p == at || p == from || s[p-1] != ':' {
		return at, at
	}
	u := p - 1 // the user name, possibly empty, ends here
	for u > from && p-u <= 128 && urlByte(s[u-1]) {
		u--
	}
	if u-from < 4 || s[u-3:u] != "://" || !isLetter(s[u-4]) {
		return at, at
	}
	return p, at
}

// urlByte reports whether c may be part of a URL's user name or password
// (percent-encoded: unreserved characters, sub-delimiters and '%').
func urlByte(c byte) bool {
	return isAlnum(c) || c != 0 && c < 0x7f && c > ' ' && strings.IndexByte("-._~%!$&'()*+,;=", c) >= 0
}

func localByte(c byte) bool {
	return isAlnum(c) || c == '.' || c == '_' || c == '%' || c == '+' || c == '-'
}

// privateKey matches a PEM private key block starting at s[i]
// ("-----BEGIN … PRIVATE KEY-----" … "-----END … PRIVATE KEY-----", or an
// OpenPGP "PGP PRIVATE KEY BLOCK"); a block cut short is masked to the end
// of s.
func privateKey(s string, i int) (int, Kind) {
	const begin = "-----BEGIN "
	if !strings.HasPrefix(s[i:], begin) {
		return i, ""
	}
	hdrEnd := strings.Index(s[i+len(begin):], "-----")
	if hdrEnd < 0 || hdrEnd > 40 {
		return i, ""
	}
	if hdr := s[i+len(begin) : i+len(begin)+hdrEnd]; !strings.HasSuffix(hdr, "PRIVATE KEY") && hdr != "PGP PRIVATE KEY BLOCK" {
		return i, ""
	}
	body := i + len(begin) + hdrEnd + 5
	e := strings.Index(s[body:], "-----END ")
	if e < 0 {
		return len(s), KindPrivateKey
	}
	e += body + len("-----END ")
	if f := strings.Index(s[e:], "-----"); f >= 0 && f <= 40 {
		return e + f + 5, KindPrivateKey
	}
	return len(s), KindPrivateKey
}
