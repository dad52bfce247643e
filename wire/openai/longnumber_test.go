package openai

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A malformed number is quoted in the error at most 40 characters long,
// however long the literal: a 100 KB digit string must not come back in
// an error message (or a log line) whole.
func TestLongNumbersAreNotQuotedWhole(t *testing.T) {
	big := strings.Repeat("9", 100_000)
	msgs := `"messages":[{"role":"user","content":"hi"}]`
	decodeChat := func(b string) error { _, err := DecodeChatRequest([]byte(b)); return err }
	decodeEmbed := func(b string) error { _, err := DecodeEmbeddingRequest([]byte(b)); return err }
	decodeChunk := func(b string) error { _, err := DecodeChunk([]byte(b)); return err }
	decodeVectors := func(b string) error { _, err := DecodeEmbeddingResponse([]byte(b)); return err }
	for _, tt := range []struct {
		name   string
		decode func(string) error
		body   string
	}{
		{"integer", decodeChat, `{"model":"m",` + msgs + `,"max_tokens":` + big + `}`},
		{"number", decodeChat, `{"model":"m",` + msgs + `,"temperature":` + big + `}`},
		{"decimal", decodeChat, `{"model":"m",` + msgs + `,"top_p":` + big + `.5}`},
		{"token input", decodeEmbed, `{"model":"m","input":[[` + big + `]]}`},
		{"upstream count", decodeChunk, `{"choices":[{"index":` + big + `}]}`},
		{"upstream vector", decodeVectors, `{"data":[{"index":0,"embedding":[` + big + `]}]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.decode(tt.body)
			if err == nil {
				t.Fatal("decoded")
			}
			msg := llm.AsError(err).Message
			if len(msg) > 300 || strings.Contains(msg, strings.Repeat("9", 41)) {
				t.Errorf("the error quotes %d bytes: %.120s…", len(msg), msg)
			}
			if !strings.Contains(msg, "(100000 characters)") && !strings.Contains(msg, "(100002 characters)") {
				t.Errorf("the error %q does not say how long the number was", msg)
			}
		})
	}
}
