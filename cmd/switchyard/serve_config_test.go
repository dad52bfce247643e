package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"switchyard/demo"
)

const serveConfig = `server:
  admin_listen: "%s"
auth:
  keys: [client-e2e-key]
  admin_keys:
    - {key: "${E2E_ADMIN_KEY}", name: ops}
    - {key: viewer-e2e-key, name: dashboard, role: viewer}
providers:
  openai: {kind: openai, base_url: "${SIM_URL}", api_key: sim-key}
deployments:
  gpt-4o-mini: {provider: openai}
  gpt-4o: {provider: openai}
routes:
  chat: {deployments: [gpt-4o-mini]}
store: {path: "%s"}
security:
  upstream_hosts: [127.0.0.1]
`

// TestServeConfigAPIAndSIGHUP runs serve on a file: the configuration API
// answers on the admin listener only, by role; a change through it serves
// at once; SIGHUP applies the file (and refuses a bad one, keeping the
// running configuration).
func TestServeConfigAPIAndSIGHUP(t *testing.T) {
	simAddr, _, stopSim, err := demo.StartSim(0)
	if err != nil {
		t.Fatal(err)
	}
	defer stopSim()
	t.Setenv("SIM_URL", "http://"+simAddr+"/openai/v1")
	t.Setenv("E2E_ADMIN_KEY", "admin-e2e-key")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	adminAddr := ln.Addr().String()
	ln.Close()
	dir := t.TempDir()
	path := filepath.Join(dir, "switchyard.yaml")
	text := fmt.Sprintf(serveConfig, adminAddr, filepath.Join(dir, "switchyard.db"))
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	banner, addr, stop := startServe(t, "--config", path, "--quiet", "--addr", "127.0.0.1:0")
	defer func() {
		if code := stop(); code != 0 {
			t.Errorf("exit code %d", code)
		}
	}()
	if !strings.Contains(banner, "Config:      "+path+", version 1;") {
		t.Errorf("the banner does not give the version:\n%s", banner)
	}
	call := func(base, key, method, p, body string) (int, string) {
		t.Helper()
		req, _ := http.NewRequest(method, "http://"+base+p, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	version := func() int64 {
		t.Helper()
		status, body := call(adminAddr, "viewer-e2e-key", "GET", "/admin/config", "")
		var v struct{ Version int64 }
		if status != 200 || json.Unmarshal([]byte(body), &v) != nil {
			t.Fatalf("GET /admin/config: %d %s", status, body)
		}
		return v.Version
	}
	if status, _ := call(addr, "admin-e2e-key", "GET", "/admin/config", ""); status != 404 {
		t.Errorf("the configuration API on the API listener: %d; want 404", status)
	}
	if v := version(); v != 1 {
		t.Fatalf("version %d at start", v)
	}
	changed := strings.Replace(text, "routes:\n", "routes:\n  best: {deployments: [gpt-4o]}\n", 1)
	if status, body := call(adminAddr, "viewer-e2e-key", "PUT", "/admin/config", changed); status != 403 || !strings.Contains(body, "insufficient_role") {
		t.Errorf("PUT as a viewer: %d %s", status, body)
	}
	if status, body := call(adminAddr, "admin-e2e-key", "PUT", "/admin/config", changed); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status, body := call(addr, "client-e2e-key", "POST", "/v1/chat/completions", `{"model":"best","messages":[{"role":"user","content":"hi"}]}`); status != 200 {
		t.Errorf("the new route: %d %s", status, body)
	}

	// The file, changed on disk and signalled.
	if err := os.WriteFile(path, []byte(strings.Replace(text, "routes:\n", "routes:\n  other: {deployments: [gpt-4o]}\n", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for version() != 3 {
		if time.Now().After(deadline) {
			t.Fatal("SIGHUP did not apply the file")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if status, _ := call(addr, "client-e2e-key", "POST", "/v1/chat/completions", `{"model":"best","messages":[{"role":"user","content":"hi"}]}`); status != 404 {
		t.Errorf("the file replaced the API's change, yet route best answers %d", status)
	}
	// A bad file: refused, and the running configuration kept.
	if err := os.WriteFile(path, []byte(strings.Replace(text, "gpt-4o-mini: {provider: openai}", "gpt-4o-mini: {provider: opnai}", 1)), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for {
		_, body := call(adminAddr, "admin-e2e-key", "GET", "/admin/audit?action=config.reload", "")
		if strings.Contains(body, `"outcome": "refused"`) {
			if !strings.Contains(body, `provider \"opnai\" is not configured`) {
				t.Errorf("the refusal does not say why: %s", body)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the bad file was never refused")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if v := version(); v != 3 {
		t.Errorf("a bad file moved the version to %d", v)
	}
}
