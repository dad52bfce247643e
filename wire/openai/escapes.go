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

// FoldsKey reports whether data holds a JSON string that encoding/json
// would read as one of keys without its being spelled as it: the same
// letters in another case ("Thread", "USAGE"), or with ſ or K, which fold
// to s and k (encoding/json matches a key to a field as bytes.EqualFold
// does). Strings are read as JSON writes them (an escaped quote is inside
// one); a string value may pass for a key, which costs only a decode. A
// byte test for a key that a decoder of a struct reads must pass these
// too. keys are ASCII, spelled as the decoder's tags spell them.
func FoldsKey(data []byte, keys ...string) bool {
	shortest, longest := len(keys[0]), 0
	for _, k := range keys {
		shortest, longest = min(shortest, len(k)), max(longest, 2*len(k)) // ſ and K are longer
	}
	for {
		i := bytes.IndexByte(data, '"')
		if i < 0 {
			return false
		}
		n := stringEnd(data[i+1:])
		if n < 0 {
			return false
		}
		if s := data[i+1 : i+1+n]; len(s) >= shortest && len(s) <= longest {
			for _, k := range keys {
				if string(s) != k && bytes.EqualFold(s, []byte(k)) {
					return true
				}
			}
		}
		data = data[i+1+n+1:]
	}
}

// stringEnd returns the index in s of the quote that ends the JSON string
// s starts inside of, or -1.
func stringEnd(s []byte) int {
	for i := 0; i < len(s); {
		j := bytes.IndexAny(s[i:], `"\`)
		if j < 0 {
			return -1
		}
		if s[i+j] == '"' {
			return i + j
		}
		i += j + 2 // the backslash and the byte it escapes
	}
	return -1
}
