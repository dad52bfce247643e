package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// This file holds the security section: what only the file may set, as
// the admin API cannot change it (docs/config.md#security). Today that is
// the allowlist of upstream hosts.

// Security configures what guards the router against a changed rule
// sending traffic, prompts and provider keys somewhere unknown.
type Security struct {
	// UpstreamHosts are the hosts every provider's base_url (and each of
	// its endpoints') must be on, each "host", "host:port", "*.domain" or
	// "*.domain:port", lower-cased by Validate. A host without a port
	// allows every port; "*.domain" allows every host under domain (one
	// label or more), not domain itself. Nil means any host (no
	// allowlist); an empty, non-nil list allows none.
	UpstreamHosts []string
}

// Equal reports whether s and o allow the same upstream hosts, in any
// order.
func (s *Security) Equal(o *Security) bool {
	if (s.UpstreamHosts == nil) != (o.UpstreamHosts == nil) {
		return false
	}
	a, b := slices.Clone(s.UpstreamHosts), slices.Clone(o.UpstreamHosts)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func (d *decoder) security(e entry, s *Security) {
	d.object(e.node, e.path, []field{
		{"upstream_hosts", func(e entry) {
			s.UpstreamHosts = append([]string{}, d.strList(e, `["api.openai.com", "*.openai.azure.com", "10.0.0.5:8000"]`)...)
		}},
	})
}

func (s *Security) applyDefaults() {
	for i, h := range s.UpstreamHosts {
		s.UpstreamHosts[i] = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(h)), ".")
	}
}

// hostPattern is one parsed entry of security.upstream_hosts.
type hostPattern struct {
	host     string // without the "*." of a wildcard
	wildcard bool
	port     string // "" for every port
}

const upstreamHostsHint = `a host ("api.openai.com"), host:port ("10.0.0.5:8000") or "*.domain" ("*.openai.azure.com")`

// parseHostPattern parses an entry of security.upstream_hosts, lower-cased;
// it returns the problem with it, or "".
func parseHostPattern(s string) (hostPattern, string) {
	var p hostPattern
	switch {
	case s == "":
		return p, "is empty"
	case strings.Contains(s, "://") || strings.ContainsAny(s, "/?#@"):
		return p, fmt.Sprintf("%q is a URL, not a host", s)
	case s == "*" || strings.HasPrefix(s, "*:"):
		return p, `"*" would allow every host`
	}
	host := s
	if h, port, err := net.SplitHostPort(s); err == nil {
		if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			return p, fmt.Sprintf("%q has an invalid port", s)
		}
		host, p.port = h, port
	} else if strings.HasPrefix(s, "[") && strings.HasSuffix(s, "]") {
		host = s[1 : len(s)-1] // an IPv6 literal without a port
	}
	if rest, ok := strings.CutPrefix(host, "*."); ok {
		host, p.wildcard = rest, true
	}
	if ip := net.ParseIP(host); ip != nil {
		if p.wildcard {
			return p, fmt.Sprintf("%q puts a wildcard on an IP address", s)
		}
		p.host = ip.String()
		return p, ""
	}
	if !validHostname(host) {
		return p, fmt.Sprintf("%q is not a host name", s)
	}
	p.host = host
	return p, ""
}

// validHostname reports whether h is a DNS name: dot-separated labels of
// letters, digits and inner hyphens (underscores too, as some internal
// names have them).
func validHostname(h string) bool {
	if h == "" || len(h) > 253 {
		return false
	}
	for _, label := range strings.Split(h, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// matches reports whether host (lower-case, an IP in canonical form) and
// port are allowed by p.
func (p *hostPattern) matches(host, port string) bool {
	if p.port != "" && p.port != port {
		return false
	}
	if p.wildcard {
		return strings.HasSuffix(host, "."+p.host)
	}
	return host == p.host
}

// security checks security.upstream_hosts, then every provider's base
// URLs against it.
func (v *validator) security() {
	hosts := v.c.Security.UpstreamHosts
	if hosts == nil {
		return
	}
	var patterns []hostPattern
	for i, h := range hosts {
		p, problem := parseHostPattern(h)
		if problem != "" {
			v.add(fmt.Sprintf("security.upstream_hosts[%d]", i), problem, upstreamHostsHint)
			continue
		}
		patterns = append(patterns, p)
	}
	for _, name := range v.providerNames() {
		p := v.c.Providers[name]
		if p == nil {
			continue
		}
		path := "providers." + name
		v.upstream(path+".base_url", p.BaseURL, p.Kind, patterns)
		for i, e := range p.Endpoints {
			v.upstream(fmt.Sprintf("%s.endpoints[%d].base_url", path, i), e.BaseURL, "", patterns)
		}
	}
}

// upstream checks that the host of the base URL rawURL is allowed by
// patterns. An empty or invalid URL is left to the URL checks.
func (v *validator) upstream(path, rawURL, kind string, patterns []hostPattern) {
	u, err := url.Parse(rawURL)
	if rawURL == "" || err != nil || u.Hostname() == "" || u.User != nil {
		return
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if ip := net.ParseIP(host); ip != nil {
		host = ip.String()
	}
	port := u.Port()
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[u.Scheme]
	}
	if slices.ContainsFunc(patterns, func(p hostPattern) bool { return p.matches(host, port) }) {
		return
	}
	what := fmt.Sprintf("host %q (port %s)", host, port)
	if kind != "" && rawURL == strings.TrimRight(defaultBaseURL[kind], "/") {
		what = fmt.Sprintf("host %q (of %s, kind %s's default base URL)", host, rawURL, kind)
	}
	v.add(path, what+" is not in security.upstream_hosts",
		fmt.Sprintf("allowed: %s; add %q to security.upstream_hosts in the file if it is meant (the admin API cannot change the section)",
			strings.Join(v.c.Security.UpstreamHosts, ", "), host))
}

// WrittenSecurity returns the security section c's text holds, and false
// when it holds none. It is the one in force unless c was parsed with
// ParseOptions.Security.
func (c *Config) WrittenSecurity() (Security, bool) {
	if c.written == nil {
		return Security{}, false
	}
	return Security{UpstreamHosts: slices.Clone(c.written.UpstreamHosts)}, true
}

// SecurityDiffers returns the error, positioned at c's security section,
// of a text sent to the admin API whose section is not the file's: only
// the file may change it.
func (c *Config) SecurityDiffers() error {
	p := c.locate("security")
	return Errors{{File: c.file, Path: "security", Line: p.line, Column: p.col,
		Problem: "differs from the running file's: the admin API cannot change the security section",
		Hint:    "edit it in the file and reload (SIGHUP), or leave the section out to keep the file's"}}
}

// WithFileSecurity checks c, a configuration sent to the admin API,
// against file, the security section of the file the router runs: a
// configuration without a security section takes file's, one with a
// different section is refused (only the file may change it), and then
// every base URL must be on file's allowlist. It returns nil or an Errors
// positioned in c's text.
func (c *Config) WithFileSecurity(file Security) error {
	if c.securitySet && !c.Security.Equal(&file) {
		return c.SecurityDiffers()
	}
	c.Security = file
	c.Security.UpstreamHosts = slices.Clone(file.UpstreamHosts)
	v := &validator{c: c}
	v.security()
	for _, e := range v.errs {
		p := c.locate(e.Path)
		e.File, e.Line, e.Column = c.file, p.line, p.col
	}
	return v.errs.orNil()
}
