package openai

import "bytes"

// EscapesLetter reports whether data holds a \u escape of an ASCII letter
// or underscore (\u0040 to \u007f: the letters, "_" and a few signs), one
// that may spell a key or a word a cheap byte test looks for before
// decoding (valid JSON, which the decoders read as the plain letter).
// Escapes of text outside ASCII (\u00e9, \u2014) and of HTML's signs
// (\u003c) do not count, so the text of most answers passes without it.
func EscapesLetter(data []byte) bool {
	for {
		i := bytes.Index(data, []byte(`\u00`))
		if i < 0 || i+4 >= len(data) {
			return false
		}
		if c := data[i+4]; c >= '4' && c <= '7' {
			return true
		}
		data = data[i+4:]
	}
}
