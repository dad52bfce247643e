package train

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestWordClustersRoundTripAndCorruption(t *testing.T) {
	w := &WordClusters{Source: "test", Depth: 3, Words: []string{"poem", "sonnet", "café", "regex"}, Paths: []uint16{1, 1, 2, 7}}
	b := w.Encode()
	got, err := DecodeWordClusters(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Encode(), b) || got.Source != "test" || got.Depth != 3 || strings.Join(got.Words, " ") != "poem sonnet café regex" {
		t.Errorf("round trip: %+v", got)
	}
	flip := bytes.Clone(b)
	flip[len(flip)/2] ^= 1
	for name, bad := range map[string][]byte{
		"empty": nil, "truncated": b[:len(b)-3], "corrupt": flip, "magic": append([]byte("NOPE"), b[4:]...),
	} {
		if _, err := DecodeWordClusters(bad); !errors.Is(err, ErrBadWordClusters) {
			t.Errorf("%s: error %v, want ErrBadWordClusters", name, err)
		}
	}
	path := filepath.Join(t.TempDir(), "c.bin")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	if _, err := ReadWordClusters(path, hex.EncodeToString(sum[:])); err != nil {
		t.Errorf("ReadWordClusters with the right checksum: %v", err)
	}
	if _, err := ReadWordClusters(path, strings.Repeat("0", 64)); !errors.Is(err, ErrBadWordClusters) {
		t.Errorf("ReadWordClusters with a wrong checksum: %v, want ErrBadWordClusters", err)
	}
}

func TestSplitTreeSeparatesGroups(t *testing.T) {
	// Three tight groups of 2-d unit vectors around three directions; the
	// most frequent word of each comes first.
	dirs := [][2]float64{{1, 0}, {0, 1}, {-0.6, -0.8}}
	var vecs []float64
	var group []int
	for n := range 30 {
		g := n % 3
		eps := float64(n) * 0.002
		x, y := dirs[g][0]+eps, dirs[g][1]-eps
		norm := 1 / (x*x + y*y)
		vecs = append(vecs, x*norm, y*norm)
		group = append(group, g)
	}
	idx := make([]int32, len(group))
	for i := range idx {
		idx[i] = int32(i)
	}
	paths := make([]uint16, len(group))
	splitTree(vecs, 2, idx, 0, 4, 0, paths)
	// Every group stays within one depth-1 node, and no depth-2 node
	// holds two groups.
	top, holder := map[int]uint16{}, map[uint16]int{}
	for i, g := range group {
		if q, ok := top[g]; ok && q != paths[i]>>3 {
			t.Errorf("group %d split at depth 1", g)
		}
		top[g] = paths[i] >> 3
		if h, ok := holder[paths[i]>>2]; ok && h != g {
			t.Errorf("depth-2 node %02b holds groups %d and %d", paths[i]>>2, h, g)
		}
		holder[paths[i]>>2] = g
	}
	again := make([]uint16, len(group))
	splitTree(vecs, 2, idx, 0, 4, 0, again)
	if string(hex.EncodeToString(u16bytes(again))) != string(hex.EncodeToString(u16bytes(paths))) {
		t.Error("splitTree is not deterministic")
	}
}

// u16bytes flattens paths for comparison.
func u16bytes(p []uint16) []byte {
	b := make([]byte, 0, 2*len(p))
	for _, v := range p {
		b = append(b, byte(v), byte(v>>8))
	}
	return b
}

func TestBuildWordClustersChecksSource(t *testing.T) {
	_, err := BuildWordClusters(strings.NewReader(`{"dimensions":2,"words":["a"],"vectors":{"a":[1,0,1,0]}}`), BuildOptions{Words: 10, Depth: 2})
	if !errors.Is(err, ErrBadWordClusters) {
		t.Errorf("BuildWordClusters of another file: %v, want ErrBadWordClusters", err)
	}
}

// TestCommittedWordClusters checks the committed cluster table: its
// checksum, its size, and that it groups words by meaning.
func TestCommittedWordClusters(t *testing.T) {
	w, err := ReadWordClusters(filepath.Join(repoRoot, DefaultWordClusters), WordClustersSHA256)
	if err != nil {
		t.Fatal(err)
	}
	if len(w.Words) != DefaultBuildOptions().Words || w.Depth != DefaultBuildOptions().Depth || !strings.HasPrefix(w.Source, WinkPackage) {
		t.Fatalf("%d words, depth %d, source %q", len(w.Words), w.Depth, w.Source)
	}
	path := map[string]uint16{}
	for i, word := range w.Words {
		path[word] = w.Paths[i]
	}
	leaf := func(a, b string) bool { return path[a] == path[b] }
	if !leaf("haiku", "sonnet") || !leaf("recipe", "soup") || leaf("haiku", "recipe") {
		t.Errorf("haiku %014b, sonnet %014b, recipe %014b, soup %014b", path["haiku"], path["sonnet"], path["recipe"], path["soup"])
	}
	keys, paths := w.table()
	if len(keys) != len(w.Words) || len(paths) != len(keys) {
		t.Errorf("%d keys for %d words: two words share a key", len(keys), len(w.Words))
	}
}

// FuzzDecodeWordClusters checks that the decoder never panics and that
// what it accepts encodes back to the same bytes.
func FuzzDecodeWordClusters(f *testing.F) {
	f.Add((&WordClusters{Source: "s", Depth: 3, Words: []string{"poem", "sonnet"}, Paths: []uint16{1, 5}}).Encode())
	f.Add([]byte("SWWC"))
	f.Fuzz(func(t *testing.T, b []byte) {
		w, err := DecodeWordClusters(b)
		if err != nil {
			if !errors.Is(err, ErrBadWordClusters) {
				t.Fatalf("error %v does not wrap ErrBadWordClusters", err)
			}
			return
		}
		if !bytes.Equal(w.Encode(), b) {
			t.Fatal("decoded table encodes to other bytes")
		}
		w.table()
	})
}
