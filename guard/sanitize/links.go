package sanitize

import (
	"bytes"
	"strings"
)

// linker neutralizes the links and images of a Markdown text given piece
// by piece. It holds back only what could still become a link (from a
// '[', "![" or '<' on) and decides everything from the text itself, never
// from where the pieces were cut, so the pieces' outputs put together are
// the output of the whole text.
type linker struct {
	hosts *Hosts
	buf   []byte // text not decided yet
	out   []byte
	// fence is the character of the open fenced code block ('`' or '~'),
	// 0 outside one; fenceLen its length. Links in code are not rendered.
	fence    byte
	fenceLen int
	// lineStart reports that buf starts a line.
	lineStart bool
	depth     int // nesting of link texts sanitized within one another
	links     int // links neutralized
	images    int // images neutralized
	urls      int // bare URLs neutralized
	// prevAlnum reports that the last byte consumed (before buf) is an
	// ASCII letter or digit: a bare URL cannot start right after it.
	prevAlnum bool
}

// maxDepth bounds the nesting of link texts sanitized recursively; deeper
// brackets are escaped.
const maxDepth = 8

func newLinker(hosts *Hosts) *linker { return &linker{hosts: hosts, lineStart: true} }

// write takes the next piece of text and returns what is decided (final:
// all of it, the text is over). The result is valid until the next call.
func (l *linker) write(p string, final bool) []byte {
	l.buf = append(l.buf, p...)
	l.out = l.out[:0]
	i := l.process(final)
	if i > 0 {
		l.prevAlnum = isAlnum(l.buf[i-1])
	}
	l.buf = append(l.buf[:0], l.buf[i:]...)
	return l.out
}

// special marks the bytes that may start a construct or end a line.
var special = [256]bool{'[': true, '!': true, '<': true, '\\': true, '\n': true}

// process decides as much of buf as it can and returns how much.
func (l *linker) process(final bool) int {
	b := l.buf
	i := 0
	for i < len(b) {
		if l.lineStart {
			n, ok := l.startLine(b[i:], final)
			if !ok {
				return i
			}
			i += n
			continue
		}
		if l.fence != 0 {
			i += l.codeLine(b[i:])
			continue
		}
		j := i
		for j < len(b) && !special[b[j]] && !(mayStart[b[j]] && boundary(b, j, l.prevAlnum)) {
			j++
		}
		l.out = append(l.out, b[i:j]...)
		if i = j; i >= len(b) {
			break
		}
		if mayStart[b[i]] {
			n := l.bare(b[i:], final)
			switch {
			case n == 0:
				return i
			case n < 0:
				l.out = append(l.out, b[i])
				n = 1
			}
			i += n
			continue
		}
		n := l.at(b[i:], final, false)
		if n == 0 {
			return i
		}
		i += n
	}
	return i
}

// codeLine copies the rest of a line of a fenced code block.
func (l *linker) codeLine(b []byte) int {
	for k, c := range b {
		if c == '\n' {
			l.out = append(l.out, b[:k+1]...)
			l.lineStart = true
			return k + 1
		}
	}
	l.out = append(l.out, b...)
	return len(b)
}

// startLine handles the start of a line: indentation, a code fence
// opening or closing, or the '[' of a reference definition. It returns
// the bytes consumed, or false when more text is needed.
func (l *linker) startLine(b []byte, final bool) (int, bool) {
	sp := 0
	for sp < len(b) && sp < 4 && b[sp] == ' ' {
		sp++
	}
	if sp == len(b) && !final {
		return 0, false
	}
	if sp < 4 && sp < len(b) && (b[sp] == '`' || b[sp] == '~') {
		run := sp
		for run < len(b) && b[run] == b[sp] {
			run++
		}
		if run == len(b) && !final {
			return 0, false
		}
		n := run - sp
		switch {
		case l.fence == 0 && n >= 3:
			l.fence, l.fenceLen = b[sp], n
			l.out = append(l.out, b[:run]...)
			l.lineStart = false
			return run, true
		case l.fence == b[sp] && n >= l.fenceLen:
			rest, ok := restBlank(b[run:], final)
			if !ok {
				return 0, false
			}
			if rest >= 0 {
				l.fence, l.fenceLen = 0, 0
				l.out = append(l.out, b[:run+rest]...)
				return run + rest, true // the next line starts
			}
		}
	}
	l.lineStart = false
	if l.fence != 0 || sp >= 4 || sp == len(b) || b[sp] != '[' {
		l.out = append(l.out, b[:sp]...)
		return sp, true
	}
	l.out = append(l.out, b[:sp]...)
	n := l.at(b[sp:], final, true)
	if n == 0 {
		// undo: the line start is decided again when more text comes
		l.out = l.out[:len(l.out)-sp]
		l.lineStart = true
		return 0, false
	}
	return sp + n, true
}

// restBlank reports the length of the rest of a line (its '\n'
// included) when it is blank, -1 when it is not, and false when that is
// not known yet.
func restBlank(b []byte, final bool) (int, bool) {
	for k, c := range b {
		switch c {
		case ' ', '\t', '\r':
		case '\n':
			return k + 1, true
		default:
			return -1, true
		}
	}
	if final {
		return len(b), true
	}
	return 0, false
}

// at handles the special byte at b[0]; it returns the bytes consumed, or
// 0 when more text is needed.
func (l *linker) at(b []byte, final, lineStart bool) int {
	switch b[0] {
	case '\n':
		l.out = append(l.out, '\n')
		l.lineStart = true
		return 1
	case '\\':
		if len(b) == 1 {
			if !final {
				return 0
			}
			l.out = append(l.out, '\\')
			return 1
		}
		l.out = append(l.out, b[:2]...)
		if b[1] == '\n' {
			l.lineStart = true
		}
		return 2
	case '!':
		if len(b) == 1 && !final {
			return 0
		}
		if len(b) == 1 || b[1] != '[' {
			l.out = append(l.out, '!')
			return 1
		}
		return l.construct(b, parseBracket(b, final, false))
	case '[':
		return l.construct(b, parseBracket(b, final, lineStart))
	}
	return l.construct(b, parseAngle(b, final))
}

// construct writes the construct c found at b[0] and returns its length
// (0 when more text is needed).
func (l *linker) construct(b []byte, c construct) int {
	switch c.kind {
	case kNeed:
		return 0
	case kNone:
		l.out = append(l.out, b[0])
		return 1
	case kTooLong, kInactive:
		return l.escapeOpener(b)
	case kLink, kImage:
		l.inline(b, &c)
	case kRefDef:
		l.refDef(b, &c)
	case kAutolink:
		if allowedURL(string(b[c.destStart:c.destEnd]), l.hosts) {
			l.out = append(l.out, b[:c.end]...)
		} else {
			l.links++
			l.out = append(l.out, linkRemoved...)
		}
	case kTag:
		l.tag(b, &c)
	}
	return c.end
}

// The texts that replace what is neutralized: "[link removed]" and
// "[image removed]" as Markdown shows them, their brackets escaped so that
// they cannot become part of a link with the text around them.
const (
	linkRemoved  = `\[link removed\]`
	imageRemoved = `\[image removed\]`
	// refRemoved replaces a refused link's or reference definition's
	// destination: a fragment of the page itself, which fetches and leaks
	// nothing.
	refRemoved = "#link-removed"
)

// escapeOpener writes the opener of a construct too long to judge,
// escaped so that no renderer starts a link there, and returns its length.
func (l *linker) escapeOpener(b []byte) int {
	switch b[0] {
	case '!':
		l.out = append(l.out, "!\\["...)
		return 2
	case '[':
		l.out = append(l.out, "\\["...)
		return 1
	}
	l.out = append(l.out, "&lt;"...)
	return 1
}

// inline writes an inline link or image: as it is when its destination is
// allowed (its text sanitized in turn); else an image becomes its alt text
// and a note, and a link points at the page itself, its text followed by
// a note.
func (l *linker) inline(b []byte, c *construct) {
	text := b[c.textStart:c.textEnd]
	if l.allowedInline(b, c) {
		l.out = append(l.out, b[:c.textStart]...)
		l.out = append(l.out, l.sanitizeText(text)...)
		l.out = append(l.out, b[c.textEnd:c.end]...)
		return
	}
	if c.kind == kImage {
		l.images++
		if len(bytesTrim(text)) > 0 {
			l.out = appendEscaped(l.out, text)
			l.out = append(l.out, ' ')
		}
		l.out = append(l.out, imageRemoved...)
		return
	}
	// A refused link keeps its brackets, pointing at the page itself: a
	// link deactivates the brackets before it (CommonMark), and removing
	// its brackets could turn them into a link.
	l.links++
	l.out = append(l.out, '[')
	l.out = append(l.out, l.sanitizeText(text)...)
	l.out = append(l.out, ' ')
	l.out = append(l.out, linkRemoved...)
	l.out = append(l.out, "]("...)
	l.out = append(l.out, refRemoved...)
	l.out = append(l.out, ')')
}

// allowedInline reports whether an inline link's or image's destination,
// the text after it and the destinations of links in an image's alt text
// are all allowed.
func (l *linker) allowedInline(b []byte, c *construct) bool {
	if !allowedURL(string(b[c.destStart:c.destEnd]), l.hosts) || refusedToken(b[c.destEnd:c.end-1], l.hosts) {
		return false
	}
	for _, d := range c.inner {
		if !allowedURL(string(b[d[0]:d[1]]), l.hosts) {
			return false
		}
	}
	return true
}

// refusedToken reports whether the text after a destination (a title, or
// what a lenient renderer might take for the destination: "(ht\ttps://…)")
// holds a URL that is refused.
func refusedToken(rest []byte, hosts *Hosts) bool {
	for _, f := range bytes.Fields(rest) {
		f = bytes.Trim(f, "\"'()<>")
		u := string(f)
		if asciiEqualFold(f[:min(len(f), 4)], "www.") {
			u = "http://" + u
		}
		if (strings.Contains(u, "://") || strings.HasPrefix(u, "//")) && !allowedURL(u, hosts) {
			return true
		}
	}
	return false
}

// sanitizeText sanitizes a link's text, which may hold images and links
// of its own (a badge: [![build](…/badge.svg)](…)).
func (l *linker) sanitizeText(text []byte) []byte {
	if l.depth >= maxDepth {
		return appendEscaped(nil, text)
	}
	inner := &linker{hosts: l.hosts, depth: l.depth + 1}
	out := inner.write(string(text), true)
	l.links += inner.links
	l.images += inner.images
	l.urls += inner.urls
	return out
}

// refDef writes a reference definition, its destination replaced when
// refused (the references to it then point at the page itself).
func (l *linker) refDef(b []byte, c *construct) {
	if allowedURL(string(b[c.destStart:c.destEnd]), l.hosts) && !refusedBare(b[c.destEnd:c.end], l.hosts) {
		l.out = append(l.out, b[:c.end]...)
		return
	}
	l.links++
	start := c.destStart
	if start > 0 && b[start-1] == '<' {
		start--
	}
	l.out = append(l.out, b[:start]...)
	l.out = append(l.out, refRemoved...)
}
