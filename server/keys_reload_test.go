package server

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/store"
	"switchyard/tenant"
)

// This file checks the keys across configuration changes: the file's
// client and admin keys and the tenants' limits follow the configuration
// serving, the managed keys stay, the key manager knows the new routes,
// and one limiter holds the requests of every generation.

// chatAs sends a chat request for model with key and returns the status,
// the error code ("" for none) and the Retry-After header.
func (a *adminRig) chatAs(key, model string) (status int, code, retryAfter string) {
	a.t.Helper()
	req, _ := http.NewRequest("POST", a.url+"/v1/chat/completions",
		strings.NewReader(`{"model":"`+model+`","messages":[{"role":"user","content":"What is the capital of France?"}]}`))
	req.Header.Set("Authorization", "Bearer "+key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, codeOf(string(b)), resp.Header.Get("Retry-After")
}

// createKey makes a managed key through POST /admin/keys as adm.
func (a *adminRig) createKey(body string) admin.NewKey {
	a.t.Helper()
	status, b := a.call("adm", "POST", "/admin/keys", "application/json", body)
	var k admin.NewKey
	if status != 201 || json.Unmarshal([]byte(b), &k) != nil {
		a.t.Fatalf("POST /admin/keys %s: %d %s", body, status, b)
	}
	return k
}

// TestConfigChangeSwapsFileKeysKeepsManaged: a configuration applied puts
// its client and admin keys in force at once (the replaced ones get 401)
// and its tenants' limits on the managed keys too; the managed client and
// admin keys keep working; a key may then name the new configuration's
// routes; the key changes are audited.
func TestConfigChangeSwapsFileKeysKeepsManaged(t *testing.T) {
	a := newAdminRig(t, adminConfig, nil)
	managed := a.createKey(`{"tenant":"globex","name":"gbot"}`)
	ops := a.createKey(`{"admin":true,"role":"operator","tenant":"acme","name":"m-op"}`)
	if status, b := a.call("adm", "POST", "/admin/keys", "application/json", `{"tenant":"acme","routes":["fast"]}`); status != 400 || codeOf(b) != "invalid_key_spec" {
		t.Fatalf("a key for a route the configuration lacks: %d %s; want 400 invalid_key_spec", status, b)
	}

	text := a.running().YAML
	for old, repl := range map[string]string{
		`{key: "${CLIENT_KEY}", name: backend, tenant: acme}`: `{key: new-client-SECRET-1, name: backend2, tenant: acme}`,
		`{key: "********", name: view, role: viewer}`:         `{key: view2-SECRET-key-1, name: view, role: viewer}`,
		"routes:\n": "tenants: {globex: {rpm: 1}}\nroutes:\n  fast: {deployments: [gpt-4o-mini]}\n",
	} {
		if !strings.Contains(text, old) {
			t.Fatalf("the running configuration lacks %q:\n%s", old, text)
		}
		text = strings.Replace(text, old, repl, 1)
	}
	if status, body := a.put("", text); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}

	if status, code, _ := a.chatAs("client-env-SECRET", "chat"); status != 401 || code != "invalid_api_key" {
		t.Errorf("the replaced client key: %d %s; want 401 invalid_api_key", status, code)
	}
	if status, _, _ := a.chatAs("new-client-SECRET-1", "fast"); status != 200 {
		t.Errorf("the new client key on the new route: %d", status)
	}
	if status, _, _ := a.chatAs(managed.Key, "chat"); status != 200 {
		t.Errorf("the managed client key after the change: %d", status)
	}
	if status, code, retry := a.chatAs(managed.Key, "chat"); status != 429 || code != tenant.CodeRateLimited || retry == "" {
		t.Errorf("the managed key past the new tenants.globex.rpm: %d %s Retry-After %q; want 429 rate_limit_exceeded", status, code, retry)
	}
	if status, b := a.call("client:view-SECRET-key-1", "GET", "/admin/health", "", ""); status != 401 {
		t.Errorf("the replaced admin key: %d %s; want 401", status, b)
	}
	if status, _ := a.call("client:view2-SECRET-key-1", "GET", "/admin/health", "", ""); status != 200 {
		t.Errorf("the new admin key: %d", status)
	}
	status, b := a.call("client:"+ops.Key, "GET", "/admin/keys", "", "")
	var list admin.KeyList
	if status != 200 || json.Unmarshal([]byte(b), &list) != nil || len(list.Data) != 1 || list.Data[0].ID != ops.ID {
		t.Errorf("the managed operator of acme lists %d %s; want its own key only", status, b)
	}
	a.createKey(`{"tenant":"acme","routes":["fast"]}`)

	evs := a.audit()
	creates := 0
	for _, e := range evs {
		if e.Action == tenant.ActionKeyCreate && e.Actor == "adm" && e.Outcome == store.AuditOK {
			creates++
		}
	}
	if creates != 3 {
		t.Errorf("%d key.create events by adm; want 3: %+v", creates, evs)
	}
}

// TestLimiterSpansGenerations: a request in flight on a replaced
// configuration still holds its key's concurrency slot against requests
// on the new one (one limiter for all), and the limit a new
// configuration sets holds at once.
func TestLimiterSpansGenerations(t *testing.T) {
	release := make(chan struct{})
	held := heldUpstream(t, release)
	text := strings.Replace(adminConfig, "deployments:\n", "  held: {kind: openai, base_url: \"${HELD_URL}\", api_key: \"${CLIENT_KEY}\"}\ndeployments:\n  held-model: {provider: held, price: {input: 1, output: 1}}\n", 1)
	text = strings.Replace(text, `name: backend, tenant: acme}`, `name: backend, tenant: acme, max_concurrent: 1}`, 1)
	a := newAdminRig(t, text, map[string]string{"HELD_URL": held.URL + "/v1"})

	req, _ := http.NewRequest("POST", a.url+"/v1/chat/completions",
		strings.NewReader(`{"model":"held-model","stream":true,"messages":[{"role":"user","content":"Say hello"}]}`))
	req.Header.Set("Authorization", "Bearer client-env-SECRET")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	rd := bufio.NewReader(resp.Body)
	if line, err := rd.ReadString('\n'); err != nil || !strings.Contains(line, "Hello") {
		t.Fatalf("the stream did not start: %q %v", line, err)
	}
	if status, code, _ := a.chatAs("client-env-SECRET", "chat"); status != 429 || code != tenant.CodeRateLimited {
		t.Fatalf("a second request while one is held: %d %s; want 429", status, code)
	}

	running := a.running().YAML
	changed := strings.Replace(running, "routes:\n", "routes:\n  fast: {deployments: [gpt-4o-mini]}\n", 1)
	if status, body := a.put("", changed); status != 200 {
		t.Fatalf("PUT: %d %s", status, body)
	}
	if status, code, _ := a.chatAs("client-env-SECRET", "fast"); status != 429 || code != tenant.CodeRateLimited {
		t.Errorf("on the new configuration, while the old one's request holds the slot: %d %s; want 429", status, code)
	}
	raised := strings.Replace(changed, "max_concurrent: 1}", "max_concurrent: 2}", 1)
	if status, body := a.put("", raised); status != 200 {
		t.Fatalf("PUT max_concurrent 2: %d %s", status, body)
	}
	if status, code, _ := a.chatAs("client-env-SECRET", "fast"); status != 200 {
		t.Errorf("with max_concurrent raised to 2 and one request held: %d %s; want 200", status, code)
	}

	close(release)
	if rest, err := io.ReadAll(rd); err != nil || !strings.Contains(string(rest), "[DONE]") {
		t.Fatalf("the held stream did not end whole: %v\n%s", err, rest)
	}
}
