package anthropic

import "testing"

// A Messages body with bytes after its JSON object is not JSON, and is
// refused as the API refuses it: encoding/json's Decoder.More reports no
// more after a closing "}" or "]", which let such a body through.
func TestDecodeMessagesRequestRefusesTrailingBytes(t *testing.T) {
	const body = `{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}`
	for _, tail := range []string{"", " \n\t\r"} {
		if _, err := DecodeMessagesRequest([]byte(body+tail), false); err != nil {
			t.Fatalf("%q after the body: %v", tail, err)
		}
	}
	for _, tail := range []string{"}", "]", " ]", "\n}", "x", "{}", "\v"} {
		for _, countTokens := range []bool{false, true} {
			if _, err := DecodeMessagesRequest([]byte(body+tail), countTokens); err == nil {
				t.Errorf("%q after the body (count_tokens %v): accepted", tail, countTokens)
			}
		}
	}
}
