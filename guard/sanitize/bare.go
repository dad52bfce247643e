package sanitize

import "strings"

// This file finds bare URLs — "https://host/path?query" or "www.host/…"
// written as text, which many clients turn into links (GitHub Flavored
// Markdown's autolinks, chat UIs' linkifiers) — and neutralizes those to
// hosts off the allowlist that carry data in their path or query
// (data.go): a click would send it to the host. A bare URL without data,
// or to an allowed host, stays.
//
// A URL starts with "http://", "https://" or "www." (any case) at a word
// boundary: the start of the text, or after a byte that is not an ASCII
// letter or digit. It runs to the first space, control character, '<',
// '>', '"' or '`', as GFM's autolinks do (and further than most
// linkifiers: the sanitizer errs on the side of seeing a URL).

// maxBare bounds the bare URL held back while it streams: past it, the
// URL is judged on what came (as carrying data).
const maxBare = 2048

// openers start a bare URL.
var openers = [...]string{"http://", "https://", "www."}

// opensURL reports whether b starts with an opener, and its length; need
// reports that b is a proper prefix of one (more text decides), unless
// final.
func opensURL(b []byte, final bool) (n int, need bool) {
	for _, o := range openers {
		k := min(len(b), len(o))
		if !asciiEqualFold(b[:k], o[:k]) {
			continue
		}
		if k < len(o) {
			need = need || !final
			continue
		}
		if o == "www." { // a host must follow
			if len(b) == k {
				need = need || !final
				continue
			}
			if !isAlnum(b[k]) {
				continue
			}
		}
		return k, false
	}
	return 0, need
}

// isAlnum reports an ASCII letter or digit.
func isAlnum(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

// mayStart marks the bytes a bare URL's opener starts with.
var mayStart = [256]bool{'h': true, 'H': true, 'w': true, 'W': true}

// endsURL marks the bytes that end a bare URL in Markdown text;
// endsArgURL those that end one in a tool call's argument, which no
// renderer reads ('<' and '>' are then part of it, as a fetch would take
// them).
var endsURL, endsArgURL = urlEnds('<', '>', '"', '`'), urlEnds('"', '`', '\'')

func urlEnds(extra ...byte) (t [256]bool) {
	for c := range 0x21 {
		t[c] = true
	}
	t[0x7f] = true
	for _, c := range extra {
		t[c] = true
	}
	return t
}

// bareEnd returns the end of the bare URL whose opener ends at open in b
// (the first byte ends marks): 0 with need when more text decides (its end
// is not in b yet, and it is shorter than maxBare), unless final.
func bareEnd(b []byte, open int, final bool, ends *[256]bool) (end int, need bool) {
	for end = open; end < len(b) && !ends[b[end]]; end++ {
	}
	if end == len(b) && !final && end < maxBare {
		return 0, true
	}
	return min(end, maxBare), false
}

// trimURL returns the length of the URL u once the punctuation a sentence
// puts after it is left out: trailing ?!.,:;*_~' and a ')' that closes
// nothing in it.
func trimURL(u []byte) int {
	n := len(u)
	for n > 0 {
		switch c := u[n-1]; c {
		case '?', '!', '.', ',', ':', ';', '*', '_', '~', '\'':
			n--
			continue
		case ')':
			if strings.Count(string(u[:n]), "(") < strings.Count(string(u[:n]), ")") {
				n--
				continue
			}
		}
		return n
	}
	return n
}

// bareVerdict is what to do with a bare URL.
type bareVerdict struct {
	// refuse reports a URL to a host off the list that carries data; host
	// is its host, for the note that replaces it.
	refuse bool
	host   string
	// n is the length of the URL as judged (trailing punctuation left out).
	n int
}

// judgeBare judges the bare URL u (opener included).
func judgeBare(u []byte, hosts *Hosts) bareVerdict {
	n := trimURL(u)
	s := string(u[:n])
	abs := s
	if asciiEqualFold(u[:min(len(u), 4)], "www.") {
		abs = "http://" + s
	}
	if allowedURL(abs, hosts) || !carriesData(abs) {
		return bareVerdict{n: n}
	}
	return bareVerdict{refuse: true, host: strings.ToLower(hostOf(abs[strings.Index(abs, ":")+1:])), n: n}
}

// bare handles the bare URL that may start at b[0], at a word boundary:
// it writes it and returns the bytes consumed — the URL neutralized, or
// as it is up to the first byte that may start a construct (the rest is
// read as text again) — or 0 when more text is needed. It returns -1
// when no URL starts there.
func (l *linker) bare(b []byte, final bool) int {
	open, need := opensURL(b, final)
	switch {
	case need:
		return 0
	case open == 0:
		return -1
	}
	end, need := bareEnd(b, open, final, &endsURL)
	if need {
		return 0
	}
	v := judgeBare(b[:end], l.hosts)
	if v.refuse {
		l.urls++
		l.out = append(l.out, `\[link to `...)
		l.out = appendEscaped(l.out, []byte(v.host))
		l.out = append(l.out, ` removed\]`...)
		return v.n
	}
	k := open
	for k < end && !special[b[k]] {
		k++
	}
	l.out = append(l.out, b[:k]...)
	return k
}

// boundary reports whether b[k] starts a word: k is 0 and the byte before
// b (prev) is not a letter or digit, or b[k-1] is not one.
func boundary(b []byte, k int, prevAlnum bool) bool {
	if k == 0 {
		return !prevAlnum
	}
	return !isAlnum(b[k-1])
}

// mayHoldURL reports whether piece, after a byte that is (prevAlnum) a
// letter or digit or not, holds a bare URL's opener at a word boundary,
// or ends with the start of one: it cannot then go out as it is.
func mayHoldURL(piece string, prevAlnum bool) bool {
	b := []byte(piece)
	for k := 0; k < len(b); k++ {
		if !mayStart[b[k]] || !boundary(b, k, prevAlnum) {
			continue
		}
		if open, need := opensURL(b[k:], false); open > 0 || need {
			return true
		}
	}
	return false
}

// refusedBare reports whether text, written as it is inside a construct
// (an HTML tag, a definition's title), holds a bare URL that bare would
// neutralize.
func refusedBare(text []byte, hosts *Hosts) bool {
	for k := 0; k < len(text); k++ {
		if !mayStart[text[k]] || !boundary(text, k, false) {
			continue
		}
		if open, _ := opensURL(text[k:], true); open > 0 {
			end, _ := bareEnd(text[k:], open, true, &endsURL)
			if judgeBare(text[k:k+end], hosts).refuse {
				return true
			}
		}
	}
	return false
}
