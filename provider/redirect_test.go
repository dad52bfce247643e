package provider

import (
	"net/http"
	"strings"
	"testing"
)

// TestUpstreamClient checks that every client an adapter uses refuses
// redirects, and that a caller's client is left as it was.
func TestUpstreamClient(t *testing.T) {
	follow := func(*http.Request, []*http.Request) error { return nil }
	own := &http.Client{CheckRedirect: follow}
	for name, hc := range map[string]*http.Client{"nil": nil, "default": DefaultHTTPClient, "own": own, "zero": {}} {
		c := UpstreamClient(hc)
		if c.CheckRedirect == nil || c.CheckRedirect(nil, nil) != http.ErrUseLastResponse {
			t.Errorf("%s: the upstream client follows redirects", name)
		}
	}
	if own.CheckRedirect(nil, nil) != nil {
		t.Error("UpstreamClient changed the caller's client")
	}
}

func TestRedirectError(t *testing.T) {
	resp := &http.Response{StatusCode: http.StatusTemporaryRedirect, Header: http.Header{"Location": {"https://evil.example:8443/v1/x?key=" + "sk-abc"}},
		Body: http.NoBody}
	e := ErrorFromResponse("up", []string{"sk-abc"}, resp, nil)
	if e.HTTPStatus() != http.StatusBadGateway || !e.Retryable || !strings.Contains(e.Message, "redirect to host evil.example:8443") {
		t.Errorf("got %+v", e)
	}
	if strings.Contains(e.Message, "sk-abc") || strings.Contains(e.Message, "/v1/x") {
		t.Errorf("message %q quotes the Location's path or query", e.Message)
	}
}
