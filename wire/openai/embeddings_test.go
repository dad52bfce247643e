package openai

import (
	"strings"
	"testing"
)

// Token input is an array of token ids or an array of arrays of them, as
// OpenAI's reference says: a mix, a negative id, an empty inner array or
// more than 2048 arrays is the decoder's 400 on input, not the upstream's.
func TestDecodeEmbeddingTokenInput(t *testing.T) {
	many := "[" + strings.Repeat("[1],", 2048) + "[1]]"
	for _, tt := range []struct {
		input, err string // err: "" when accepted, else a part of the message
	}{
		{`[1, 2, 3]`, ""},
		{`[[1, 2], [3]]`, ""},
		{"[" + strings.Repeat("1,", 4000) + "1]", ""}, // one long input: its length is the model's matter
		{`[1, [2]]`, "mixed token input"},
		{`[[1], 2]`, "mixed token input"},
		{`[1, -2]`, "Expected a token id >= 0, but got -2"},
		{`[[0], [-1]]`, "got -1"},
		{`[[1], []]`, "empty array"},
		{`[1.5]`, "integer"},
		{`[1, "x"]`, "integer"},
		{many, "maximum length 2048, but got an array with length 2049"},
	} {
		_, err := DecodeEmbeddingRequest([]byte(`{"model":"m","input":` + tt.input + `}`))
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("%.40s: %v", tt.input, err)
		case tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err) || !strings.Contains(err.Error(), "input")):
			t.Errorf("%.40s: %v, want an error on input with %q", tt.input, err, tt.err)
		}
	}
}
