package llm

import "testing"

// MaxTokensAtMost allocates only the copy it returns: a request it
// leaves alone (no limit, no max_tokens, or max_tokens within the limit)
// costs nothing, though every attempt calls it.
func TestMaxTokensAtMostAllocs(t *testing.T) {
	ten := 10
	asks := &Request{Model: "m", MaxTokens: &ten}
	none := &Request{Model: "m"}
	var sink *Request
	if n := testing.AllocsPerRun(100, func() {
		sink = asks.MaxTokensAtMost(0)
		sink = asks.MaxTokensAtMost(10)
		sink = none.MaxTokensAtMost(5)
	}); n != 0 {
		t.Errorf("MaxTokensAtMost allocates %v times for requests it leaves alone, want none", n)
	}
	if sink = asks.MaxTokensAtMost(4); sink == asks || *sink.MaxTokens != 4 || *asks.MaxTokens != 10 {
		t.Errorf("MaxTokensAtMost(4) = %v, the request asks for %d", *sink.MaxTokens, *asks.MaxTokens)
	}
}
