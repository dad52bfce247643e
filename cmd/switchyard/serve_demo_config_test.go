package main

import (
	"encoding/json"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/reload"
)

// TestServeDemoConfigAPI: under serve --demo the configuration API works
// on the demo's configuration, served as version 1 (its simulated
// providers' key masked): a dry run reports a change, PUT applies it (the
// new route serves at once), a base URL off the demo's allowlist (the
// simulators' address) is refused, and a rollback brings version 1 back;
// the versions are kept in the demo's store.
func TestServeDemoConfigAPI(t *testing.T) {
	banner, addr, stop := startServe(t, "--demo", "--sim-latency", "0", "--quiet", "--addr", "127.0.0.1:0", "--store", filepath.Join(t.TempDir(), "demo.db"))
	defer stop()
	if !strings.Contains(banner, "Config:      the demo's, version 1;") {
		t.Errorf("banner:\n%s", banner)
	}
	base := "http://" + addr
	if !strings.Contains(banner, "Dashboard:   "+base+"/ui/ (no key needed in demo mode") {
		t.Errorf("the banner does not give the dashboard:\n%s", banner)
	}
	if status, body := demoCall(t, "GET", base+"/ui/", ""); status != 200 || !strings.Contains(body, "js/app.js") {
		t.Errorf("GET /ui/: %d %s", status, body)
	}
	chat := func(model string) int {
		resp := learnedPost(t, base+"/v1/chat/completions", `{"model":"`+model+`","messages":[{"role":"user","content":"What is the capital of Australia?"}]}`)
		return resp.StatusCode
	}
	if status := chat("auto"); status != 200 {
		t.Fatalf("chat: %d", status)
	}
	// The request log is written off the request's path: wait for the row
	// the dry run replays.
	deadline := time.Now().Add(10 * time.Second)
	for {
		if _, body := demoCall(t, "GET", base+"/admin/requests", ""); strings.Contains(body, `"id": "req_`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the request was never logged")
		}
		time.Sleep(10 * time.Millisecond)
	}
	status, body := demoCall(t, "GET", base+"/admin/config", "")
	var v1 admin.ConfigView
	if status != 200 || json.Unmarshal([]byte(body), &v1) != nil || v1.Version != 1 || !strings.Contains(v1.YAML, `api_key: "********"`) ||
		strings.Contains(v1.YAML, "sim-key") || !strings.Contains(v1.YAML, "upstream_hosts:") {
		t.Fatalf("GET /admin/config: %d %s", status, body)
	}
	fast := strings.Replace(v1.YAML, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o]}\n", 1)
	status, body = demoCall(t, "PUT", base+"/admin/config?dry_run=1", fast)
	var dry reload.DryRun
	if status != 200 || json.Unmarshal([]byte(body), &dry) != nil || dry.Added != 1 || dry.Replay == nil || dry.Replay.Requests == 0 {
		t.Fatalf("dry run: %d %s", status, body)
	}
	if status := chat("fast"); status != 404 {
		t.Errorf("a dry run applied the change: fast = %d", status)
	}
	status, body = demoCall(t, "PUT", base+"/admin/config", fast)
	if status != 200 || !strings.Contains(body, `"version": 2`) {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status := chat("fast"); status != 200 {
		t.Errorf("after the change: fast = %d", status)
	}
	off := strings.Replace(fast, "deployments:\n", "  real: {kind: openai, base_url: \"https://api.openai.com/v1\", api_key: \"${OPENAI_API_KEY:-none}\"}\ndeployments:\n  real-mini: {provider: real, model: gpt-4o-mini}\n", 1)
	status, body = demoCall(t, "PUT", base+"/admin/config", off)
	if status != 422 || !strings.Contains(body, `host \"api.openai.com\" (of https://api.openai.com/v1, kind openai's default base URL) is not in security.upstream_hosts`) {
		t.Errorf("a base URL off the demo's allowlist: %d %s", status, body)
	}
	status, body = demoCall(t, "POST", base+"/admin/config/rollback", `{"version": 1}`)
	if status != 200 || !strings.Contains(body, `"version": 3`) || !strings.Contains(body, `"restores": 1`) {
		t.Fatalf("rollback: %d %s", status, body)
	}
	if status := chat("fast"); status != 404 {
		t.Errorf("after the rollback: fast = %d", status)
	}
	status, body = demoCall(t, "GET", base+"/admin/config/versions", "")
	var list admin.VersionList
	if status != 200 || json.Unmarshal([]byte(body), &list) != nil || len(list.Data) != 3 || list.Data[0].Actor != "demo" {
		t.Errorf("versions: %d %s", status, body)
	}
	status, body = demoCall(t, "GET", base+"/admin/audit?action=config.*", "")
	if status != 200 || !strings.Contains(body, `"config.rollback"`) || !strings.Contains(body, `"outcome": "refused"`) {
		t.Errorf("audit: %d %s", status, body)
	}
}

// demoCall sends one request to the demo's admin API and returns the
// status and body.
func demoCall(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if strings.HasPrefix(body, "{") {
		req.Header.Set("Content-Type", "application/json")
	} else if body != "" {
		req.Header.Set("Content-Type", "application/yaml")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}
