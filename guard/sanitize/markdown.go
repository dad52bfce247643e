package sanitize

import "bytes"

// This file recognizes the Markdown and HTML constructs that make a
// client fetch or link a URL: inline links and images, reference
// definitions, autolinks and HTML tags with URL attributes. It errs on the
// side of seeing a link: a space between "]" and "(" (old Markdown.pl
// accepts it) or a destination with spaces still count, so that no
// renderer shows a link the sanitizer let through.

// kind is what starts at a position of the text.
type kind uint8

const (
	kNone     kind = iota // nothing: the first byte is ordinary text
	kNeed                 // more text could change the answer
	kLink                 // [text](dest)
	kImage                // ![alt](dest)
	kRefDef               // [label]: dest, at a line start
	kAutolink             // <scheme:…>
	kTag                  // an HTML tag with URL attributes
	kTooLong              // longer than the bounds: its opener is escaped
	kInactive             // a link whose text holds a link: no link, its opener escaped
)

// Bounds of a construct, so that the text held back while a stream
// decides stays small. A longer construct is not a link to the sanitizer,
// and its opener is escaped so that it is not one to a renderer either.
const (
	maxText = 2048 // link text or image alt
	maxDest = 2048 // destination and title
	maxTag  = 2048 // an HTML tag
)

// construct is what parse found at a position.
type construct struct {
	kind kind
	end  int // bytes it spans from its start
	// text (link text, alt or label) and dest (the URL, for a link,
	// image, reference definition or autolink) are offsets from the start.
	textStart, textEnd int
	destStart, destEnd int
	// inner are the destinations of links inside an image's alt text.
	inner [][2]int
	// urls and alt are a tag's URL attributes and alt attribute.
	urls []string
	alt  string
	img  bool // an <img> tag
	// ambiguous reports a tag with a '<' in an attribute's name or
	// unquoted value: a tag to HTML (`<a href=https://evil.example/<x>`),
	// but not to Markdown, which reads an autolink in it on its own
	// (`<img <https://evil.example/>`). It is refused whole.
	ambiguous bool
}

// need is kNone once the text is final (no more will come), else kNeed.
func need(final bool) construct {
	if final {
		return construct{kind: kNone}
	}
	return construct{kind: kNeed}
}

// parseBracket parses what starts at b[0] == '[' or b[0:2] == "![".
// lineStart reports that b[0] starts a line (after up to three spaces),
// where "[label]: dest" defines a reference.
func parseBracket(b []byte, final, lineStart bool) construct {
	image := b[0] == '!'
	ts := 1
	if image {
		ts = 2
	}
	te, c := closeBracket(b, ts, final)
	if c.kind != kLink {
		return c
	}
	m := te + 1
	if lineStart && !image && m < len(b) && b[m] == ':' && validLabel(b[ts:te]) {
		return parseRefDef(b, ts, te, final)
	}
	for m < len(b) && (b[m] == ' ' || b[m] == '\t') {
		m++
	}
	if m >= len(b) {
		return need(final)
	}
	if b[m] != '(' {
		return construct{kind: kNone}
	}
	ds, de, end, c := parseDest(b, m+1, final)
	if c.kind != kLink {
		return c
	}
	k := kLink
	if image {
		k = kImage
	}
	c = construct{kind: k, end: end, textStart: ts, textEnd: te, destStart: ds, destEnd: de}
	return innerLinks(b, c, final)
}

// innerLinks looks in a link's or image's text for links of their own.
// CommonMark pairs a ']' with the nearest '[' before it, and a link
// cannot hold a link: in "[[x](u1)](u2)" only [x](u1) is one, and its
// destination may run past the outer text ("[[](https://evil/]())"). So
// a link whose text holds a link is no link (its '[' is text — escaped,
// so that it stays text once the inner link is neutralized — and what
// follows is read again); an image keeps its alt text, and the inner
// destinations are judged with its own (inner).
func innerLinks(b []byte, c construct, final bool) construct {
	for k := c.textStart; k < c.textEnd; k++ {
		if b[k] != ']' || escapedAt(b, k) {
			continue
		}
		j := k + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		if j >= len(b) || b[j] != '(' {
			continue
		}
		open := openerOf(b, c.textStart, k)
		if open < 0 || open > 0 && b[open-1] == '!' && !escapedAt(b, open-1) {
			continue // no opener in the text, or an image (a badge): sanitized with the text
		}
		ds, de, _, ic := parseDest(b, j+1, final)
		switch ic.kind {
		case kNeed, kTooLong:
			return ic
		case kLink:
			if c.kind == kLink {
				// Not a link; its '[' is escaped, or neutralizing the
				// inner link would make it one.
				return construct{kind: kInactive}
			}
			c.inner = append(c.inner, [2]int{ds, de})
		}
	}
	return c
}

// openerOf returns the '[' that the ']' at b[k] closes, searching back to
// b[from]; -1 when there is none.
func openerOf(b []byte, from, k int) int {
	depth := 0
	for i := k - 1; i >= from; i-- {
		if escapedAt(b, i) {
			continue
		}
		switch b[i] {
		case ']':
			depth++
		case '[':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// escapedAt reports whether b[i] follows an odd number of backslashes.
func escapedAt(b []byte, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && b[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// closeBracket finds the ']' that closes the '[' before b[ts]; it returns
// its offset with kind kLink, or why there is none. An inner bracket pair
// followed by a destination is an inner link or image, whose destination
// (which may hold a ']') is skipped whole, as CommonMark resolves inner
// brackets first.
func closeBracket(b []byte, ts int, final bool) (int, construct) {
	depth := 1
	for k := ts; k < len(b); k++ {
		if k-ts > maxText {
			return 0, construct{kind: kTooLong}
		}
		switch b[k] {
		case '\\':
			k++
		case '[':
			depth++
		case ']':
			if depth--; depth == 0 {
				return k, construct{kind: kLink}
			}
			if k+1 < len(b) && b[k+1] == '(' {
				_, _, end, c := parseDest(b, k+2, final)
				switch c.kind {
				case kLink:
					k = end - 1
				case kNeed, kTooLong:
					return 0, c
				}
			} else if k+1 >= len(b) {
				return 0, need(final)
			}
		case '\n':
			if blank, known := blankLineAt(b, k+1); !known {
				return 0, need(final)
			} else if blank {
				return 0, construct{kind: kNone} // a link does not span paragraphs
			}
		}
	}
	return 0, need(final)
}

// blankLineAt reports whether the line at b[i] is blank, and whether that
// is known yet.
func blankLineAt(b []byte, i int) (blank, known bool) {
	for ; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\r':
		case '\n':
			return true, true
		default:
			return false, true
		}
	}
	return false, false
}

// parseDest parses a destination and title after "(" at b[i-1], up to
// the closing ')'. It returns the destination's bounds and the end of the
// construct, with kind kLink, or why there is none.
func parseDest(b []byte, i int, final bool) (ds, de, end int, c construct) {
	start := i
	newline := false
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' && !newline) {
		newline = newline || b[i] == '\n'
		i++
	}
	if i >= len(b) {
		return 0, 0, 0, need(final)
	}
	ds = i
	if b[i] == '<' {
		j := bytes.IndexAny(b[i+1:], ">\n")
		if j < 0 {
			return 0, 0, 0, bounded(len(b)-start, final)
		}
		ds, de = i+1, i+1+j
	} else {
		depth := 0
	scan:
		for de = i; de < len(b); de++ {
			switch b[de] {
			case '\\':
				de++
			case '(':
				depth++
			case ')':
				if depth == 0 {
					break scan
				}
				depth--
			case ' ', '\t', '\n':
				break scan
			}
		}
		if de >= len(b) {
			return 0, 0, 0, bounded(len(b)-start, final)
		}
		if depth > 0 {
			return 0, 0, 0, construct{kind: kNone} // unbalanced: no destination
		}
	}
	// the closing ')', past a title or anything else
	depth := 0
	for k := de; k < len(b); k++ {
		if k-start > maxDest {
			return 0, 0, 0, construct{kind: kTooLong}
		}
		switch b[k] {
		case '\\':
			k++
		case '(':
			depth++
		case ')':
			if depth == 0 {
				return ds, de, k + 1, construct{kind: kLink}
			}
			depth--
		case '\n':
			if blank, known := blankLineAt(b, k+1); !known {
				return 0, 0, 0, need(final)
			} else if blank {
				return 0, 0, 0, construct{kind: kNone}
			}
		}
	}
	return 0, 0, 0, bounded(len(b)-start, final)
}

// bounded is need, or kTooLong once n bytes exceed maxDest.
func bounded(n int, final bool) construct {
	if n > maxDest {
		return construct{kind: kTooLong}
	}
	return need(final)
}

// validLabel reports whether a reference label is one: not blank, no
// unescaped bracket.
func validLabel(l []byte) bool {
	if len(bytesTrim(l)) == 0 {
		return false
	}
	for i, c := range l {
		if (c == '[' || c == ']') && !escapedAt(l, i) {
			return false
		}
	}
	return true
}

// parseRefDef parses "[label]: dest" with the label at b[ts:te].
func parseRefDef(b []byte, ts, te int, final bool) construct {
	i := te + 2
	newline := false
	for i < len(b) && (b[i] == ' ' || b[i] == '\t' || b[i] == '\n' && !newline) {
		newline = newline || b[i] == '\n'
		i++
	}
	if i >= len(b) {
		return need(final)
	}
	ds, de := i, i
	if b[i] == '<' {
		j := bytes.IndexAny(b[i+1:], ">\n")
		if j < 0 {
			return bounded(len(b)-i, final)
		}
		ds, de = i+1, i+1+j
		return construct{kind: kRefDef, end: de + 1, textStart: ts, textEnd: te, destStart: ds, destEnd: de}
	}
	for de < len(b) && b[de] != ' ' && b[de] != '\t' && b[de] != '\n' {
		de++
	}
	if de >= len(b) && !final {
		return bounded(de-ds, final)
	}
	if de-ds > maxDest {
		return construct{kind: kTooLong}
	}
	return construct{kind: kRefDef, end: de, textStart: ts, textEnd: te, destStart: ds, destEnd: de}
}
