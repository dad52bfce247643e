package server

import (
	"strings"
	"testing"
)

// authOffConfig is keylessConfig without client keys: the API needs none.
var authOffConfig = strings.Replace(keylessConfig, "auth:\n  keys: [{key: \"${CLIENT_KEY}\", name: backend, tenant: acme}]\n", "", 1)

// hostileChat is a chat request as a hostile page sends it: JSON in a
// text/plain body, which a form or a no-cors fetch posts without a
// preflight.
const hostileChat = `{"model":"gpt-4o-mini","messages":[{"role":"user","content":"spend my tokens"}]}`

// Where the API needs no key (demo mode, or no auth.keys), a page of
// another site must not spend the operator's tokens through their browser:
// every unsafe /v1/ request a browser marks as another origin's is
// refused (403 cross_origin_refused) before it reaches an upstream, while
// curl and the SDKs (no Origin) and the same origin are served. With
// client keys the API is not guarded this way: the page has no key, and a
// browser application calling the router through a CORS proxy keeps
// working.
func TestCrossSiteAPICallsRefusedWhenKeyless(t *testing.T) {
	for _, m := range []struct {
		name string
		rig  rigOptions
	}{
		{"demo", rigOptions{text: keylessConfig, demo: true}},
		{"auth off", rigOptions{text: authOffConfig}},
	} {
		t.Run(m.name, func(t *testing.T) {
			a := startRig(t, m.rig)
			for name, h := range hostileBrowsers {
				for _, path := range []string{"/v1/chat/completions", "/v1/feedback"} {
					status, body, _ := a.send("", "POST", path, hostileChat, h)
					if status != 403 || codeOf(body) != codeCrossOrigin {
						t.Errorf("POST %s from a %s page: %d %s; want 403 %s", path, name, status, body, codeCrossOrigin)
					}
				}
			}
			json := map[string]string{"Content-Type": "application/json"}
			if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, json); status != 200 {
				t.Errorf("chat from curl: %d %s", status, body)
			}
			same := map[string]string{"Content-Type": "application/json", "Origin": a.url, "Sec-Fetch-Site": "same-origin"}
			if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, same); status != 200 {
				t.Errorf("chat from the same origin: %d %s", status, body)
			}
			if status, body, _ := a.send("", "GET", "/v1/models", "", hostileBrowsers["cross-site"]); status != 200 {
				t.Errorf("GET /v1/models cross-site (nothing changes, nothing readable without CORS): %d %s", status, body)
			}
		})
	}
	t.Run("client keys", func(t *testing.T) {
		a := startRig(t, rigOptions{text: keylessConfig})
		h := map[string]string{"Origin": "https://app.example", "Sec-Fetch-Site": "cross-site",
			"Content-Type": "application/json", "Authorization": "Bearer client-env-SECRET"}
		if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, h); status != 200 {
			t.Errorf("a keyed request from a browser application: %d %s", status, body)
		}
	})
}

// server.trusted_origins names the origins of browser applications the
// operator trusts: their unsafe requests pass both guards (the keyless
// API's and the operational endpoints'), and every other origin's are
// still refused.
func TestTrustedOrigins(t *testing.T) {
	cfg := strings.Replace(authOffConfig, "server:\n", "server:\n  trusted_origins: [\"https://app.example\", \"http://localhost:5173\"]\n", 1)
	a := startRig(t, rigOptions{text: cfg})
	trusted := map[string]string{"Origin": "https://app.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "application/json"}
	if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, trusted); status != 200 {
		t.Errorf("chat from a trusted origin: %d %s", status, body)
	}
	if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, hostileBrowsers["cross-site"]); status != 403 {
		t.Errorf("chat from an untrusted origin: %d %s", status, body)
	}
	if status, body, _ := a.send("", "POST", "/admin/keys", `{"name":"from-app","tenant":"acme"}`, hostileBrowsers["cross-site"]); status != 403 {
		t.Errorf("POST /admin/keys from an untrusted origin: %d %s", status, body)
	}
	if status, body, _ := a.send("", "POST", "/admin/keys", `{"name":"from-app","tenant":"acme"}`, trusted); status != 201 {
		t.Errorf("POST /admin/keys from a trusted origin: %d %s", status, body)
	}
}

// Where the API needs no key, a page whose domain was pointed at this
// machine (DNS rebinding) is same-origin to the browser and could read
// what it asks for: a browser's request under a Host that does not name
// this machine is refused (403 host_not_allowed), reads included, unless
// its origin is trusted. Requests without browser headers (the SDKs, a
// reverse proxy forwarding its own Host) are served under any Host.
func TestRebindingHostRefusedOnTheKeylessAPI(t *testing.T) {
	cfg := strings.Replace(authOffConfig, "server:\n", "server:\n  trusted_origins: [\"https://api.example\"]\n", 1)
	for _, m := range []struct {
		name string
		rig  rigOptions
	}{
		{"demo", rigOptions{text: keylessConfig, demo: true}},
		{"auth off", rigOptions{text: cfg}},
	} {
		t.Run(m.name, func(t *testing.T) {
			a := startRig(t, m.rig)
			rebound := map[string]string{"Host": "evil.example:8080", "Origin": "http://evil.example:8080", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
			if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, rebound); status != 403 || codeOf(body) != codeHostNotAllowed {
				t.Errorf("chat from a rebound page: %d %.300s; want 403 %s", status, body, codeHostNotAllowed)
			}
			read := map[string]string{"Host": "evil.example:8080", "Sec-Fetch-Site": "same-origin"}
			if status, body, _ := a.send("", "GET", "/v1/models", "", read); status != 403 || codeOf(body) != codeHostNotAllowed {
				t.Errorf("GET /v1/models from a rebound page: %d %.300s; want 403", status, body)
			}
			proxied := map[string]string{"Host": "llm.internal.example", "Content-Type": "application/json"}
			if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, proxied); status != 200 {
				t.Errorf("chat through a reverse proxy's Host, no browser: %d %s", status, body)
			}
			local := map[string]string{"Host": "localhost:8080", "Origin": "http://localhost:8080", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
			if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, local); status != 200 {
				t.Errorf("chat from a page on localhost: %d %s", status, body)
			}
			if m.name == "auth off" {
				app := map[string]string{"Host": "api.example", "Origin": "https://api.example", "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
				if status, body, _ := a.send("", "POST", "/v1/chat/completions", hostileChat, app); status != 200 {
					t.Errorf("chat from a trusted origin's own page: %d %s", status, body)
				}
			}
		})
	}
}
