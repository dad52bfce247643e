package e2e

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sync"
	"testing"

	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/option"

	"switchyard/config"
	"switchyard/server"
	"switchyard/store"
)

// upstreamLog keeps the body of every request the router sent upstream,
// by provider, through a proxy put in front of each simulated provider.
type upstreamLog struct {
	mu     sync.Mutex
	bodies map[string][]string
}

// captureUpstreams points every provider of c at a recording proxy in
// front of its simulator.
func captureUpstreams(t *testing.T, c *config.Config) *upstreamLog {
	t.Helper()
	ul := &upstreamLog{bodies: map[string][]string{}}
	for name, p := range c.Providers {
		target, err := url.Parse(p.BaseURL)
		if err != nil {
			t.Fatal(err)
		}
		rp := httputil.NewSingleHostReverseProxy(&url.URL{Scheme: target.Scheme, Host: target.Host})
		proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			ul.mu.Lock()
			ul.bodies[name] = append(ul.bodies[name], string(body))
			ul.mu.Unlock()
			r.Body = io.NopCloser(bytes.NewReader(body))
			rp.ServeHTTP(w, r)
		}))
		t.Cleanup(proxy.Close)
		p.BaseURL = proxy.URL + target.Path
	}
	return ul
}

// last returns the last body sent to provider, failing t without one.
func (ul *upstreamLog) last(t *testing.T, provider string) string {
	t.Helper()
	ul.mu.Lock()
	defer ul.mu.Unlock()
	b := ul.bodies[provider]
	if len(b) == 0 {
		t.Fatalf("nothing was sent to %s", provider)
	}
	return b[len(b)-1]
}

// all returns every body sent to provider.
func (ul *upstreamLog) all(provider string) []string {
	ul.mu.Lock()
	defer ul.mu.Unlock()
	return append([]string(nil), ul.bodies[provider]...)
}

// Two client keys of two tenants, for the stored responses' tests.
const (
	respKeyA, respTenantA = "sk-responses-acme-0123456789", "acme"
	respKeyB, respTenantB = "sk-responses-globex-0123456789", "globex"
)

// storedEnv is a router keeping stored responses in st, with two keys of
// two tenants (Client is tenant A's), its upstream requests recorded.
func storedEnv(t *testing.T, st store.Store, edit func(*config.Config)) (*env, *upstreamLog) {
	t.Helper()
	var ul *upstreamLog
	e := newEnvWith(t, func(c *config.Config) {
		ul = captureUpstreams(t, c)
		c.Auth.Keys = []config.Key{{Key: respKeyA, Name: "acme-app", Tenant: respTenantA}, {Key: respKeyB, Name: "globex-app", Tenant: respTenantB}}
		if edit != nil {
			edit(c)
		}
	}, server.RouterOptions{Store: st})
	e.Client = e.clientWith(respKeyA)
	return e, ul
}

// clientWith is an openai-go client of the router with key.
func (e *env) clientWith(key string) openai.Client {
	return openai.NewClient(option.WithBaseURL(e.URL+"/v1"), option.WithAPIKey(key), option.WithMaxRetries(0))
}

// storeFlag reads the "store" field of a response object's JSON.
func storeFlag(t *testing.T, raw string) bool {
	t.Helper()
	var r struct {
		Store *bool `json:"store"`
	}
	if err := json.Unmarshal([]byte(raw), &r); err != nil || r.Store == nil {
		t.Fatalf("no store field in %s (%v)", raw, err)
	}
	return *r.Store
}

// wantAPIError fails t unless err is the API error of status and code.
func wantAPIError(t *testing.T, what string, err error, status int, code string) {
	t.Helper()
	var apiErr *openai.Error
	if !errors.As(err, &apiErr) || apiErr.StatusCode != status || apiErr.Code != code {
		t.Errorf("%s: %v, want %d %s", what, err, status, code)
	}
}
