package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/tenant"
)

// The limits tests' keys: one of the file, with access lists and limits,
// and an admin key.
const (
	limitKey   = "ck-limited-0123456789"
	limitAdmin = "ak-limits-0123456789"
)

// limitsEnv is a router with a SQLite store whose file key limitKey
// (tenant acme) may ask for route plain only, be served by gpt-4o-mini
// only, and edit sets the limits of.
func limitsEnv(t *testing.T, edit func(*config.Config), ro server.RouterOptions) *env {
	t.Helper()
	if ro.Store == nil {
		ro.Store = storeBackends[0].open(t)
	}
	return newEnvWith(t, func(c *config.Config) {
		c.Routes["plain"] = &config.Route{Name: "plain", Deployments: []string{"gpt-4o-mini", "claude-haiku-4-5"},
			Policy: config.Policy{Strategy: config.StrategyOrdered}}
		c.Auth.Keys = []config.Key{{Key: limitKey, Name: "acme-web", Tenant: "acme",
			Access: config.Access{Routes: []string{"plain"}, Deployments: []string{"gpt-4o-mini", "text-embedding-3-small"}}}}
		c.Auth.AdminKeys = []config.AdminKey{{Key: limitAdmin, Name: "ops"}}
		if edit != nil {
			edit(c)
		}
	}, ro)
}

// wantRefusal checks an OpenAI-shaped error of status and code whose
// message holds what.
func wantRefusal(t *testing.T, resp *http.Response, body []byte, status int, code, what string) {
	t.Helper()
	eb := wantError(t, resp, body, status, "")
	if eb.Error.Code == nil || *eb.Error.Code != code || !strings.Contains(eb.Error.Message, what) {
		t.Errorf("error %s; want code %s and a message with %q", body, code, what)
	}
}

// TestKeyAccess: a key asks only for its routes (403 route_not_allowed
// otherwise) and is served only by its deployments: pinning another is
// 403 deployment_not_allowed, a route's others are excluded from its
// plan (and /v1/route says so).
func TestKeyAccess(t *testing.T) {
	t.Parallel()
	e := limitsEnv(t, withMedia, server.RouterOptions{})
	chat := e.URL + "/v1/chat/completions"
	resp, b := post(t, chat, limitKey, chatBody("plain", "hi", false))
	if resp.StatusCode != 200 || resp.Header.Get("x-switchyard-deployment") != "gpt-4o-mini" {
		t.Fatalf("an allowed route: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, chat, limitKey, chatBody("auto", "hi", false))
	wantRefusal(t, resp, b, 403, tenant.CodeRouteNotAllowed, "route auto is not allowed for key acme-web (allowed: plain)")
	resp, b = post(t, chat, limitKey, chatBody("claude-haiku-4-5", "hi", false))
	wantRefusal(t, resp, b, 403, tenant.CodeDeploymentNotAllowed, "deployment claude-haiku-4-5 is not allowed for key acme-web")
	resp, b = postH(t, chat, chatBody("plain", "hi", false), map[string]string{"Authorization": "Bearer " + limitKey, "x-switchyard-model": "claude-haiku-4-5"})
	wantRefusal(t, resp, b, 403, tenant.CodeDeploymentNotAllowed, "claude-haiku-4-5")
	emb, _ := json.Marshal(map[string]any{"model": "text-embedding-3-small", "input": []string{"x"}})
	if resp, b = post(t, e.URL+"/v1/embeddings", limitKey, emb); resp.StatusCode != 200 {
		t.Errorf("an allowed embeddings deployment: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, e.URL+"/v1/moderations", limitKey, []byte(`{"input":"x"}`))
	wantRefusal(t, resp, b, 403, tenant.CodeDeploymentNotAllowed, "deployment omni-moderation-latest is not allowed for key acme-web")
	resp, b = post(t, e.URL+"/v1/images/generations", limitKey, []byte(`{"model":"dall-e-3","prompt":"x"}`))
	wantRefusal(t, resp, b, 403, tenant.CodeDeploymentNotAllowed, "deployment dall-e-3 is not allowed for key acme-web")
	resp, b = post(t, e.URL+"/v1/audio/speech", limitKey, []byte(`{"model":"tts-1","voice":"alloy","input":"x"}`))
	wantRefusal(t, resp, b, 403, tenant.CodeDeploymentNotAllowed, "deployment tts-1 is not allowed for key acme-web")
	resp, b = post(t, e.URL+"/v1/route", limitKey, chatBody("plain", "hi", false))
	if resp.StatusCode != 200 || !strings.Contains(string(b), `"excluded"`) || !strings.Contains(string(b), "key acme-web") {
		t.Errorf("/v1/route does not show claude-haiku-4-5 excluded by the key: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, e.URL+"/v1/route", limitKey, chatBody("auto", "hi", false))
	wantRefusal(t, resp, b, 403, tenant.CodeRouteNotAllowed, "route auto")
}

// TestKeyAndTenantRateLimits: over requests per minute, tokens per minute
// or requests at once, a request is a 429 naming the limit (the key's or
// the tenant's) with a Retry-After that lets the next one through.
func TestKeyAndTenantRateLimits(t *testing.T) {
	t.Parallel()
	e := limitsEnv(t, func(c *config.Config) {
		c.Auth.Keys[0].RPM = 3
		c.Auth.Keys = append(c.Auth.Keys, config.Key{Key: "ck-other-0123456789", Name: "acme-batch", Tenant: "acme"})
		c.Tenants = map[string]*config.Tenant{"acme": {Name: "acme", Limits: config.Limits{RPM: 5}}}
	}, server.RouterOptions{})
	chat := e.URL + "/v1/chat/completions"
	for i := range 3 {
		if resp, b := post(t, chat, limitKey, chatBody("plain", "hi", false)); resp.StatusCode != 200 {
			t.Fatalf("request %d: %d %s", i+1, resp.StatusCode, b)
		}
	}
	resp, b := post(t, chat, limitKey, chatBody("plain", "hi", false))
	wantRefusal(t, resp, b, 429, tenant.CodeRateLimited, "rpm of key acme-web (3 requests per minute)")
	if ra, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || ra < 1 || ra > 20 {
		t.Errorf("Retry-After %q, want 1..20 s (a request per 20 s refills)", resp.Header.Get("Retry-After"))
	}
	if resp.Header.Get("x-should-retry") == "false" {
		t.Error("a rate limit says not to retry")
	}
	for i := range 2 {
		if resp, b := post(t, chat, "ck-other-0123456789", chatBody("plain", "hi", false)); resp.StatusCode != 200 {
			t.Fatalf("the tenant's request %d by its other key: %d %s", i+4, resp.StatusCode, b)
		}
	}
	resp, b = post(t, chat, "ck-other-0123456789", chatBody("plain", "hi", false))
	wantRefusal(t, resp, b, 429, tenant.CodeRateLimited, "rpm of tenant acme (5 requests per minute)")
	recs := e.recorded(t, 7)
	refused := 0
	for _, r := range recs {
		if r.Status == 429 && r.ErrorCode == tenant.CodeRateLimited && r.Tenant == "acme" {
			refused++
		}
	}
	if refused != 2 {
		t.Errorf("%d refusals recorded, want 2 (a refused request is in the request log)", refused)
	}
}

// TestTokensPerMinute: the plan's estimate is reserved, then settled to
// the tokens used, so small requests pass until a minute's tokens are
// spent, and the 429 names the tpm and the estimate.
func TestTokensPerMinute(t *testing.T) {
	t.Parallel()
	e := limitsEnv(t, func(c *config.Config) { c.Auth.Keys[0].TPM = 2000 }, server.RouterOptions{})
	chat := e.URL + "/v1/chat/completions"
	ok := 0
	var last *http.Response
	var body []byte
	for range 100 {
		last, body = post(t, chat, limitKey, chatBody("plain", "Write a long story about the sea.", false))
		if last.StatusCode != 200 {
			break
		}
		ok++
	}
	if ok == 0 || ok >= 100 {
		t.Fatalf("%d requests passed a 2000 tpm limit before a refusal", ok)
	}
	wantRefusal(t, last, body, 429, tenant.CodeRateLimited, "tpm of key acme-web (2000 tokens per minute; this request needs an estimated")
	var eb errorBody
	json.Unmarshal(body, &eb)
	var estimate int64
	fmt.Sscanf(eb.Error.Message[strings.Index(eb.Error.Message, "estimated ")+len("estimated "):], "%d", &estimate)
	var used int64
	for _, r := range e.recorded(t, ok+1) {
		used += int64(r.Usage.TotalTokens)
	}
	// Settled to the actual tokens: a request is refused only when what
	// the others used plus its estimate passes the limit. (Were each
	// held at its larger estimate, far fewer tokens would be used.)
	if estimate <= 0 || used+estimate <= 2000 || used > 2000 {
		t.Errorf("%d requests used %d tokens, and one estimated at %d was refused, under a 2000 tpm limit", ok, used, estimate)
	}
}

// TestConcurrencySlotsReleased: with one request at once, a stream the
// client cuts mid-way frees its slot (no leak), and so does a stream
// read to its end; a second request meanwhile is a 429.
func TestConcurrencySlotsReleased(t *testing.T) {
	t.Parallel()
	e := limitsEnv(t, func(c *config.Config) { c.Auth.Keys[0].MaxConcurrent = 1 }, server.RouterOptions{})
	chat := e.URL + "/v1/chat/completions"
	for round := range 3 {
		e.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: time.Hour, After: 3, Count: 1})
		cut := openStream(t, chat, limitKey)
		resp, b := post(t, chat, limitKey, chatBody("plain", "hi", false))
		wantRefusal(t, resp, b, 429, tenant.CodeRateLimited, "max_concurrent of key acme-web (1 requests at once)")
		if resp.Header.Get("Retry-After") != "1" {
			t.Errorf("Retry-After %q, want 1", resp.Header.Get("Retry-After"))
		}
		cut() // the client goes away mid-stream
		waitAdmitted(t, chat, limitKey, fmt.Sprintf("round %d: after the client cut its stream", round))
	}
	resp, b := post(t, chat, limitKey, streamBody("plain", "hello"))
	if resp.StatusCode != 200 || !strings.Contains(string(b), "[DONE]") {
		t.Fatalf("a whole stream: %d %s", resp.StatusCode, b)
	}
	waitAdmitted(t, chat, limitKey, "after a whole stream")
}

// openStream starts a streamed chat and reads its first event; the
// returned func cuts the connection.
func openStream(t *testing.T, url, key string) (cut func()) {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodPost, url, strings.NewReader(string(streamBody("plain", "tell me a story"))))
	req.Header.Set("Authorization", "Bearer "+key)
	tr := &http.Transport{}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("stream: %d", resp.StatusCode)
	}
	if _, err := bufio.NewReader(resp.Body).ReadString('\n'); err != nil {
		t.Fatalf("first event: %v", err)
	}
	return func() {
		resp.Body.Close()
		tr.CloseIdleConnections()
	}
}

// waitAdmitted polls until a request of key is admitted (the slot freed),
// failing after 10 s.
func waitAdmitted(t *testing.T, url, key, when string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, b := post(t, url, key, chatBody("plain", "hi", false))
		if resp.StatusCode == 200 {
			return
		}
		if resp.StatusCode != 429 || time.Now().After(deadline) {
			t.Fatalf("%s: %d %s; the slot was not released", when, resp.StatusCode, b)
		}
	}
}

// TestManagedKeysThroughTheAdminAPI: a key made with POST /admin/keys
// works at once on the router that made it, with its limits; revoked, it
// is refused at once (401 key_revoked); a managed admin key opens the
// admin API within its tenant.
func TestManagedKeysThroughTheAdminAPI(t *testing.T) {
	t.Parallel()
	e := limitsEnv(t, nil, server.RouterOptions{})
	adminPost := func(path, body string) (*http.Response, []byte) {
		return post(t, e.URL+path, limitAdmin, []byte(body))
	}
	resp, b := adminPost("/admin/keys", `{"tenant":"globex","name":"globex-app","rpm":1,"routes":["auto"]}`)
	var k admin.NewKey
	if resp.StatusCode != 201 || json.Unmarshal(b, &k) != nil {
		t.Fatalf("create: %d %s", resp.StatusCode, b)
	}
	chat := e.URL + "/v1/chat/completions"
	if resp, b := post(t, chat, k.Key, chatBody("auto", "hi", false)); resp.StatusCode != 200 {
		t.Fatalf("the new key at once: %d %s", resp.StatusCode, b)
	}
	resp, b = post(t, chat, k.Key, chatBody("auto", "hi", false))
	wantRefusal(t, resp, b, 429, tenant.CodeRateLimited, "rpm of key globex-app (1 requests per minute)")
	resp, b = post(t, chat, k.Key, chatBody("plain", "hi", false))
	wantRefusal(t, resp, b, 403, tenant.CodeRouteNotAllowed, "route plain")
	req, _ := http.NewRequestWithContext(ctxT(t), http.MethodDelete, e.URL+"/admin/keys/"+k.ID, nil)
	req.Header.Set("Authorization", "Bearer "+limitAdmin)
	if r, err := http.DefaultClient.Do(req); err != nil || r.StatusCode != 200 {
		t.Fatalf("revoke: %v %v", r, err)
	} else {
		r.Body.Close()
	}
	resp, b = post(t, chat, k.Key, chatBody("auto", "hi", false))
	wantRefusal(t, resp, b, 401, tenant.CodeKeyRevoked, "revoked")

	resp, b = adminPost("/admin/keys", `{"admin":true,"role":"operator","tenant":"globex"}`)
	var ak admin.NewKey
	if resp.StatusCode != 201 || json.Unmarshal(b, &ak) != nil {
		t.Fatalf("create an admin key: %d %s", resp.StatusCode, b)
	}
	code, b := callAs(t, http.MethodGet, e.URL+"/admin/keys", ak.Key)
	var list admin.KeyList
	if code != 200 || json.Unmarshal(b, &list) != nil || len(list.Data) != 2 {
		t.Fatalf("the managed admin key lists %d %s; want globex's two keys", code, b)
	}
	for _, v := range list.Data {
		if v.Tenant != "globex" {
			t.Errorf("a globex admin key sees %+v", v)
		}
	}
	if code, b := callAs(t, http.MethodGet, e.URL+"/admin/requests?tenant=acme", ak.Key); code != 403 {
		t.Errorf("a globex admin key reads acme's requests: %d %s", code, b)
	}
	if resp, b := post(t, chat, ak.Key, chatBody("auto", "hi", false)); resp.StatusCode != 401 {
		t.Errorf("an admin key on the API: %d %s", resp.StatusCode, b)
	}
	if code, _ := callAs(t, http.MethodGet, e.URL+"/admin/keys", limitKey); code != 403 {
		t.Errorf("a client key on the admin API: %d", code)
	}
}
