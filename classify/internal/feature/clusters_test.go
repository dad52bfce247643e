package feature

import (
	"errors"
	"slices"
	"testing"
)

// mustKey returns a word's key, failing the test for a word that is not one.
func mustKey(t *testing.T, w string) uint32 {
	t.Helper()
	k, ok := WordKey(w)
	if !ok {
		t.Fatalf("WordKey(%q) not ok", w)
	}
	return k
}

func TestWordKey(t *testing.T) {
	for _, w := range []string{"poem", "Poem", "POEM"} {
		if mustKey(t, w) != mustKey(t, "poem") {
			t.Errorf("WordKey(%q) differs from WordKey(poem)", w)
		}
	}
	if mustKey(t, "café") != mustKey(t, "CAFÉ") || mustKey(t, "привет") != mustKey(t, "Привет") {
		t.Error("non-ASCII case is not folded")
	}
	for _, w := range []string{"", "don't", "e-mail", "日本", "two words", " poem", "poem!"} {
		if _, ok := WordKey(w); ok {
			t.Errorf("WordKey(%q) ok, want not one word token", w)
		}
	}
	// The extractor reports the same keys for the words of a text.
	var x Extractor
	x.Reset(12, nil)
	x.Run(&Input{Main: "Write a SONNET, about café life"})
	want := []uint32{mustKey(t, "write"), mustKey(t, "a"), mustKey(t, "sonnet"), mustKey(t, "about"), mustKey(t, "café"), mustKey(t, "life")}
	if got := x.Words(); !slices.Equal(got, want) {
		t.Errorf("Words() = %x, want %x", got, want)
	}
}

func TestNewClustersRejectsBadTables(t *testing.T) {
	k1, k2 := mustKey(t, "poem"), mustKey(t, "sonnet")
	tests := []struct {
		name   string
		keys   []uint32
		paths  []uint16
		depth  int
		levels uint32
	}{
		{"empty", nil, nil, 4, 1 << 4},
		{"lengths differ", []uint32{k1}, []uint16{1, 2}, 4, 1 << 4},
		{"depth 0", []uint32{k1}, []uint16{0}, 0, 1},
		{"depth 17", []uint32{k1}, []uint16{0}, 17, 1 << 4},
		{"no level", []uint32{k1}, []uint16{0}, 4, 0},
		{"level 0", []uint32{k1}, []uint16{0}, 4, 1},
		{"level below the tree", []uint32{k1}, []uint16{0}, 4, 1 << 5},
		{"zero key", []uint32{0}, []uint16{0}, 4, 1 << 4},
		{"key twice", []uint32{k1, k2, k1}, []uint16{0, 1, 2}, 4, 1 << 4},
		{"path too deep", []uint32{k1}, []uint16{1 << 4}, 4, 1 << 4},
	}
	for _, tt := range tests {
		if _, err := NewClusters(tt.keys, tt.paths, tt.depth, tt.levels, false); !errors.Is(err, ErrBadClusters) {
			t.Errorf("%s: error %v, want ErrBadClusters", tt.name, err)
		}
	}
}

// clusterFeats returns the cluster features of a text.
func clusterFeats(c *Clusters, text string) []uint32 {
	var x Extractor
	x.Reset(16, c)
	x.Run(&Input{Main: text})
	var out []uint32
	for _, f := range x.Features() {
		if f>>NSShift == nsClus {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

func TestClusterFeatures(t *testing.T) {
	// A tree of depth 4: poem and sonnet share a leaf, haiku shares their
	// depth-2 node, regex is elsewhere.
	words := []string{"poem", "sonnet", "haiku", "regex"}
	paths := []uint16{0b0101, 0b0101, 0b0110, 0b1100}
	keys := make([]uint32, len(words))
	for i, w := range words {
		keys[i] = mustKey(t, w)
	}
	c, err := NewClusters(keys, paths, 4, 1<<2|1<<4, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, k := range keys {
		if p, ok := c.Lookup(k); !ok || p != paths[i] {
			t.Errorf("Lookup(%s) = %04b, %t", words[i], p, ok)
		}
	}
	if _, ok := c.Lookup(mustKey(t, "unknown")); ok {
		t.Error("Lookup(unknown) found")
	}
	poem, sonnet, haiku, regex := clusterFeats(c, "a poem"), clusterFeats(c, "A SONNET"), clusterFeats(c, "haiku"), clusterFeats(c, "regex")
	if len(poem) != 2 || !slices.Equal(poem, sonnet) {
		t.Errorf("poem %x and sonnet %x: want the same two features", poem, sonnet)
	}
	if shared := intersect(poem, haiku); len(shared) != 1 {
		t.Errorf("poem %x and haiku %x share %d features, want 1 (depth 2)", poem, haiku, len(shared))
	}
	if len(intersect(poem, regex)) != 0 {
		t.Errorf("poem %x and regex %x share a feature", poem, regex)
	}
	if f := clusterFeats(c, "nothing known here"); len(f) != 0 {
		t.Errorf("unknown words gave cluster features %x", f)
	}
	if f := clusterFeats(nil, "a poem"); len(f) != 0 {
		t.Errorf("no table, yet cluster features %x", f)
	}
}

// intersect returns the elements of sorted a also in b.
func intersect(a, b []uint32) []uint32 {
	var out []uint32
	for _, v := range a {
		if slices.Contains(b, v) {
			out = append(out, v)
		}
	}
	return out
}
