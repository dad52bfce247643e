package server

import (
	"net/http"
	"strings"
	"testing"
)

// corsConfig is keylessConfig (client keys) with one trusted origin.
var corsConfig = strings.Replace(keylessConfig, "server:\n", "server:\n  trusted_origins: [\"https://app.example\"]\n", 1)

// A browser application of server.trusted_origins calls the API from its
// pages: its preflight is answered (before authentication: a preflight
// carries no key) and its answers, errors included, carry the CORS
// headers that let the page read them and the router's headers. Another
// origin's get no CORS header; nor do the operational endpoints, even
// for the trusted origin.
func TestCORSForTrustedOrigins(t *testing.T) {
	a := startRig(t, rigOptions{text: corsConfig})
	preflight := map[string]string{"Origin": "https://app.example", "Sec-Fetch-Site": "cross-site",
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization, content-type, x-stainless-os"}
	status, body, h := a.send("", "OPTIONS", "/v1/chat/completions", "", preflight)
	if status != 204 || h.Get("Access-Control-Allow-Origin") != "https://app.example" ||
		h.Get("Access-Control-Allow-Headers") != "authorization,content-type,x-stainless-os" ||
		!strings.Contains(h.Get("Access-Control-Allow-Methods"), "POST") || h.Get("Access-Control-Max-Age") == "" {
		t.Errorf("a trusted origin's preflight: %d %s %v", status, body, h)
	}
	page := map[string]string{"Origin": "https://app.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}
	keyed := map[string]string{"Authorization": "Bearer client-env-SECRET"}
	for k, v := range page {
		keyed[k] = v
	}
	status, body, h = a.send("", "POST", "/v1/chat/completions", hostileChat, keyed)
	if status != 200 || h.Get("Access-Control-Allow-Origin") != "https://app.example" || !varies(h, "Origin") {
		t.Fatalf("a trusted origin's chat: %d %s %v", status, body, h)
	}
	for _, name := range []string{"X-Request-Id", "X-Switchyard-Request-Id", "X-Switchyard-Cost-Usd"} {
		if h.Get(name) == "" || !strings.Contains(h.Get("Access-Control-Expose-Headers"), name) {
			t.Errorf("%s is not readable by the page: %q, exposed %q", name, h.Get(name), h.Get("Access-Control-Expose-Headers"))
		}
	}
	if status, _, h = a.send("", "POST", "/v1/chat/completions", hostileChat, page); status != 401 || h.Get("Access-Control-Allow-Origin") == "" {
		t.Errorf("a trusted origin's keyless chat: %d, CORS %q (the page must read the 401)", status, h.Get("Access-Control-Allow-Origin"))
	}
	other := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site",
		"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
	checks := []struct {
		method, path string
		h            map[string]string
	}{
		{"OPTIONS", "/v1/chat/completions", other}, {"POST", "/v1/chat/completions", other},
		{"OPTIONS", "/admin/keys", preflight}, {"GET", "/admin/health", page}, {"GET", "/metrics", page},
	}
	for _, c := range checks {
		_, _, h := a.send("", c.method, c.path, hostileChat, c.h)
		for name := range h {
			if strings.HasPrefix(strings.ToLower(name), "access-control-") {
				t.Errorf("%s %s from %s answers %s: %s", c.method, c.path, c.h["Origin"], name, h.Get(name))
			}
		}
	}
}

func varies(h http.Header, name string) bool {
	for _, v := range h.Values("Vary") {
		if strings.EqualFold(v, name) {
			return true
		}
	}
	return false
}
