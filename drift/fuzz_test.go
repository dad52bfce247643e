package drift

import (
	"testing"
)

// FuzzParseSet: the decoder never panics, and a set it accepts is
// consistent: unique ids, known categories, compiled expectations whose
// references pass, and a request for every prompt.
func FuzzParseSet(f *testing.F) {
	f.Add([]byte(goodSet))
	// The starter set is checked by TestStarterSet; as a seed its 40 KB make
	// every mutation slow to parse.
	f.Add([]byte("name: x\nprompts:\n  - {id: p, category: chat, prompt: hi, expect: {contains: [a, b]}}\n"))
	f.Add([]byte("name: x\nprompts:\n  - id: p\n    category: extraction\n    prompt: x\n    expect: {json_schema: '{\"type\": \"object\"}'}\n"))
	f.Add([]byte("name: &a x\nprompts: [*a]\n"))
	f.Add([]byte("{name: x, prompts: [{id: p, category: code, prompt: q, expect: {regex: '\\\\d+'}, reference: '12'}]}"))
	f.Add([]byte("name: x\nprompts:\n  - id: p\n    category: reasoning\n    prompt: q\n    expect: {number: 1e308, tolerance: 1e308}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParseSet(data, "fuzz.yaml")
		if err != nil {
			if s != nil {
				t.Fatal("a set with an error")
			}
			return
		}
		ids := map[string]bool{}
		for i := range s.Prompts {
			p := &s.Prompts[i]
			if ids[p.ID] || !idRE.MatchString(p.ID) {
				t.Fatalf("prompt id %q repeated or invalid", p.ID)
			}
			ids[p.ID] = true
			if len(p.Messages) == 0 || p.Request() == nil {
				t.Fatalf("prompt %q without a conversation", p.ID)
			}
			if p.Expect.Kind == KindRegex && p.Expect.re == nil || p.Expect.Kind == KindJSONSchema && p.Expect.schema == nil {
				t.Fatalf("prompt %q: expectation not compiled", p.ID)
			}
			p.Expect.Passes(Answer{Text: string(data)})
		}
	})
}
