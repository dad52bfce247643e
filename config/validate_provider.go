package config

import (
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
)

// provider checks provider name: its kind, base URL, keys, endpoints and
// headers.
func (v *validator) provider(name string, p *Provider) {
	path := "providers." + name
	if p == nil {
		v.checkName(path, name, name)
		v.add(path, "is empty", "a provider needs at least a kind")
		return
	}
	v.checkName(path, name, p.Name)
	switch {
	case p.Kind == "":
		v.add(path+".kind", "is required", "one of: "+strings.Join(kinds, ", "))
	case !slices.Contains(kinds, p.Kind):
		v.add(path+".kind", fmt.Sprintf("unknown kind %q", p.Kind), choices(p.Kind, "valid kinds", kinds))
	}
	v.baseURL(path, p)
	switch {
	case p.APIKey == "" && !p.Pooled() && !isLoopback(p.BaseURL):
		v.add(path+".api_key", "is required",
			fmt.Sprintf("e.g. api_key: ${%s}; only a loopback base_url, as for a local vLLM or Ollama, may go without", keyVar(p.Kind)))
	case badKey(p.APIKey):
		v.add(path+".api_key", "has leading or trailing spaces or control characters", badKeyHint)
	}
	v.pool(path, p)
	if p.APIVersion != "" && p.Kind != KindAzure && p.Kind != KindAnthropic && slices.Contains(kinds, p.Kind) {
		v.add(path+".api_version", "api_version is only used by kind azure and anthropic", "remove it")
	}
	v.headers(path+".headers", p.Headers)
	if p.Timeout < 0 {
		v.add(path+".timeout", "must be >= 0, got "+p.Timeout.String(), `e.g. "60s"; omit it for no limit beyond the request deadline`)
	}
	v.promptCache(path, p)
	v.serviceTier(path, p)
	v.thinkingSwitch(path, p)
}

// keyVar is the conventional environment variable for a kind's API key.
func keyVar(kind string) string {
	switch kind {
	case KindAzure:
		return "AZURE_OPENAI_API_KEY"
	case KindAnthropic:
		return "ANTHROPIC_API_KEY"
	case KindGemini:
		return "GEMINI_API_KEY"
	}
	return "OPENAI_API_KEY"
}

func (v *validator) baseURL(path string, p *Provider) {
	path += ".base_url"
	if p.BaseURL == "" {
		if p.Kind == KindAzure && p.usesBaseURL() {
			v.add(path, "is required for kind azure", "your resource's endpoint, e.g. https://NAME.openai.azure.com")
		}
		return
	}
	v.url(path, p.BaseURL)
}

// url checks a base_url: an absolute http(s) URL without credentials,
// query or fragment.
func (v *validator) url(path, rawURL string) {
	const hint = "an absolute http(s) URL, e.g. https://api.openai.com/v1"
	u, err := url.Parse(rawURL)
	switch {
	case err != nil:
		v.add(path, "is not a valid URL", hint)
	case u.User != nil:
		v.add(path, "must not contain credentials (user:password@)", "put the credential in api_key or headers")
	case u.RawQuery != "" || u.Fragment != "" || u.ForceQuery:
		// Not quoted: a query may carry a key (?key=...).
		v.add(path, "must not have a query or fragment", "give only the API root; put credentials in api_key or headers")
	case u.Scheme != "http" && u.Scheme != "https":
		v.add(path, fmt.Sprintf("%q is not an absolute http(s) URL", rawURL), hint)
	case u.Host == "" || u.Hostname() == "":
		v.add(path, fmt.Sprintf("%q has no host", rawURL), hint)
	}
}

// isLoopback reports whether rawURL points at this machine (localhost or a
// loopback IP).
func isLoopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.User != nil {
		return false
	}
	host := strings.ToLower(u.Hostname())
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// reservedHeaders are set by the HTTP client and may not be overridden.
var reservedHeaders = []string{"Connection", "Content-Length", "Host", "Transfer-Encoding"}

func (v *validator) headers(path string, h map[string]string) {
	for _, name := range sortedKeys(h) {
		p := path + "." + name
		switch {
		case !validHeaderName(name):
			v.add(p, fmt.Sprintf("invalid header name %q", name), "letters, digits and !#$%&'*+-.^_`|~ only")
		case slices.ContainsFunc(reservedHeaders, func(r string) bool { return strings.EqualFold(r, name) }):
			v.add(p, fmt.Sprintf("header %q is set by the HTTP client", name), "remove it")
		case strings.ContainsAny(h[name], "\r\n\x00"):
			v.add(p, "value contains a line break or NUL", "header values are one line")
		}
	}
}

func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
		if !ok {
			return false
		}
	}
	return true
}
