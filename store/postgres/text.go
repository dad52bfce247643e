package postgres

import "strings"

// PostgreSQL's text and jsonb types cannot hold U+0000, which any prompt
// or answer may contain (its JSON escapes it as \u0000): one such row
// would fail the INSERT of its whole batch, on every retry, until the
// writer dropped the batch and everything behind it. Such characters are
// stored as U+FFFD, the replacement character, instead.

// escapedNUL is how encoding/json writes U+0000 in a string.
const escapedNUL = `\u0000`

// storable returns v as PostgreSQL can store it: a string with every NUL,
// raw or JSON-escaped, replaced by U+FFFD; anything else as is.
func storable(v any) any {
	s, ok := v.(string)
	if !ok || !strings.Contains(s, "\x00") && !strings.Contains(s, escapedNUL) {
		return v
	}
	s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	var b strings.Builder
	for {
		i := strings.Index(s, escapedNUL)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		if escaped(s, i) {
			b.WriteString(`\ufffd`)
		} else {
			b.WriteString(escapedNUL) // the text \u0000 itself, its backslash escaped
		}
		s = s[i+len(escapedNUL):]
	}
}

// escaped reports whether the backslash at s[i] starts an escape: an even
// number of backslashes precede it (each pair is an escaped backslash).
func escaped(s string, i int) bool {
	n := 0
	for i-n-1 >= 0 && s[i-n-1] == '\\' {
		n++
	}
	return n%2 == 0
}
