package provider

import (
	"fmt"
	"net/http"
	"net/url"
)

// NoRedirects is the CheckRedirect of every upstream client: a redirect
// is never followed. Following one would send the request again (its
// body, and on a 307 or 308 to the same domain its credentials) to a host
// the configuration never named and security.upstream_hosts never
// allowed; the 3xx answer is returned instead, and mapped to a retryable
// upstream error (see ErrorFromResponse).
func NoRedirects(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// UpstreamClient returns the client an adapter must use for hc: nil means
// DefaultHTTPClient; any other client is copied (sharing its transport)
// with CheckRedirect set to NoRedirects, whatever it had.
func UpstreamClient(hc *http.Client) *http.Client {
	if hc == nil || hc == DefaultHTTPClient {
		return DefaultHTTPClient
	}
	c := *hc
	c.CheckRedirect = NoRedirects
	return &c
}

// redirectMessage words a 3xx answer for the client and the log: the
// status and the host it pointed to (not its path or query, which may
// carry anything), and what to check.
func redirectMessage(name string, resp *http.Response) string {
	where := "elsewhere"
	if u, err := url.Parse(resp.Header.Get("Location")); err == nil && u.Host != "" {
		where = "to host " + cut(u.Host, 100)
	}
	return fmt.Sprintf("upstream %s answered %d, a redirect %s, which the router does not follow; check the provider's base_url",
		name, resp.StatusCode, where)
}
