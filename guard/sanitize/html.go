package sanitize

import "bytes"

// This file recognizes autolinks (<https://…>) and HTML tags with URL
// attributes.

// parseAngle parses what starts at b[0] == '<': an autolink or an HTML
// tag.
func parseAngle(b []byte, final bool) construct {
	i := 1
	for i < len(b) && (isAlpha(b[i]) || i > 1 && (b[i] >= '0' && b[i] <= '9' || b[i] == '+' || b[i] == '.' || b[i] == '-')) {
		i++
	}
	if i >= len(b) {
		return bounded(i, final)
	}
	if i == 1 {
		return construct{kind: kNone} // "</a>", "<!--", "< 3"
	}
	if b[i] == ':' {
		for j := i + 1; j < len(b); j++ {
			switch c := b[j]; {
			case j > maxDest:
				return construct{kind: kTooLong}
			case c == '>':
				return construct{kind: kAutolink, end: j + 1, destStart: 1, destEnd: j}
			case c <= ' ' || c == '<':
				return construct{kind: kNone}
			}
		}
		return bounded(len(b), final)
	}
	if b[i] != ' ' && b[i] != '\t' && b[i] != '\n' && b[i] != '/' && b[i] != '>' {
		return construct{kind: kNone}
	}
	return parseTag(b, i, final)
}

// parseTag reads an HTML tag's attributes from b[i] to its '>'.
func parseTag(b []byte, i int, final bool) construct {
	c := construct{kind: kTag, img: asciiEqualFold(b[1:i], "img")}
	for i < len(b) {
		if i > maxTag {
			return construct{kind: kTooLong}
		}
		switch b[i] {
		case '>':
			c.end = i + 1
			return c
		case ' ', '\t', '\n', '\r', '/':
			i++
			continue
		}
		ns := i
		if b[i] == '=' {
			i++ // an "=" where a name starts begins the name, as HTML reads it: `<img src=//x =">` is a whole tag
		}
		for i < len(b) && !isSpace(b[i]) && b[i] != '=' && b[i] != '>' {
			c.ambiguous = c.ambiguous || b[i] == '<'
			i++
		}
		name := b[ns:i]
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			break
		}
		if b[i] != '=' {
			continue
		}
		i++
		for i < len(b) && isSpace(b[i]) {
			i++
		}
		if i >= len(b) {
			break
		}
		vs, ve := i, i
		if q := b[i]; q == '"' || q == '\'' {
			j := bytes.IndexByte(b[i+1:], q)
			if j < 0 {
				break
			}
			vs, ve, i = i+1, i+1+j, i+2+j
		} else {
			for i < len(b) && !isSpace(b[i]) && b[i] != '>' {
				c.ambiguous = c.ambiguous || b[i] == '<'
				i++
			}
			ve = i
		}
		c.attribute(name, string(b[vs:ve]))
	}
	if len(b) > maxTag {
		return construct{kind: kTooLong}
	}
	return need(final)
}

// urlAttributes are the HTML attributes that load or link a URL.
var urlAttributes = []string{"src", "href", "srcset", "poster", "data", "action", "formaction", "background", "lowsrc", "dynsrc", "xlink:href"}

// attribute records a tag's URL or alt attribute.
func (c *construct) attribute(name []byte, value string) {
	if asciiEqualFold(name, "alt") {
		c.alt = value
		return
	}
	for _, a := range urlAttributes {
		if !asciiEqualFold(name, a) {
			continue
		}
		if a != "srcset" {
			c.urls = append(c.urls, value)
			return
		}
		for _, part := range bytes.Split([]byte(value), []byte(",")) {
			if f := bytes.Fields(part); len(f) > 0 {
				c.urls = append(c.urls, string(f[0]))
			}
		}
		return
	}
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		c := b[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != s[i] {
			return false
		}
	}
	return true
}

// tag writes an HTML tag as it is when all its URLs are allowed, else its
// alt text (an image) or a note in its place.
func (l *linker) tag(b []byte, c *construct) {
	// A bare URL with data in the tag's text, or a tag Markdown does not
	// read as one (an autolink inside it may be a link to Markdown).
	refused := c.ambiguous || refusedBare(b[:c.end], l.hosts)
	for _, u := range c.urls {
		if allowedURL(u, l.hosts) && !refused {
			continue
		}
		if c.img {
			l.images++
			if c.alt != "" {
				l.out = appendEscaped(l.out, []byte(c.alt))
				l.out = append(l.out, ' ')
			}
			l.out = append(l.out, imageRemoved...)
			return
		}
		l.links++
		l.out = append(l.out, linkRemoved...)
		return
	}
	if refused {
		l.urls++
		l.out = append(l.out, linkRemoved...)
		return
	}
	l.out = append(l.out, b[:c.end]...)
}

// appendEscaped appends text with the characters that could start or
// close a link or a tag backslash-escaped, and line breaks as spaces.
func appendEscaped(dst, text []byte) []byte {
	for _, c := range text {
		switch c {
		case '[', ']', '<', '>', '!', '(', ')', '\\':
			dst = append(dst, '\\', c)
		case '\n', '\r':
			dst = append(dst, ' ')
		default:
			dst = append(dst, c)
		}
	}
	return dst
}

func bytesTrim(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
