package cost

import (
	"strings"
	"testing"
	"time"
)

func TestSampleTokens(t *testing.T) {
	Warm()
	line := "The rivers of Europe carried trade for centuries; barges moved grain, salt and timber. "
	short := strings.Repeat(line, 100)
	if got, want := SampleTokens(short, len(short)), Tokens(short); got != want {
		t.Errorf("a text under the bound: %d tokens, want the exact %d", got, want)
	}
	long := strings.Repeat(line, (4<<20)/len(line)) // 4 MiB
	start := time.Now()
	got := SampleTokens(long, len(long))
	took := time.Since(start)
	exact := Tokens(long)
	if d := float64(got-exact) / float64(exact); d < -0.01 || d > 0.01 {
		t.Errorf("4 MiB of prose: %d tokens estimated, %d exact", got, exact)
	}
	t.Logf("4 MiB estimated in %s", took)
	if got := SampleTokens("", 400); got != 100 {
		t.Errorf("no sample of 400 bytes: %d tokens, want 100 (4 bytes a token)", got)
	}
	if got := SampleTokens("", 0); got != 0 {
		t.Errorf("nothing: %d tokens", got)
	}
}

// TestSampleKeepsABoundedPrefix checks that a Sample keeps at most
// MaxTokenized bytes, cut on a rune boundary, and counts everything.
func TestSampleKeepsABoundedPrefix(t *testing.T) {
	var s Sample
	piece := strings.Repeat("é", 1000) // 2000 bytes
	for range 100 {
		s.WriteString(piece)
	}
	if s.Len() != 200_000 {
		t.Errorf("Len = %d, want 200000", s.Len())
	}
	kept := s.kept.String()
	if len(kept) > MaxTokenized || len(kept) < MaxTokenized-1 || !strings.HasSuffix(kept, "é") {
		t.Errorf("kept %d bytes ending %q", len(kept), kept[len(kept)-2:])
	}
	if got, want := s.Tokens(), SampleTokens(kept, 200_000); got != want || got <= Tokens(kept) {
		t.Errorf("Tokens = %d, want %d, more than the kept part's %d", got, want, Tokens(kept))
	}
}
