package conformance

import (
	"slices"
	"testing"
)

// TestCheckerCatches shows the checks can fail: a chat completion missing
// a required field, with a wrong enum value and a field the spec does not
// declare, is caught by each check; the nullable patch admits null where
// the spec says nullable and nowhere else.
func TestCheckerCatches(t *testing.T) {
	t.Parallel()
	oa := loadSpec(t, "openai")
	good := `{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"logprobs":null,"finish_reason":"stop"}]}`
	sch := oa.schema(t, "CreateChatCompletionResponse")
	for _, c := range []struct {
		body  string
		valid bool
	}{
		{good, true},
		{`{"object":"chat.completion","created":1,"model":"m","choices":[]}`, false}, // no id
		{`{"id":"x","object":"chat.completion","created":1,"model":"m","choices":[{"index":0,"message":{"role":"assistant","content":"hi","refusal":null},"logprobs":null,"finish_reason":"done"}]}`, false}, // enum
		{`{"id":"x","object":"chat.completion","created":"1","model":"m","choices":[]}`, false},                                                                                                              // type
		{`{"id":"x","object":"chat.completion","created":1,"model":null,"choices":[]}`, false},                                                                                                               // null not nullable
	} {
		inst := decode(t, []byte(c.body))
		if err := sch.Validate(any(inst)); (err == nil) != c.valid {
			t.Errorf("%s: valid %v, want %v (%v)", c.body, err == nil, c.valid, err)
		}
	}
	extra := oa.extraFields("CreateChatCompletionResponse", decode(t, []byte(`{"id":"x","bogus":1,"choices":[{"message":{"content":"hi","secret":2}}],"usage":{"cost":1}}`)))
	if want := []string{".bogus", ".choices[].message.secret", ".usage.cost"}; !slices.Equal(extra, want) {
		t.Errorf("extra fields %v, want %v", extra, want)
	}
}
