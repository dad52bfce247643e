package adaptive

import (
	"testing"

	"switchyard/learn/bandit"
)

// FuzzDecodeSnapshot: any stored snapshot is refused or read to counts
// that are not negative, whose contexts print as they parse,
// and that read back the same from Encode's JSON.
func FuzzDecodeSnapshot(f *testing.F) {
	for _, s := range []string{
		`{"version":1,"at":"2026-01-02T03:04:05.000000006Z","arms":[{"route":"auto","deployment":"a","context":"*","good":1.5,"bad":0.25},{"route":"auto","deployment":"a","tenant":"t\u0000x","context":"code/short/en/first/plain","good":3,"bad":0},{"route":"other","deployment":"b","context":"code","good":0,"bad":2}]}`,
		`{"version":1,"at":"2026-01-02T03:04:05Z","arms":[{"route":"auto","deployment":"a","context":"none","good":-1,"bad":1e308},{"route":"auto","deployment":"a","context":"*","good":2,"bad":2}]}`,
		`{"version":1,"arms":[{"route":"auto","context":"chat/long/other/followup/tools"}]}`,
		`{"version":2,"arms":[]}`, `{`, `[]`, `null`, `{"version":1,"at":"not a time"}`,
	} {
		f.Add([]byte(s))
	}
	keep := func(route string) bool { return route != "gone" }
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Decode(data, keep)
		if err != nil {
			return
		}
		s.Each(func(k bandit.Key, c bandit.Counts) {
			if !keep(k.Route) || !(c.Good >= 0) || !(c.Bad >= 0) {
				t.Fatalf("arm %+v: %+v", k, c)
			}
			if back, ok := bandit.ParseContext(k.Context.String()); !ok || back != k.Context {
				t.Fatalf("context %v prints %q, which parses to %v, %v", k.Context, k.Context.String(), back, ok)
			}
		})
		enc, err := Encode(s)
		if err != nil {
			t.Fatalf("Encode: %v", err)
		}
		again, err := Decode(enc, keep)
		if err != nil || !again.At.Equal(s.At) || again.Len() != s.Len() {
			t.Fatalf("round trip of %s: %v", enc, err)
		}
		s.Each(func(k bandit.Key, c bandit.Counts) {
			if again.Counts(k) != c {
				t.Fatalf("arm %+v: %+v, read back %+v", k, c, again.Counts(k))
			}
		})
	})
}
