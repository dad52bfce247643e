package gateway

import (
	"strings"
	"testing"
)

// A hard budget reserves a request whose prompt is over its candidates'
// long-prompt threshold at the band's prices: with the classifier's 12
// prompt tokens, bands above 11 tokens at three times the standard
// prices reserve three times what bands above 12 do (12 prompt tokens
// and the chat category's 200 expected out on b, the dearer: 424
// micro-USD at $2 / $2, 1,272 at $6 / $6).
func TestLongPromptReservedAtTheBand(t *testing.T) {
	reserved := func(t *testing.T, above string) int64 {
		t.Helper()
		base := strings.NewReplacer(
			"price: {input: 1, output: 1}", "price: {input: 1, output: 1, long_prompt: {above_tokens: "+above+", input: 3, output: 3}}",
			"price: {input: 2, output: 2}", "price: {input: 2, output: 2, long_prompt: {above_tokens: "+above+", input: 6, output: 6}}",
		).Replace(recConfig)
		if !strings.Contains(base, "above_tokens: "+above+", input: 6") {
			t.Fatal("the test's configuration changed shape")
		}
		return reservedWhileServing(t, base, hello("r"))
	}
	if got := reserved(t, "12"); got != 424 {
		t.Errorf("12 prompt tokens, bands above 12: reserved %d micro-USD, want 424 (the standard prices)", got)
	}
	if got := reserved(t, "11"); got != 1272 {
		t.Errorf("12 prompt tokens, bands above 11: reserved %d micro-USD, want 1272 (the bands' prices)", got)
	}
}
