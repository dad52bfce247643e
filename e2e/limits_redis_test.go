package e2e

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/server"
	"switchyard/sim"
	"switchyard/tenant"
)

// TestLimitsAcrossTwoRouters: two router processes sharing the real Redis
// (one state prefix) hold a key and its tenant to one limit between
// them: requests per minute and requests at once, whichever router each
// request reaches.
func TestLimitsAcrossTwoRouters(t *testing.T) {
	t.Parallel()
	prefix := fmt.Sprintf("e2e-limits-%d:", time.Now().UnixNano())
	edit := func(c *config.Config) {
		c.State = config.State{Driver: config.StateRedis, Addr: "127.0.0.1:6379", Prefix: prefix, OnError: config.OnErrorDeny}
		c.Auth.Keys[0].RPM = 4
		c.Auth.Keys[0].MaxConcurrent = 1
		c.Auth.Keys = append(c.Auth.Keys, config.Key{Key: "ck-other-0123456789", Name: "acme-batch", Tenant: "acme"})
		c.Tenants = map[string]*config.Tenant{"acme": {Name: "acme", Limits: config.Limits{MaxConcurrent: 2}}}
	}
	a := limitsEnv(t, edit, server.RouterOptions{})
	b := limitsEnv(t, edit, server.RouterOptions{})
	routers := []*env{a, b}
	for i := range 4 {
		url := routers[i%2].URL + "/v1/chat/completions"
		if resp, body := post(t, url, limitKey, chatBody("plain", "hi", false)); resp.StatusCode != 200 {
			t.Fatalf("request %d (router %d): %d %s", i+1, i%2, resp.StatusCode, body)
		}
	}
	for i, r := range routers {
		resp, body := post(t, r.URL+"/v1/chat/completions", limitKey, chatBody("plain", "hi", false))
		wantRefusal(t, resp, body, 429, tenant.CodeRateLimited, "rpm of key acme-web (4 requests per minute)")
		if resp.Header.Get("Retry-After") == "" {
			t.Errorf("router %d: no Retry-After", i)
		}
	}

	// Requests at once: a stream of the other key on each router holds
	// the tenant's two slots, so a third request, on either router, is
	// refused until one of them ends.
	for _, r := range routers {
		r.Sim.Faults.Add(sim.Fault{Kind: sim.FaultStall, Model: "gpt-4o-mini", Delay: time.Hour, After: 3, Count: 1})
	}
	cutA := openStream(t, a.URL+"/v1/chat/completions", "ck-other-0123456789")
	cutB := openStream(t, b.URL+"/v1/chat/completions", "ck-other-0123456789")
	emb := []byte(`{"model":"text-embedding-3-small","input":["x"]}`)
	resp, body := post(t, a.URL+"/v1/embeddings", "ck-other-0123456789", emb)
	wantRefusal(t, resp, body, 429, tenant.CodeRateLimited, "max_concurrent of tenant acme (2 requests at once)")
	resp, body = post(t, b.URL+"/v1/chat/completions", "ck-other-0123456789", chatBody("plain", "hi", false))
	wantRefusal(t, resp, body, 429, tenant.CodeRateLimited, "max_concurrent of tenant acme (2 requests at once)")
	cutA() // router a's slot frees; router b admits
	waitFree(t, b.URL+"/v1/embeddings", "ck-other-0123456789")
	cutB()
}

// waitFree polls url with key until it is admitted (an embeddings or a
// chat request), failing after 10 s.
func waitFree(t *testing.T, url, key string) {
	t.Helper()
	body := chatBody("plain", "hi", false)
	if strings.HasSuffix(url, "/embeddings") {
		body = []byte(`{"model":"text-embedding-3-small","input":["x"]}`)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		resp, b := post(t, url, key, body)
		if resp.StatusCode == http.StatusOK {
			return
		}
		if resp.StatusCode != 429 || time.Now().After(deadline) {
			t.Fatalf("%s: %d %s; a slot was not released", url, resp.StatusCode, b)
		}
	}
}
