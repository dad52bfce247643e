package ui

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"switchyard/admin"
	"switchyard/store"
)

// evilHost is a name of another site; the browser resolves it to
// 127.0.0.1 (newBrowser's host-resolver-rules), as a rebinding attacker's
// DNS would.
const evilHost = "evil.example"

// TestHostilePages: in demo mode, where the admin API needs no key, the
// pages of other sites open in the same Chromium cannot use it. A page of
// another site, and one of the same site on another port, send a
// no-cors POST /admin/keys with a text/plain body (no preflight): the
// router refuses each as the browser marked it (Sec-Fetch-Site,
// audited) and makes no key. A rebound page (evil.example pointed at the
// router: same-origin to the browser) can neither open the dashboard
// nor read or call /admin/ or the keyless /v1/; it can read /healthz.
func TestHostilePages(t *testing.T) {
	b := newBrowser(t)
	g := startRouter(t, true)
	page := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<!doctype html><title>another site</title><p>nothing to see</p>")
	}))
	t.Cleanup(page.Close)
	_, pagePort := hostPort(t, page.URL)
	routerHost, routerPort := hostPort(t, g.url)
	if routerHost != "127.0.0.1" {
		t.Fatalf("the router listens on %s; the test assumes 127.0.0.1", routerHost)
	}
	plant := `fetch(` + jsString(g.url+"/admin/keys") + `, {method: "POST", mode: "no-cors", body: '{"name":"planted","tenant":"acme"}'}).then(() => "sent", e => "failed: " + e)`
	spend := `fetch(` + jsString(g.url+"/v1/chat/completions") + `, {method: "POST", mode: "no-cors", body: '{"model":"auto","messages":[{"role":"user","content":"spend"}]}'}).then(() => "sent", e => "failed: " + e)`
	origins := map[string]string{
		"cross-site": "http://" + evilHost + ":" + pagePort,
		"same-site":  "http://127.0.0.1:" + pagePort,
	}
	for site, origin := range origins {
		tab := b.tab(t)
		tab.run(t, "open a page of "+origin, navigate(origin+"/"), waitVisible("p"))
		// The promise settles once the answer came: the router is done.
		for _, js := range []string{plant, spend} {
			if got := get(t, tab, "send the forged request", chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise)); got != "sent" {
				t.Fatalf("%s: the page's fetch: %s", site, got)
			}
		}
	}
	if keys := listKeys(t, g); len(keys.Data) != 0 {
		t.Errorf("pages of other sites made keys: %+v", keys.Data)
	}
	for site, origin := range origins {
		for _, target := range []string{"POST /admin/keys", "POST /v1/chat/completions"} {
			waitDenied(t, g, target, `cross_origin_refused: Origin "`+origin+`", Sec-Fetch-Site "`+site+`"`)
		}
	}
	var logged admin.RequestList
	getJSON(t, g.url+"/admin/requests", &logged)
	for _, r := range logged.Data { // the refusals are logged (403), never served
		if r.Status != 403 || r.Deployment != "" || r.Tokens != (admin.Tokens{}) {
			t.Errorf("the keyless API served a page of another site: %+v", r)
		}
	}

	rebound := "http://" + evilHost + ":" + routerPort
	tab := b.tab(t)
	tab.run(t, "open the dashboard under the rebound name", navigate(rebound+"/ui/"))
	if shown := tab.shown(); !strings.Contains(shown, "host_not_allowed") {
		t.Errorf("the dashboard under %s shows:\n%s", rebound, shown)
	}
	for js, want := range map[string]float64{
		`fetch("/admin/whoami").then(r => r.status)`:                                                             403,
		`fetch("/admin/requests").then(r => r.status)`:                                                           403,
		`fetch("/admin/keys", {method: "POST", body: '{"name":"planted","tenant":"acme"}'}).then(r => r.status)`: 403,
		`fetch("/healthz").then(r => r.status)`:                                                                  200,
		// The keyless API: the rebound page would read the completion.
		`fetch("/v1/chat/completions", {method: "POST", headers: {"Content-Type": "application/json"}, body: '{"model":"auto","messages":[{"role":"user","content":"read me"}]}'}).then(r => r.status)`: 403,
	} {
		if got := get(t, tab, js, chromedp.Evaluate[float64](js, chromedp.EvalAwaitPromise)); got != want {
			t.Errorf("%s from the rebound page: %v, want %v", js, got, want)
		}
	}
	waitDenied(t, g, "", `host_not_allowed: Host "`+evilHost+":"+routerPort+`"`)
	if keys := listKeys(t, g); len(keys.Data) != 0 {
		t.Errorf("the rebound page made keys: %+v", keys.Data)
	}
}

// hostPort splits the host and port of rawURL.
func hostPort(t *testing.T, rawURL string) (string, string) {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Hostname(), u.Port()
}

func jsString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// listKeys reads the managed keys (the router is in demo mode: no key).
func listKeys(t *testing.T, g *rig) admin.KeyList {
	t.Helper()
	var list admin.KeyList
	getJSON(t, g.url+"/admin/keys", &list)
	return list
}

// waitDenied polls the audit trail (written off the requests' path)
// until an admin.denied event's detail starts with prefix (and its target
// is target, unless empty), failing after a deadline.
func waitDenied(t *testing.T, g *rig, target, prefix string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var list admin.AuditList
		getJSON(t, g.url+"/admin/audit?action="+admin.ActionDenied+"&limit=1000", &list)
		for _, e := range list.Data {
			if strings.HasPrefix(e.Detail, prefix) && (target == "" || e.Target == target) {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("no admin.denied event starts with %q: %+v", prefix, details(list.Data))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func details(evs []store.AuditEvent) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Detail)
	}
	return out
}

func getJSON(t *testing.T, u string, v any) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
}
