package sanitize

import (
	"fmt"
	"strings"
)

// Hosts is a set of allowed link hosts: exact names ("docs.example.com")
// and wildcards for subdomains ("*.example.com", which does not match
// example.com itself). Matching ignores case and a trailing dot. The zero
// value allows no host.
type Hosts struct {
	exact  map[string]bool
	suffix []string // ".example.com"
}

// ParseHosts returns the set of the given host patterns, or an error
// naming the first that is not a host name or a "*." wildcard.
func ParseHosts(patterns []string) (Hosts, error) {
	h := Hosts{exact: map[string]bool{}}
	for _, p := range patterns {
		if err := CheckHost(p); err != nil {
			return Hosts{}, err
		}
		p = strings.TrimSuffix(strings.ToLower(p), ".")
		if rest, ok := strings.CutPrefix(p, "*."); ok {
			h.suffix = append(h.suffix, "."+rest)
			continue
		}
		h.exact[p] = true
	}
	return h, nil
}

// CheckHost reports whether p is a host pattern ParseHosts accepts: a
// host name of letters, digits, '-' and '.', or one after "*.", with no
// scheme, port or path.
func CheckHost(p string) error {
	name := strings.TrimPrefix(p, "*.")
	switch {
	case name == "":
		return fmt.Errorf("%q is not a host name", p)
	case strings.Contains(p, "://"):
		return fmt.Errorf("%q is a URL, not a host name: write the host alone (docs.example.com)", p)
	case strings.ContainsAny(name, "*"):
		return fmt.Errorf("%q: a wildcard may only start a pattern, as *.example.com", p)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c >= 0x80) {
			return fmt.Errorf("%q is not a host name: %q is not allowed in one (no scheme, port or path)", p, c)
		}
	}
	return nil
}

// Allows reports whether host (lower case) is in the set.
func (h *Hosts) Allows(host string) bool {
	if h.exact[host] {
		return true
	}
	for _, s := range h.suffix {
		if strings.HasSuffix(host, s) {
			return true
		}
	}
	return false
}

// allowedURL reports whether a link or image to the destination dest (as
// written in Markdown or HTML) may stay: a relative URL (no scheme, no
// host: it stays on the page's own origin), or an http(s) URL whose host
// is allowed. Everything else — other schemes (javascript:, data:,
// mailto:…), hosts off the list, and what does not parse — is refused.
// dest is read the way browsers read URLs: entities and backslash
// escapes undone, tabs and line breaks removed, backslashes taken for
// slashes.
func allowedURL(dest string, hosts *Hosts) bool {
	u := cleanURL(dest)
	if u == "" {
		return true
	}
	if strings.HasPrefix(u, "//") {
		return allowedHost(u, hosts)
	}
	colon := strings.IndexByte(u, ':')
	if colon < 0 || strings.ContainsAny(u[:colon], "/?#") {
		return true // relative: no scheme
	}
	scheme := u[:colon]
	for i := 0; i < len(scheme); i++ {
		c := scheme[i]
		if !(c >= 'a' && c <= 'z' || i > 0 && (c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.')) {
			return false // not a scheme, and not a clean relative path: refuse
		}
	}
	if scheme != "http" && scheme != "https" {
		return false
	}
	return allowedHost(u[colon+1:], hosts)
}

// allowedHost checks the host of rest, what follows "scheme:" (any
// slashes first, as browsers accept "http:evil.example" and
// "http:/\evil.example").
func allowedHost(rest string, hosts *Hosts) bool {
	host := hostOf(rest)
	if host == "" || strings.ContainsAny(host, "%@:/\\ ") && !strings.HasPrefix(host, "[") {
		return false
	}
	return hosts.Allows(host)
}

// hostOf returns the host of rest, what follows "scheme:": after any
// slashes and user info, before the port, percent-escapes decoded, a
// trailing dot dropped.
func hostOf(rest string) string {
	rest = strings.TrimLeft(rest, "/")
	end := strings.IndexAny(rest, "/?#")
	if end < 0 {
		end = len(rest)
	}
	auth := rest[:end]
	if at := strings.LastIndexByte(auth, '@'); at >= 0 {
		auth = auth[at+1:]
	}
	host := auth
	if strings.HasPrefix(host, "[") {
		if i := strings.IndexByte(host, ']'); i > 0 {
			host = host[:i+1]
		}
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host = host[:i]
	}
	return strings.TrimSuffix(percentDecode(host), ".")
}

// cleanURL undoes HTML entities and Markdown backslash escapes, drops
// ASCII tabs, line breaks and other control characters, trims spaces,
// turns backslashes into slashes and lowers the case.
func cleanURL(dest string) string {
	var b strings.Builder
	for i := 0; i < len(dest); i++ {
		c := dest[i]
		switch {
		case c == '\\' && i+1 < len(dest) && isPunct(dest[i+1]):
			i++
			c = dest[i]
		case c == '&':
			if r, n := entity(dest[i:]); n > 0 {
				b.WriteString(r)
				i += n - 1
				continue
			}
		}
		switch {
		case c < 0x20 || c == 0x7f:
			continue
		case c == '\\':
			c = '/'
		case c >= 'A' && c <= 'Z':
			c += 'a' - 'A'
		}
		b.WriteByte(c)
	}
	return strings.TrimSpace(b.String())
}

// isPunct reports ASCII punctuation, which a backslash escapes in Markdown.
func isPunct(c byte) bool {
	return c > ' ' && c < 0x7f && !(c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z')
}

// entity decodes the HTML character reference at the start of s ("&#58;",
// "&#x3A;", "&colon;" and the other names that spell a URL's syntax); it
// returns the text and the bytes read, or 0 bytes for none.
func entity(s string) (string, int) {
	end := strings.IndexByte(s, ';')
	if end < 2 || end > 10 {
		return "", 0
	}
	name := s[1:end]
	if name[0] == '#' {
		v, base := name[1:], 10
		if len(v) > 0 && (v[0] == 'x' || v[0] == 'X') {
			v, base = v[1:], 16
		}
		n := 0
		for i := 0; i < len(v); i++ {
			d, ok := digitVal(v[i], base)
			if !ok {
				return "", 0
			}
			n = n*base + d
		}
		if v == "" || n <= 0 || n > 0x10FFFF {
			return "", 0
		}
		return string(rune(n)), end + 1
	}
	if r, ok := namedEntities[strings.ToLower(name)]; ok {
		return r, end + 1
	}
	return "", 0
}

var namedEntities = map[string]string{
	"colon": ":", "sol": "/", "bsol": "\\", "period": ".", "commat": "@", "quest": "?", "num": "#",
	"amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "tab": "\t", "newline": "\n", "percnt": "%",
}

func digitVal(c byte, base int) (int, bool) {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0'), true
	case base == 16 && c >= 'a' && c <= 'f':
		return int(c-'a') + 10, true
	case base == 16 && c >= 'A' && c <= 'F':
		return int(c-'A') + 10, true
	}
	return 0, false
}

// percentDecode undoes %XX escapes (browsers decode them in host
// names), the bytes it decodes in lower case.
func percentDecode(s string) string { return percentDecoded(s, true) }
