package anthropic

import (
	"strings"
	"testing"

	"switchyard/llm"
)

// A malformed number is quoted in the error at most 40 characters long,
// however long the literal.
func TestLongNumbersAreNotQuotedWhole(t *testing.T) {
	big := strings.Repeat("9", 100_000)
	msgs := `"messages":[{"role":"user","content":"Hi"}]`
	for _, body := range []string{
		`{"model":"m","max_tokens":` + big + `,` + msgs + `}`,
		`{"model":"m","max_tokens":5,"temperature":` + big + `,` + msgs + `}`,
		big,
	} {
		_, err := DecodeRequest([]byte(body))
		msg := llm.AsError(err).Message
		if err == nil || len(msg) > 300 || strings.Contains(msg, strings.Repeat("9", 41)) {
			t.Errorf("the error quotes %d bytes: %.120s…", len(msg), msg)
		}
	}
}
