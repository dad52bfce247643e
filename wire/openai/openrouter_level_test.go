package openai

import (
	"encoding/json"
	"testing"

	"switchyard/llm"
)

// FuzzOpenRouterLevel: whatever object a client sent, openRouterLevel
// returns it unchanged or as valid JSON whose effort is the level sent,
// every other member kept.
func FuzzOpenRouterLevel(f *testing.F) {
	for _, s := range []string{`{"effort":"xhigh","exclude":true}`, `{"max_tokens":2000}`, `{"effort":null}`, `{"effort":"low"}`,
		`{"enabled":false}`, `{"effort":"high","summary":"auto","x":{"y":[1,2]}}`, `not json`, ``, `[]`} {
		f.Add(s, "medium")
	}
	f.Fuzz(func(t *testing.T, raw, level string) {
		sent := llm.Effort(level)
		out := openRouterLevel(json.RawMessage(raw), sent)
		if string(out) == raw {
			return
		}
		var in, got map[string]json.RawMessage
		if json.Unmarshal([]byte(raw), &in) != nil || json.Unmarshal(out, &got) != nil {
			t.Fatalf("changed %q to %q", raw, out)
		}
		var e string
		if json.Unmarshal(got["effort"], &e) != nil || e != level || len(got) != len(in) {
			t.Fatalf("%q as %q: got %q", raw, level, out)
		}
	})
}
