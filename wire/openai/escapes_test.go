package openai

import (
	"fmt"
	"testing"
)

func TestEscapesLetter(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{`{"\u0075sage":{}}`, true},
		{`{"type":"e\u0072ror"}`, true},
		{`{"reasoning\u005fdetails":[]}`, true},
		{`{"usage\u004Detadata":{}}`, true},
		{`{"content":"caf\u00e9 \u2014 \u003cb\u003e"}`, false},
		{`{"content":"a\nb\"c\\u0065"}`, true}, // an escaped backslash: passing costs only a decode
		{`{"content":"\u00`, false},
		{`\u0`, false},
	} {
		if got := EscapesLetter([]byte(tt.data)); got != tt.want {
			t.Errorf("EscapesLetter(%s) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

// FuzzEscapesLetter checks that any ASCII letter or underscore of a word,
// spelled with a \u escape in either case of hex digit, passes the test.
func FuzzEscapesLetter(f *testing.F) {
	f.Add("usage", uint(0), false)
	f.Add("reasoning_details", uint(9), true)
	f.Fuzz(func(t *testing.T, word string, at uint, upper bool) {
		if word == "" {
			return
		}
		i := int(at % uint(len(word)))
		c := word[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return
		}
		format := `\u%04x`
		if upper {
			format = `\u%04X`
		}
		data := `{"` + word[:i] + fmt.Sprintf(format, c) + word[i+1:] + `":1}`
		if !EscapesLetter([]byte(data)) {
			t.Fatalf("EscapesLetter(%s) = false", data)
		}
	})
}
