package e2e

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"switchyard/config"
)

// A provider with a pool of keys spreads requests over them, and a key
// that gets a 429 rests while the others carry the traffic.
func TestKeyPoolSpreadsAndCoolsDown(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	seen := map[string]int{}
	var simURL *url.URL
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Authorization")
		mu.Lock()
		seen[key]++
		mu.Unlock()
		if key == "Bearer key-b" { // key-b is always rate limited
			w.Header().Set("Retry-After", "60")
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(429)
			w.Write([]byte(`{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}`))
			return
		}
		httputil.NewSingleHostReverseProxy(simURL).ServeHTTP(w, r)
	}))
	defer proxy.Close()
	e := newEnv(t, func(c *config.Config) {
		u, _ := url.Parse(c.Providers["openai"].BaseURL)
		simURL = &url.URL{Scheme: u.Scheme, Host: u.Host}
		c.Providers["pooled"] = &config.Provider{Name: "pooled", Kind: "openai", BaseURL: proxy.URL + "/openai/v1",
			APIKey: "key-a", APIKeys: []string{"key-b", "key-c"}}
		c.Deployments["pooled-mini"] = &config.Deployment{Name: "pooled-mini", Provider: "pooled", Model: "gpt-4o-mini"}
	})
	for i := 0; i < 30; i++ {
		resp, body := post(t, e.URL+"/v1/chat/completions", "k", chatBody("pooled-mini", "hello", false))
		if resp.StatusCode != 200 || resp.Header.Get("x-switchyard-deployment") != "pooled-mini" {
			t.Fatalf("request %d: %d %s (%s)", i, resp.StatusCode, body, resp.Header.Get("x-switchyard-deployment"))
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["Bearer key-b"] != 1 {
		t.Errorf("the rate-limited key was tried %d times, want once (then it cools down)", seen["Bearer key-b"])
	}
	if seen["Bearer key-a"] < 10 || seen["Bearer key-c"] < 10 {
		t.Errorf("traffic not spread over the healthy keys: %v", seen)
	}
}
