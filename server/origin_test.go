package server

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/store"
)

// keylessConfig is adminConfig without admin keys: the operational
// endpoints answer a local client without a key. Its listen address is
// by name (the rig serves elsewhere; the name is allowed as a Host).
const keylessConfig = `auth:
  keys: [{key: "${CLIENT_KEY}", name: backend, tenant: acme}]
server:
  addr: router.lan:8080
providers:
  openai: {kind: openai, base_url: "${SIM_URL}", api_key: prov-SECRET-openai}
deployments:
  gpt-4o-mini: {provider: openai, price: {input: 0.15, output: 0.6}}
  gpt-4o: {provider: openai, price: {input: 2.5, output: 10}}
routes:
  chat: {deployments: [gpt-4o-mini, gpt-4o], strategy: cheapest}
security:
  upstream_hosts: [127.0.0.1]
`

// opsMode is a way the router guards its operational endpoints, and the
// principal (adminRig.call's) a legitimate caller uses there.
type opsMode struct {
	name      string
	rig       rigOptions
	principal string
}

var opsModes = []opsMode{
	{"demo", rigOptions{text: keylessConfig, demo: true}, ""},
	{"keyless loopback", rigOptions{text: keylessConfig}, ""},
	{"admin keys", rigOptions{text: adminConfig}, "adm"},
}

// send sends one request as principal with the headers h ("Host" sets
// the request's Host) and returns the status, the body and the headers.
func (a *adminRig) send(principal, method, path, body string, h map[string]string) (int, string, http.Header) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.url+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	if principal != "" {
		req.Header.Set("Authorization", "Bearer "+adminKey[principal])
	}
	for k, v := range h {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

// keyNames returns the names of the managed keys, as principal sees them.
func (a *adminRig) keyNames(principal string) []string {
	a.t.Helper()
	status, body := a.call(principal, "GET", "/admin/keys", "", "")
	var list admin.KeyList
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil {
		a.t.Fatalf("GET /admin/keys: %d %s", status, body)
	}
	var names []string
	for _, k := range list.Data {
		names = append(names, k.Name)
	}
	return names
}

// version returns the version of the running configuration.
func (a *adminRig) version(principal string) (int64, string) {
	a.t.Helper()
	status, body := a.call(principal, "GET", "/admin/config", "", "")
	var v admin.ConfigView
	if status != 200 || json.Unmarshal([]byte(body), &v) != nil {
		a.t.Fatalf("GET /admin/config: %d %s", status, body)
	}
	return v.Version, v.YAML
}

// hostileBrowsers are the headers a browser sends with a request a page
// of another site makes: a form POST or a no-cors fetch (text/plain, no
// preflight).
var hostileBrowsers = map[string]map[string]string{
	"cross-site":                  {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site", "Content-Type": "text/plain"},
	"same-site, other port":       {"Origin": "http://localhost:3000", "Sec-Fetch-Site": "same-site", "Content-Type": "text/plain"},
	"old browser, Origin only":    {"Origin": "https://evil.example", "Content-Type": "text/plain"},
	"sandboxed page, Origin null": {"Origin": "null", "Content-Type": "text/plain"},
}

// A page of another site cannot drive the admin API through the
// operator's browser, keyless or not: every unsafe request it makes is
// refused (403 cross_origin_refused, audited) and changes nothing, while
// the same calls from curl (no Origin) and from the dashboard's own
// origin work.
func TestCrossSiteAdminCallsRefused(t *testing.T) {
	for _, m := range opsModes {
		t.Run(m.name, func(t *testing.T) {
			a := startRig(t, m.rig)
			v1, text := a.version(m.principal)
			changed := strings.Replace(text, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)
			if status, body := a.call(m.principal, "PUT", "/admin/config", "application/yaml", changed); status != 200 {
				t.Fatalf("PUT /admin/config from curl: %d %s", status, body)
			}
			v2, _ := a.version(m.principal)
			calls := []struct{ method, path, body string }{
				{"POST", "/admin/keys", `{"name":"planted","admin":true,"role":"admin"}`},
				{"POST", "/admin/config/rollback", `{"version": 1}`},
				{"PUT", "/admin/config", text},
				{"DELETE", "/admin/keys/some-id", ""},
				{"POST", "/admin/health/gpt-4o/reset", ""},
			}
			for name, h := range hostileBrowsers {
				for _, c := range calls {
					status, body, _ := a.send(m.principal, c.method, c.path, c.body, h)
					if status != 403 || codeOf(body) != codeCrossOrigin {
						t.Errorf("%s %s from a %s page: %d %s; want 403 %s", c.method, c.path, name, status, body, codeCrossOrigin)
					}
				}
			}
			if names := a.keyNames(m.principal); len(names) != 0 {
				t.Errorf("keys made by cross-site requests: %v", names)
			}
			if v, _ := a.version(m.principal); v != v2 || v2 == v1 {
				t.Errorf("version %d after cross-site rollbacks and PUTs; want %d (and not %d)", v, v2, v1)
			}
			a.waitAudit("the cross-site refusal", func(evs []store.AuditEvent) bool {
				for _, e := range evs {
					if e.Action == admin.ActionDenied && e.Target == "POST /admin/keys" &&
						strings.HasPrefix(e.Detail, codeCrossOrigin+": ") && strings.Contains(e.Detail, "evil.example") {
						return true
					}
				}
				return false
			})
			// From the dashboard's own origin, and from curl.
			sameOrigin := map[string]string{"Origin": a.url, "Sec-Fetch-Site": "same-origin", "Content-Type": "application/json"}
			if status, body, _ := a.send(m.principal, "POST", "/admin/config/rollback", `{"version": 1}`, sameOrigin); status != 200 {
				t.Errorf("rollback from the same origin: %d %s", status, body)
			}
			if v, _ := a.version(m.principal); v != v2+1 {
				t.Errorf("version %d after the same-origin rollback; want %d", v, v2+1)
			}
			if status, body, _ := a.send(m.principal, "POST", "/admin/keys", `{"name":"dashboard","tenant":"acme"}`, sameOrigin); status != 201 {
				t.Errorf("POST /admin/keys from the same origin: %d %s", status, body)
			}
			if status, body := a.call(m.principal, "POST", "/admin/keys", "", `{"name":"curl","tenant":"acme"}`); status != 201 {
				t.Errorf("POST /admin/keys from curl: %d %s", status, body)
			}
			if names := a.keyNames(m.principal); len(names) != 2 {
				t.Errorf("keys after the same-origin and curl calls: %v; want dashboard and curl", names)
			}
		})
	}
}

// A page whose name was pointed at this machine (DNS rebinding) reaches
// the router same-origin, under its own Host: where the operational
// endpoints need no key, that Host is refused (403 host_not_allowed,
// audited) on /admin/, /metrics and the dashboard; the probes answer any
// Host, and an admin key opens the endpoints under any Host.
func TestRebindingHostRefused(t *testing.T) {
	evil := map[string]string{"Host": "evil.example:8080"}
	paths := []string{"/admin/whoami", "/admin/health", "/metrics", "/ui/", "/ui/auth.json", "/ui"}
	for _, m := range opsModes {
		t.Run(m.name, func(t *testing.T) {
			a := startRig(t, m.rig)
			keyless := m.principal == ""
			for _, p := range paths {
				status, body, _ := a.send(m.principal, "GET", p, "", evil)
				switch {
				case keyless && (status != 403 || codeOf(body) != codeHostNotAllowed):
					t.Errorf("GET %s under Host evil.example: %d %.300s; want 403 %s", p, status, body, codeHostNotAllowed)
				case !keyless && status/100 == 4:
					t.Errorf("GET %s with an admin key under Host evil.example: %d %.300s", p, status, body)
				}
			}
			// The rebinding page's own fetch is same-origin to the browser.
			rebound := map[string]string{"Host": "evil.example:8080", "Origin": "http://evil.example:8080", "Sec-Fetch-Site": "same-origin", "Content-Type": "text/plain"}
			status, body, _ := a.send(m.principal, "POST", "/admin/keys", `{"name":"planted","tenant":"acme"}`, rebound)
			if keyless && (status != 403 || codeOf(body) != codeHostNotAllowed) {
				t.Errorf("POST /admin/keys from a rebound page: %d %s", status, body)
			}
			if keyless && len(a.keyNames("")) != 0 {
				t.Error("a rebound page made a key")
			}
			for _, p := range []string{"/healthz", "/readyz"} {
				if status, body, _ := a.send("", "GET", p, "", evil); status != 200 {
					t.Errorf("GET %s under Host evil.example: %d %s", p, status, body)
				}
			}
			for _, host := range []string{a.url[len("http://"):], "localhost:8080", "LocalHost", "[::1]:8080", "10.0.0.5:8080", "router.lan:8080"} {
				if host == "router.lan:8080" && !keyless {
					continue
				}
				if status, body, _ := a.send(m.principal, "GET", "/admin/whoami", "", map[string]string{"Host": host}); status != 200 {
					t.Errorf("GET /admin/whoami under Host %s: %d %s", host, status, body)
				}
			}
			if keyless {
				a.waitAudit("the refused Host", func(evs []store.AuditEvent) bool {
					for _, e := range evs {
						if e.Action == admin.ActionDenied && strings.HasPrefix(e.Detail, codeHostNotAllowed+`: Host "evil.example:8080"`) {
							return true
						}
					}
					return false
				})
			}
		})
	}
}

// The router answers no CORS: no page of another origin may read the
// operational endpoints, the dashboard or the API, and no preflight
// succeeds.
func TestNoCORS(t *testing.T) {
	for _, m := range opsModes[:2] {
		t.Run(m.name, func(t *testing.T) {
			a := startRig(t, m.rig)
			origin := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
			preflight := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site",
				"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}
			checks := []struct {
				method, path string
				h            map[string]string
			}{
				{"GET", "/admin/health", origin}, {"GET", "/metrics", origin}, {"GET", "/ui/", origin},
				{"GET", "/ui/auth.json", origin}, {"GET", "/v1/models", origin},
				{"OPTIONS", "/admin/keys", preflight}, {"OPTIONS", "/admin/config", preflight}, {"OPTIONS", "/v1/chat/completions", preflight},
			}
			for _, c := range checks {
				_, _, h := a.send("", c.method, c.path, "", c.h)
				for name := range h {
					if strings.HasPrefix(strings.ToLower(name), "access-control-") {
						t.Errorf("%s %s from another origin answers %s: %s", c.method, c.path, name, h.Get(name))
					}
				}
			}
		})
	}
}

func TestHostAllowed(t *testing.T) {
	s := &Server{opts: Options{LocalHosts: []string{"router.lan"}}}
	for host, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.0.0.1": true, "[::1]:8080": true, "[::1]": true, "localhost:8080": true,
		"LOCALHOST": true, "localhost.": true, "192.168.1.5:8080": true, "[fe80::1%25eth0]:80": true, "": true,
		"router.lan:9090": true, "Router.LAN": true,
		"evil.example:8080": false, "evil.example": false, "localhost.evil.example": false, "evil.localhost": false,
		"127.0.0.1.nip.io:8080": false, "router.lan.evil.example": false, "0x7f000001": false,
	} {
		if got := s.hostAllowed(host); got != want {
			t.Errorf("hostAllowed(%q) = %v, want %v", host, got, want)
		}
	}
	if got := listenHosts("router.lan:8080", "127.0.0.1:9090", ":8080", "", "[::1]:80", "Box:1"); strings.Join(got, ",") != "router.lan,Box" {
		t.Errorf("listenHosts = %q", got)
	}
}

// The admin listener (server.admin_listen) has the same guards.
func TestBrowserGuardsOnTheAdminListener(t *testing.T) {
	opts := opsOptions(true)
	opts.AdminKeys, opts.AnyKey, opts.Dashboard = nil, true, true
	s := newServer(&backend{}, opts)
	crossSite := map[string]string{"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
	if w := do(s.ops, "POST", "/admin/health/d/reset", "", crossSite); w.Code != 403 || codeOf(w.Body.String()) != codeCrossOrigin {
		t.Errorf("cross-site reset on the admin listener: %d %s", w.Code, w.Body)
	}
	if w := do(s.ops, "POST", "/admin/health/d/reset", "", nil); w.Code != 200 {
		t.Errorf("reset from curl on the admin listener: %d %s", w.Code, w.Body)
	}
	for _, path := range []string{"/admin/health", "/ui/"} {
		r := httptest.NewRequest("GET", "http://evil.example:9090"+path, nil)
		w := httptest.NewRecorder()
		s.ops.ServeHTTP(w, r)
		if w.Code != 403 || codeOf(w.Body.String()) != codeHostNotAllowed {
			t.Errorf("GET %s under a rebound Host on the admin listener: %d %s", path, w.Code, w.Body)
		}
	}
}
