package semantic

import (
	"errors"
	"math"
	"strings"
	"unicode/utf8"

	"switchyard/llm"
)

// MaxTextBytes bounds the text embedded for a request (and for each
// example): longer text is cut at a character boundary. The start of a
// message says most about what it asks for, and a bounded input keeps
// the embedding call cheap and fast.
const MaxTextBytes = 2048

// Text returns what is embedded for req: the text of its last user
// message, cut to MaxTextBytes; "" when there is none. It allocates only
// when that message has several text parts.
func Text(req *llm.Request) string {
	for i := len(req.Messages) - 1; i >= 0; i-- {
		if m := &req.Messages[i]; m.Role == llm.RoleUser {
			return clip(strings.TrimSpace(m.Text()))
		}
	}
	return ""
}

// clip cuts s to at most MaxTextBytes without splitting a character.
func clip(s string) string {
	if len(s) <= MaxTextBytes {
		return s
	}
	n := MaxTextBytes
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

var errZero = errors.New("semantic: the embeddings deployment returned an empty or zero vector")

// normalize returns v scaled to unit length, as a new slice.
func normalize(v []float32) ([]float32, error) {
	var sum float64
	for _, x := range v {
		sum += float64(x) * float64(x)
	}
	if sum == 0 || math.IsNaN(sum) || math.IsInf(sum, 0) {
		return nil, errZero
	}
	inv := 1 / math.Sqrt(sum)
	out := make([]float32, len(v))
	for i, x := range v {
		out[i] = float32(float64(x) * inv)
	}
	return out, nil
}

// dot is the dot product of two vectors of the same length: for unit
// vectors, their cosine similarity.
func dot(a, b []float32) float64 {
	b = b[:len(a)]
	var s float64
	for i, x := range a {
		s += float64(x) * float64(b[i])
	}
	return s
}
