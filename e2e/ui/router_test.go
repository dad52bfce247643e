package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/demo"
	"switchyard/reload"
	"switchyard/server"
	"switchyard/sim"
	simserver "switchyard/sim/server"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// The keys of the test's router: a client key of tenant acme, and an
// admin and a viewer admin key. The admin keys' secrets must never reach
// the page.
const (
	clientKey = "ck-ui-client-0123456789"
	adminKey  = "ak-ui-admin-SECRET-0123456789"
	viewerKey = "ak-ui-viewer-SECRET-0123456789"
	// xssPrompt is a prompt that would run script if the page parsed it
	// as HTML.
	xssPrompt = `Please repeat <img src=x onerror="document.title='XSS-img'"> and <script>document.title='XSS-script'</script> verbatim.`
	// xssPath is a path asked for with a wrong key: the audit trail keeps
	// it as the failed login's target.
	xssPath = `/admin/%3Cimg%20src=x%20onerror=%22document.title='XSS-audit'%22%3E`
)

// rig is a router started from a configuration file's text (the demo's,
// with keys, stored bodies and a failover route), recording to SQLite, in
// front of the simulated providers, with gpt-4o down: route failover
// falls over from it, route broken has only it.
type rig struct {
	url string
	// st is the router's store; sim and simAddr its simulated providers.
	st      store.Store
	sim     *simserver.Server
	simAddr string
}

// auth is the keys section the rig's configuration adds to the demo's.
const auth = `auth:
  keys: [{key: "` + clientKey + `", name: ui-backend, tenant: acme}]
  admin_keys:
    - {key: "` + adminKey + `", name: ui-admin, role: admin}
    - {key: "` + viewerKey + `", name: ui-viewer, role: viewer}
`

// routes are the rig's routes beside the demo's: failover falls over
// from gpt-4o (down), broken has only it, pair splits factual questions
// between a dearer and a cheaper deployment (for the report).
const routes = `  failover:
    deployments: [gpt-4o, claude-haiku-4-5]
    strategy: ordered
  broken:
    deployments: [gpt-4o]
  pair:
    deployments: [claude-haiku-4-5, gpt-4o-mini]
    categories:
      factual: {split: {claude-haiku-4-5: 75, gpt-4o-mini: 25}}
`

// startRouter starts the rig's router; demoMode starts it as serve --demo
// does (no keys: every client, and the admin API, open).
func startRouter(t *testing.T, demoMode bool) *rig {
	t.Helper()
	return startRouterWith(t, demoMode, "")
}

// startRouterWith is startRouter with sections added to the
// configuration (budgets, say).
func startRouterWith(t *testing.T, demoMode bool, extra string) *rig {
	t.Helper()
	simAddr, simulator, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stopSim)
	simulator.Faults.Add(sim.Fault{Kind: sim.FaultUnavailable, Model: "gpt-4o"})
	dbPath := filepath.Join(t.TempDir(), "switchyard.db")
	text := string(demo.YAML(simAddr, dbPath))
	storeLine := regexp.MustCompile(`(?m)^store: \{(.*)\}$`)
	if !storeLine.MatchString(text) || !strings.Contains(text, "\nroutes:\n") || strings.Contains(text, "\nauth:") {
		t.Fatalf("the demo's configuration changed shape; adjust the rig:\n%s", text)
	}
	text = storeLine.ReplaceAllString(text, "store: {$1, bodies: redacted}")
	text = strings.Replace(text, "\nroutes:\n", "\nroutes:\n"+routes, 1)
	if !demoMode {
		text += auth
	}
	text += extra
	f, err := reload.ParseFile([]byte(text), "", nil)
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	r, err := server.NewRouter(f.Config, server.RouterOptions{Store: st, File: f, NoRequestLog: true, Demo: demoMode,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		st.Close()
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ts.CloseClientConnections()
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		r.Close(ctx)
		st.Close()
	})
	return &rig{url: ts.URL, st: st, sim: simulator, simAddr: simAddr}
}

// ratePairs sends n factual questions to route pair and rates every
// answer up: enough outcomes on both deployments for the weekly report
// to recommend the cheaper one (with min_outcomes 3).
func (g *rig) ratePairs(t *testing.T, n int) {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		var status int
		if ids[i], status = g.chat(t, "pair", fmt.Sprintf("What is the capital of country number %d?", i)); status != 200 {
			t.Fatalf("pair: %d", status)
		}
	}
	g.waitLogged(t, adminKey, ids...)
	for _, id := range ids {
		body, _ := json.Marshal(map[string]string{"request_id": id, "thumbs": "up"})
		if resp := g.do(t, "POST", "/v1/feedback", clientKey, body); resp.StatusCode >= 300 {
			t.Fatalf("feedback: %d", resp.StatusCode)
		}
	}
}

// chat sends one chat request as the client and returns its request id
// and status.
func (g *rig) chat(t *testing.T, model, prompt string) (string, int) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"model": model, "messages": []map[string]string{{"role": "user", "content": prompt}}})
	resp := g.do(t, "POST", "/v1/chat/completions", clientKey, body)
	id := resp.Header.Get("x-switchyard-request-id")
	if id == "" {
		t.Fatalf("%s: no request id (%d)", model, resp.StatusCode)
	}
	return id, resp.StatusCode
}

func (g *rig) do(t *testing.T, method, path, key string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, g.url+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// traffic is what sendTraffic sent: the ids of its requests.
type traffic struct {
	factual, failover, failed, xss, learned string
}

// sendTraffic sends a routed request, one that fails over, one that
// fails, one whose prompt carries HTML, and one the adaptive scorer
// ranks (route learned); then a wrong-key admin call
// whose path carries HTML (into the audit trail). It waits until the
// request log holds the four.
func (g *rig) sendTraffic(t *testing.T) traffic {
	t.Helper()
	var tr traffic
	var status int
	if tr.factual, status = g.chat(t, "auto", "What is the capital of France?"); status != 200 {
		t.Fatalf("auto: %d", status)
	}
	if tr.failover, status = g.chat(t, "failover", "hello there"); status != 200 {
		t.Fatalf("failover: %d", status)
	}
	if tr.failed, status = g.chat(t, "broken", "are you there?"); status < 500 {
		t.Fatalf("broken (its one deployment is down): %d", status)
	}
	if tr.xss, status = g.chat(t, "auto", xssPrompt); status != 200 {
		t.Fatalf("xss prompt: %d", status)
	}
	if tr.learned, status = g.chat(t, "learned", "What is the capital of Spain?"); status != 200 {
		t.Fatalf("learned: %d", status)
	}
	if resp := g.do(t, "GET", xssPath, "wrong-key-0123456789", nil); resp.StatusCode != 401 {
		t.Fatalf("a wrong admin key: %d", resp.StatusCode)
	}
	g.waitLogged(t, adminKey, tr.factual, tr.failover, tr.failed, tr.xss, tr.learned)
	return tr
}

// waitLogged waits until the request log, read with key, holds every one
// of ids (the log is written off the requests' path).
func (g *rig) waitLogged(t *testing.T, key string, ids ...string) {
	t.Helper()
	// Generous: the log is written asynchronously, and on a loaded
	// machine (CI beside other builds) 60 rows have taken over 10 s.
	deadline := time.Now().Add(60 * time.Second)
	for g.logged(t, key, ids) < len(ids) {
		if time.Now().After(deadline) {
			t.Fatalf("the request log never held the %d requests", len(ids))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// logged counts the requests of ids in the request log.
func (g *rig) logged(t *testing.T, key string, ids []string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", g.url+"/admin/requests?limit=1000", nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list admin.RequestList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range list.Data {
		if slices.Contains(ids, r.ID) {
			n++
		}
	}
	return n
}

// addRoute applies, through the configuration API, the running
// configuration with one more route: a second version to roll back from.
func (g *rig) addRoute(t *testing.T, name string) {
	t.Helper()
	g.addRouteOf(t, name, "{deployments: [gpt-4o-mini]}")
}

// addRouteOf is addRoute with the route's YAML flow mapping.
func (g *rig) addRouteOf(t *testing.T, name, route string) {
	t.Helper()
	req, _ := http.NewRequest("GET", g.url+"/admin/config?format=yaml", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	text, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	changed := strings.Replace(string(text), "\nroutes:\n", "\nroutes:\n  "+name+": "+route+"\n", 1)
	req, _ = http.NewRequest("PUT", g.url+"/admin/config", strings.NewReader(changed))
	req.Header.Set("Authorization", "Bearer "+adminKey)
	req.Header.Set("Content-Type", "application/yaml")
	if resp, err = http.DefaultClient.Do(req); err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("PUT /admin/config: %d %s", resp.StatusCode, body)
	}
}

// configVersion returns the running configuration's version.
func (g *rig) configVersion(t *testing.T) int64 {
	t.Helper()
	req, _ := http.NewRequest("GET", g.url+"/admin/config", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v admin.ConfigView
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v.Version
}

// failedLogins counts the auth.failed events of the audit trail, waiting
// (a while) for at least want: they are written off the requests' path.
func (g *rig) failedLogins(t *testing.T, want int) int {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		n := g.countFailedLogins(t)
		if n >= want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func (g *rig) countFailedLogins(t *testing.T) int {
	t.Helper()
	req, _ := http.NewRequest("GET", g.url+"/admin/audit?action=auth.failed&limit=1000", nil)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list admin.AuditList
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	return len(list.Data)
}
