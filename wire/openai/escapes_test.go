package openai

import (
	"encoding/json"
	"fmt"
	"testing"
)

func TestEscapesLetter(t *testing.T) {
	for _, tt := range []struct {
		data string
		want bool
	}{
		{`{"\u0075sage":{}}`, true},
		{`{"type":"e\u0072ror"}`, true},
		{`{"reasoning\u005fdetails":[]}`, true},
		{`{"usage\u004Detadata":{}}`, true},
		{`{"content":"caf\u00e9 \u2014 \u003cb\u003e"}`, false},
		{`{"content":"a\nb\"c\\u0065"}`, true}, // an escaped backslash: passing costs only a decode
		{`{"content":"\u00`, false},
		{`\u0`, false},
	} {
		if got := EscapesLetter([]byte(tt.data)); got != tt.want {
			t.Errorf("EscapesLetter(%s) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

// FuzzEscapesLetter checks that any ASCII letter or underscore of a word,
// spelled with a \u escape in either case of hex digit, passes the test.
func FuzzEscapesLetter(f *testing.F) {
	f.Add("usage", uint(0), false)
	f.Add("reasoning_details", uint(9), true)
	f.Fuzz(func(t *testing.T, word string, at uint, upper bool) {
		if word == "" {
			return
		}
		i := int(at % uint(len(word)))
		c := word[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_') {
			return
		}
		format := `\u%04x`
		if upper {
			format = `\u%04X`
		}
		data := `{"` + word[:i] + fmt.Sprintf(format, c) + word[i+1:] + `":1}`
		if !EscapesLetter([]byte(data)) {
			t.Fatalf("EscapesLetter(%s) = false", data)
		}
	})
}

func TestFoldsKey(t *testing.T) {
	for _, tt := range []struct {
		data string
		keys []string
		want bool
	}{
		{`{"thread":{}}`, []string{"thread"}, false},
		{`{"Thread":{}}`, []string{"thread"}, true},
		{`{"model":"m","THREAD":{}}`, []string{"thread"}, true},
		{`{"usage":{},"x":1}`, []string{"usage", "usageMetadata"}, false},
		{`{"usageMetadata":{}}`, []string{"usage", "usageMetadata"}, false},
		{`{"UsageMetadata":{}}`, []string{"usage", "usageMetadata"}, true},
		{`{"uſage":{}}`, []string{"usage"}, true},
		{`{"text":"say \"Thread\" twice"}`, []string{"thread"}, false}, // inside a string
		{`{"text":"\\","Thread":1}`, []string{"thread"}, true},         // an escaped backslash ends no string
		{`{"text":"Thread"}`, []string{"thread"}, true},                // a value may pass
		{`{"Thread`, []string{"thread"}, false},
	} {
		if got := FoldsKey([]byte(tt.data), tt.keys...); got != tt.want {
			t.Errorf("FoldsKey(%s, %q) = %v, want %v", tt.data, tt.keys, got, tt.want)
		}
	}
	// It runs on every Anthropic request body (api/anthropic's thread
	// test): no allocation.
	body := []byte(`{"model":"m","max_tokens":20,"messages":[{"role":"user","content":"Say \"hi\" – naïvely"}]}`)
	if n := testing.AllocsPerRun(100, func() { FoldsKey(body, "thread") }); n != 0 {
		t.Errorf("FoldsKey allocates %v times", n)
	}
}

// FuzzFoldsKey: FoldsKey reports a key encoding/json reads as one of its
// keys (a struct field tagged with it) though spelled otherwise.
func FuzzFoldsKey(f *testing.F) {
	f.Add(`{"Thread":{"type":"create"}}`)
	f.Add(`{"x":"\"","tHrEaD":1}`)
	f.Add(`{"thread":1}`)
	f.Fuzz(func(t *testing.T, data string) {
		var v struct {
			Thread json.RawMessage `json:"thread"`
		}
		var m map[string]json.RawMessage
		if json.Unmarshal([]byte(data), &v) != nil || json.Unmarshal([]byte(data), &m) != nil || v.Thread == nil || m["thread"] != nil {
			return // not read, or read under its own spelling
		}
		if !FoldsKey([]byte(data), "thread") && !EscapesLetter([]byte(data)) {
			t.Fatalf("%q: encoding/json reads thread %s, FoldsKey and EscapesLetter see none", data, v.Thread)
		}
	})
}
