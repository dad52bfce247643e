package llm

import "unicode/utf8"

// MaxEcho is the most bytes of a client's value (an id, a model name, a
// parameter's value) an error message quotes back: a 5000-character id
// in a path must not come back whole, nor fill a log line.
const MaxEcho = 100

// Clip returns s for quoting back in an error message: whole when at
// most MaxEcho bytes, else its first MaxEcho bytes (cut on a rune
// boundary) and "…".
func Clip(s string) string {
	if len(s) <= MaxEcho {
		return s
	}
	i := MaxEcho
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
