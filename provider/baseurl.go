package provider

import (
	"fmt"
	"net/url"
	"strings"
)

// BaseURL returns a provider's configured base URL without trailing
// slashes, or def when none is configured, after checking that it is an
// absolute http(s) URL without a query. The error names the provider
// (kind and name) and the URL as configured.
func BaseURL(kind, name, configured, def string) (string, *url.URL, error) {
	base := strings.TrimRight(configured, "/")
	if base == "" {
		base = def
	}
	u, err := url.Parse(base)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return "", nil, fmt.Errorf("%s provider %q: base_url %q is not an absolute http(s) URL without a query", kind, name, configured)
	}
	return base, u, nil
}
