package llm

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClip(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", ""},
		{"batch_abc", "batch_abc"},
		{strings.Repeat("x", MaxEcho), strings.Repeat("x", MaxEcho)},
		{strings.Repeat("x", 5000), strings.Repeat("x", MaxEcho) + "…"},
		// A rune astride the cut is dropped whole.
		{strings.Repeat("x", MaxEcho-1) + "é" + "yyy", strings.Repeat("x", MaxEcho-1) + "…"},
	} {
		got := Clip(tt.in)
		if got != tt.want || !utf8.ValidString(got) {
			t.Errorf("Clip(%d bytes) = %q, want %q", len(tt.in), got, tt.want)
		}
	}
}
