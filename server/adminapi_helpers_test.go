package server

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/demo"
	"switchyard/reload"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// adminConfig is a configuration file with an admin key of every role,
// unscoped and scoped to tenant acme, secrets written literally and as
// ${VAR} references, and an allowlist of the simulated providers' host.
const adminConfig = `# the router's configuration
auth:
  keys: [{key: "${CLIENT_KEY}", name: backend, tenant: acme}]
  admin_keys:
    - {key: adm-SECRET-key-1, name: adm}
    - {key: "${ADM_ACME_KEY}", name: adm-acme, tenant: acme}
    - {key: op-SECRET-key-1, name: op, role: operator}
    - {key: op-acme-SECRET-key-1, name: op-acme, role: operator, tenant: acme}
    - {key: view-SECRET-key-1, name: view, role: viewer}
    - {key: view-acme-SECRET-key-1, name: view-acme, role: viewer, tenant: acme}
providers:
  openai:
    kind: openai
    base_url: "${SIM_URL}"
    api_key: prov-SECRET-openai   # written literally: masked everywhere
deployments:
  gpt-4o-mini: {provider: openai, price: {input: 0.15, output: 0.6}}
  gpt-4o: {provider: openai, price: {input: 2.5, output: 10}}
routes:
  chat: {deployments: [gpt-4o-mini, gpt-4o], strategy: cheapest}
security:
  upstream_hosts: [127.0.0.1]
`

// adminSecrets are the secrets of adminConfig and its environment: none
// may appear in an admin answer, a version, a diff or an audit row.
var adminSecrets = []string{"adm-SECRET-key-1", "adm-acme-env-SECRET", "op-SECRET-key-1", "op-acme-SECRET-key-1",
	"view-SECRET-key-1", "view-acme-SECRET-key-1", "client-env-SECRET", "prov-SECRET-openai"}

// adminKey is the admin key of each principal of adminConfig.
var adminKey = map[string]string{
	"adm": "adm-SECRET-key-1", "adm-acme": "adm-acme-env-SECRET", "op": "op-SECRET-key-1",
	"op-acme": "op-acme-SECRET-key-1", "view": "view-SECRET-key-1", "view-acme": "view-acme-SECRET-key-1",
}

// adminRig is a router started from a configuration file, with an SQLite
// request log, behind a test HTTP server.
type adminRig struct {
	t      testing.TB
	r      *Router
	url    string
	path   string
	store  store.Store
	getenv func(string) (string, bool)
}

// newAdminRig writes text to a file and starts a router from it; env
// adds to the variables the file refers to (SIM_URL is the simulated
// providers').
func newAdminRig(t testing.TB, text string, env map[string]string) *adminRig {
	t.Helper()
	return startAdminRig(t, text, env, slog.New(slog.DiscardHandler))
}

// newAdminRigLogging is newAdminRig logging to w.
func newAdminRigLogging(t testing.TB, text string, w io.Writer) *adminRig {
	t.Helper()
	return startAdminRig(t, text, nil, slog.New(slog.NewTextHandler(w, nil)))
}

func startAdminRig(t testing.TB, text string, env map[string]string, log *slog.Logger) *adminRig {
	t.Helper()
	return startRig(t, rigOptions{text: text, env: env, log: log})
}

// rigOptions tune startRig.
type rigOptions struct {
	text string
	env  map[string]string
	log  *slog.Logger
	// open opens the router's store (in dir, the test's temporary
	// directory); nil means an SQLite file in dir. The rig closes it.
	open func(t testing.TB, dir string) store.Store
	// replica names the router; interval is its RouterOptions.ConfigInterval.
	replica  string
	interval time.Duration
	// simAddr is the simulated providers' address; empty starts them.
	simAddr string
	// demo starts the router in demo mode (RouterOptions.Demo).
	demo bool
}

// startRig writes o.text to a file and starts a router from it.
func startRig(t testing.TB, o rigOptions) *adminRig {
	t.Helper()
	if o.simAddr == "" {
		simAddr, _, stopSim, err := demo.StartSim(0)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(stopSim)
		o.simAddr = simAddr
	}
	if o.log == nil {
		o.log = slog.New(slog.DiscardHandler)
	}
	vars := map[string]string{"SIM_URL": "http://" + o.simAddr + "/openai/v1", "CLIENT_KEY": "client-env-SECRET", "ADM_ACME_KEY": "adm-acme-env-SECRET"}
	for k, v := range o.env {
		vars[k] = v
	}
	getenv := func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	if err := os.WriteFile(path, []byte(o.text), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := reload.ReadFile(path, getenv)
	if err != nil {
		t.Fatal(err)
	}
	var st store.Store
	if o.open != nil {
		st = o.open(t, dir)
	} else if st, err = sqlite.Open(context.Background(), filepath.Join(dir, "switchyard.db")); err != nil {
		t.Fatal(err)
	}
	r, err := NewRouter(f.Config, RouterOptions{Logger: o.log, Store: st, File: f, Getenv: getenv, NoRequestLog: true,
		Replica: o.replica, ConfigInterval: o.interval, Demo: o.demo})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(r)
	t.Cleanup(func() {
		ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := r.Close(ctx); err != nil {
			t.Errorf("Router.Close: %v", err)
		}
		st.Close()
	})
	return &adminRig{t: t, r: r, url: ts.URL, path: path, store: st, getenv: getenv}
}

// call sends one request as principal (an admin key's name, a client key
// when it starts with "client:", nothing when empty) and returns the
// status and body.
func (a *adminRig) call(principal, method, path, contentType, body string) (int, string) {
	a.t.Helper()
	req, err := http.NewRequest(method, a.url+path, strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	switch {
	case strings.HasPrefix(principal, "client:"):
		req.Header.Set("Authorization", "Bearer "+strings.TrimPrefix(principal, "client:"))
	case principal != "":
		req.Header.Set("Authorization", "Bearer "+adminKey[principal])
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// codeOf returns the code of an OpenAI-shaped error body, "" for
// another body.
func codeOf(body string) string {
	var e struct {
		Error *struct {
			Code string `json:"code"`
		} `json:"error"`
	}
	if json.Unmarshal([]byte(body), &e) != nil || e.Error == nil {
		return ""
	}
	return e.Error.Code
}

// audit returns every audit event of the trail.
func (a *adminRig) audit() []store.AuditEvent {
	a.t.Helper()
	var out []store.AuditEvent
	f := store.AuditFilter{Limit: store.MaxLimit}
	for {
		p, err := a.r.Audit.Log().ListAudit(context.Background(), store.AllTenants(), f)
		if err != nil {
			a.t.Fatal(err)
		}
		out = append(out, p.Events...)
		if p.Next == "" {
			return out
		}
		f.Cursor = p.Next
	}
}

// waitAudit polls the trail until ok holds of it (its Untrusted events
// are written off the request's path), failing after a deadline.
func (a *adminRig) waitAudit(what string, ok func([]store.AuditEvent) bool) []store.AuditEvent {
	a.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs := a.audit()
		if ok(evs) {
			return evs
		}
		if time.Now().After(deadline) {
			a.t.Fatalf("audit trail never had %s: %+v", what, evs)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// noSecrets fails when text holds one of adminSecrets.
func noSecrets(t testing.TB, where, text string) {
	t.Helper()
	for _, s := range adminSecrets {
		if strings.Contains(text, s) {
			t.Errorf("%s holds the secret %q:\n%s", where, s, text)
		}
	}
}

// writeFile replaces the file at path with text.
func writeFile(path, text string) error { return os.WriteFile(path, []byte(text), 0o600) }

func errorsAs(err error, target any) bool { return errors.As(err, target) }
