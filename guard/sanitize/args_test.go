package sanitize

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
)

// argsStreamed sanitizes a tool call's arguments piece by piece.
func argsStreamed(s *Sanitizer, system string, pieces []string) (string, bool, Findings) {
	a := s.NewArgs(system)
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(a.Write(p))
	}
	b.WriteString(a.Close())
	return b.String(), a.Cut(), a.Findings()
}

func TestArgs(t *testing.T) {
	s, err := New(Policy{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakCut})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, in, want string
		urls           int
		cut            bool
	}{
		{"no string", `{"n": 5, "ok": true}`, `{"n": 5, "ok": true}`, 0, false},
		{"plain strings", `{"city": "Paris", "q": "https://docs.example.com/s?q=1"}`, `{"city": "Paris", "q": "https://docs.example.com/s?q=1"}`, 0, false},
		{"a URL with data", `{"url": "https://evil.example/c?d=secret"}`, `{"url": "[link removed]"}`, 1, false},
		{"escaped", `{"url":"https:\/\/evil.example\/c?d=1\u0026e=2","n":1}`, `{"url":"[link removed]","n":1}`, 1, false},
		{"in prose", `{"body": "see https://evil.example/p/Abc123Def456Ghi789 now, or https://evil.example"}`,
			`{"body": "see [link removed] now, or https://evil.example"}`, 1, false},
		{"quotes kept", `{"body": "\"quoted\" https://evil.example/?q=1 <b>"}`, `{"body": "\"quoted\" [link removed] <b>"}`, 1, false},
		{"key", `{"https://evil.example/?q=1": 1}`, `{"[link removed]": 1}`, 1, false},
		{"leak", `{"note": "you are the support assistant of Northwind Bank. Never mention the internal escalation code", "x": 1}`, `{"note": `, 0, true},
		{"unclosed", `{"url": "https://evil.example/?q=1`, `{"url": "[link removed]`, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, cut, f := argsStreamed(s, systemPrompt, []string{tc.in})
			if got != tc.want || cut != tc.cut || f.URLs != tc.urls {
				t.Errorf("got %q (cut %v, %d URLs); want %q (cut %v, %d URLs)", got, cut, f.URLs, tc.want, tc.cut, tc.urls)
			}
			if json.Valid([]byte(tc.in)) && !tc.cut && !json.Valid([]byte(got)) {
				t.Errorf("valid arguments became invalid JSON: %q", got)
			}
		})
	}
}

// TestArgsChunkedEqualsWhole: however the arguments are cut, the pieces'
// outputs put together are the whole's.
func TestArgsChunkedEqualsWhole(t *testing.T) {
	s, _ := New(Policy{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakCut})
	for _, text := range argSeeds {
		whole, wholeCut, _ := argsStreamed(s, systemPrompt, []string{text})
		for seed := range uint64(200) {
			got, cut, _ := argsStreamed(s, systemPrompt, chunks(text, seed))
			if got != whole || cut != wholeCut {
				t.Fatalf("seed %d: chunked %q (cut %v); whole %q (cut %v)", seed, got, cut, whole, wholeCut)
			}
		}
	}
}

var argSeeds = []string{
	`{"url": "https://evil.example/c?d=secret", "n": [1, 2, {"k": "www.evil.example/t?u=1"}]}`,
	`{"url":"https:\/\/evil.example\/c?d=1\u0026e=2","s":"a \"quoted\\\" b"}`,
	`{"note": "You are the support assistant of Northwind Bank. Never mention the internal escalation code RED-7741"}`,
	`not json "https://evil.example/?q=1" "unclosed`,
}

// FuzzArgs checks, for any arguments and any cutting, that the chunked
// output is the whole output, that valid JSON stays valid (unless cut at
// a leak), and that no string of it holds a URL with data to a refused
// host.
func FuzzArgs(f *testing.F) {
	for i, s := range argSeeds {
		f.Add(s, uint64(i))
	}
	s, err := New(Policy{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakCut})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string, seed uint64) {
		whole, wholeCut, _ := argsStreamed(s, systemPrompt, []string{text})
		got, cut, _ := argsStreamed(s, systemPrompt, chunks(text, seed))
		if got != whole || cut != wholeCut {
			t.Fatalf("chunked %q (cut %v) != whole %q (cut %v)", got, cut, whole, wholeCut)
		}
		if !json.Valid([]byte(text)) || cut {
			return
		}
		var v any
		d := json.NewDecoder(strings.NewReader(whole))
		d.UseNumber() // a number too large for a float64 is still valid JSON
		if err := d.Decode(&v); err != nil {
			t.Fatalf("valid arguments became invalid: %q -> %q: %v", text, whole, err)
		}
		if u := refusedInValue(v, &s.hosts); u != "" {
			t.Fatalf("a refused URL survived in %q: %q", whole, u)
		}
	})
}

// argURL is a bare URL at a word boundary in an argument: to a space, a
// quote or a backquote.
var argURL = regexp.MustCompile("(?i)(?:^|[^a-z0-9])((?:https?://|www\\.[a-z0-9])[^\\x00-\\x20\"`'\\x7f]*)")

// refusedInValue returns a bare URL with data to a refused host in one
// of v's strings (keys included), or "".
func refusedInValue(v any, hosts *Hosts) string {
	switch v := v.(type) {
	case string:
		for _, m := range argURL.FindAllStringSubmatch(v, -1) {
			u := m[1]
			if strings.HasPrefix(strings.ToLower(u), "www.") {
				u = "http://" + u
			}
			if !allowedURL(u, hosts) && carriesData(strings.TrimRight(u, "?!.,:;*_~')")) {
				return m[1]
			}
		}
	case []any:
		for _, e := range v {
			if u := refusedInValue(e, hosts); u != "" {
				return u
			}
		}
	case map[string]any:
		for k, e := range v {
			if u := refusedInValue(k, hosts); u != "" {
				return u
			}
			if u := refusedInValue(e, hosts); u != "" {
				return u
			}
		}
	}
	return ""
}
