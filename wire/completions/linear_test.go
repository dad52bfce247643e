package completions

import (
	"fmt"
	"strings"
	"testing"

	"switchyard/internal/alloctest"
)

// Decoding a request is linear in its size, accepted or refused: 4,000
// of a thing allocate some 10-25 times what 250 do (16 times as many),
// as the wire/responses and wire/anthropic decoders were made to.
func TestDecodeRequestCostsLinearBytes(t *testing.T) {
	list := func(n int, piece func(i int) string) string {
		s := make([]string, n)
		for i := range s {
			s[i] = piece(i)
		}
		return strings.Join(s, ",")
	}
	tests := map[string]func(n int) string{
		"long prompt": func(n int) string { return `{"model":"m","prompt":"` + strings.Repeat("hi there ", n) + `"}` },
		"prompt array": func(n int) string {
			return `{"model":"m","prompt":[` + list(n, func(int) string { return `"hi"` }) + `]}`
		},
		"token ids": func(n int) string {
			return `{"model":"m","prompt":[` + list(n, func(int) string { return `12` }) + `]}`
		},
		"logit_bias": func(n int) string {
			return `{"model":"m","prompt":"hi","logit_bias":{` + list(n, func(i int) string { return fmt.Sprintf(`"%d":1`, i) }) + `}}`
		},
		"stop": func(n int) string {
			return `{"model":"m","prompt":"hi","stop":[` + list(n, func(int) string { return `"x"` }) + `]}`
		},
		"nested arrays": func(n int) string {
			return `{"model":"m","prompt":"hi","user":` + strings.Repeat("[", n) + strings.Repeat("]", n) + `}`
		},
		"unknown fields": func(n int) string {
			return `{"model":"m","prompt":"hi",` + list(n, func(i int) string { return fmt.Sprintf(`"f%d":1`, i) }) + `}`
		},
	}
	for name, body := range tests {
		small := alloctest.Bytes(2, func() { DecodeRequest([]byte(body(250))) })
		large := alloctest.Bytes(2, func() { DecodeRequest([]byte(body(4000))) })
		if ratio := float64(large) / float64(max(small, 1)); ratio > 60 {
			t.Errorf("%s: 250 allocate %d bytes, 4000 %d (%.0f times for 16 times the input)", name, small, large, ratio)
		}
	}
}
