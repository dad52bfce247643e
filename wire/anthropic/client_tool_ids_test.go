package anthropic

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestClientToolID(t *testing.T) {
	for _, id := range []string{"toolu_01A09q90qw90lq917835lq9", "call_abc", "functions.get_weather:0", "call_1|fc_2", "a b", "é"} {
		got := ClientToolID(id)
		if !validToolID(got) || OriginalToolID(got) != id || validToolID(id) && got != id {
			t.Errorf("ClientToolID(%q) = %q, back %q", id, got, OriginalToolID(got))
		}
	}
	// An id the API takes is its own, even with the prefix.
	for _, id := range []string{clientToolIDPrefix, clientToolIDPrefix + "!!", clientToolIDPrefix + "Y2FsbF9h" /* call_a */} {
		if OriginalToolID(id) != id {
			t.Errorf("OriginalToolID(%q) = %q", id, OriginalToolID(id))
		}
	}
	if n := testing.AllocsPerRun(100, func() { _ = ClientToolID("toolu_01A09q90qw90lq917835lq9") }); n != 0 {
		t.Errorf("a valid id allocates %v times", n)
	}
}

// OriginalToolID reads ids clients send: whatever they are, it returns an
// id, and the ids ClientToolID writes come back as they were.
func FuzzClientToolID(f *testing.F) {
	for _, s := range []string{"functions.get_weather:0", "call_1|fc_2", "toolu_01", clientToolIDPrefix + "ZnVuY3Rpb25zLmE6MA", clientToolIDPrefix + "=="} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, id string) {
		back := OriginalToolID(id)
		if back != id && (validToolID(back) || !utf8.ValidString(back)) {
			t.Fatalf("OriginalToolID(%q) = %q", id, back)
		}
		if !utf8.ValidString(id) || id == "" || strings.HasPrefix(id, clientToolIDPrefix) {
			return
		}
		if c := ClientToolID(id); !validToolID(c) || OriginalToolID(c) != id {
			t.Fatalf("ClientToolID(%q) = %q, back %q", id, c, OriginalToolID(c))
		}
	})
}
