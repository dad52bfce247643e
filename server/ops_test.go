package server

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/health"
)

// opsOptions are server options with a client key, an admin key and the
// admin API.
func opsOptions(separate bool) Options {
	return Options{
		Keys:        []config.Key{{Key: "client-key", Name: "app"}},
		AdminKeys:   []config.AdminKey{{Key: "admin-key", Name: "ops", Role: config.RoleAdmin}},
		SeparateOps: separate,
		Admin:       &admin.Handler{Health: health.NewTracker(health.Config{}, []string{"d"}, health.Options{})},
	}
}

// get fetches url with key (none when empty) and returns the status and
// the OpenAI error code, if the body is an error.
func get(t *testing.T, c *http.Client, url, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var e struct {
		Error struct {
			Code any `json:"code"`
		} `json:"error"`
	}
	json.Unmarshal(b, &e)
	code, _ := e.Error.Code.(string)
	return resp.StatusCode, code
}

// The operational endpoints take admin keys only, on the listener that
// serves them; the API listener answers 404 on them when they have a
// listener of their own. The probes stay open everywhere.
func TestOpsAccessMatrix(t *testing.T) {
	type want struct {
		status int
		code   string
	}
	var (
		ok       = want{200, ""}
		noKey    = want{401, ""}
		badKey   = want{401, "invalid_api_key"}
		clientNo = want{403, codeAdminKeyRequired}
		notFound = want{404, "unknown_url"}
	)
	keys := []string{"", "client-key", "admin-key", "wrong-key"}
	tests := []struct {
		name     string
		separate bool
		listener string // "api" or "admin"
		ops      []want // per key, for /metrics and /admin/health
		probes   int
	}{
		{"one listener", false, "api", []want{noKey, clientNo, ok, badKey}, 200},
		{"admin_listen, API listener", true, "api", []want{notFound, notFound, notFound, notFound}, 200},
		{"admin_listen, admin listener", true, "admin", []want{noKey, clientNo, ok, badKey}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newServer(&backend{}, opsOptions(tt.separate))
			apiLn, c, apiURL := listen(t)
			ls := Listeners{API: apiLn}
			url := apiURL
			if tt.separate {
				adminLn, _, adminURL := listen(t)
				ls.Admin = adminLn
				if tt.listener == "admin" {
					url = adminURL
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() { done <- s.Serve(ctx, ls, time.Second) }()
			defer func() {
				cancel()
				if err := receive(t, "Serve to return", done); err != nil {
					t.Errorf("Serve = %v", err)
				}
			}()
			for _, path := range []string{"/metrics", "/admin/health"} {
				for i, key := range keys {
					status, code := get(t, c, url+path, key)
					if w := tt.ops[i]; status != w.status || code != w.code {
						t.Errorf("%s with key %q: %d %q, want %d %q", path, key, status, code, w.status, w.code)
					}
				}
			}
			for _, path := range []string{"/healthz", "/readyz"} {
				if status, _ := get(t, c, url+path, ""); status != tt.probes {
					t.Errorf("%s: %d, want %d", path, status, tt.probes)
				}
			}
			if tt.listener == "admin" {
				if status, code := get(t, c, url+"/v1/models", "client-key"); status != 404 || code != "unknown_url" {
					t.Errorf("the API on the admin listener: %d %q, want 404", status, code)
				}
			}
		})
	}
}

// With no admin key configured, the operational endpoints answer only
// local clients that no proxy forwarded; demo mode opens them.
func TestOpsDefaultLoopbackOnly(t *testing.T) {
	tests := []struct {
		name   string
		anyKey bool
		remote string
		header map[string]string
		status int
	}{
		{"IPv4 loopback", false, "127.0.0.1:5000", nil, 200},
		{"IPv6 loopback", false, "[::1]:5000", nil, 200},
		{"another host", false, "192.0.2.1:5000", nil, 403},
		{"another host with a client key", false, "192.0.2.1:5000", map[string]string{"Authorization": "Bearer client-key"}, 403},
		{"through a local proxy", false, "127.0.0.1:5000", map[string]string{"X-Forwarded-For": "192.0.2.1"}, 403},
		{"through a local proxy, Forwarded", false, "127.0.0.1:5000", map[string]string{"Forwarded": "for=192.0.2.1"}, 403},
		{"demo mode, another host", true, "192.0.2.1:5000", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := opsOptions(false)
			opts.AdminKeys, opts.AnyKey = nil, tt.anyKey
			s := newServer(&backend{}, opts)
			for _, path := range []string{"/metrics", "/admin/health"} {
				r := httptest.NewRequest("GET", "http://127.0.0.1:8080"+path, nil)
				for k, v := range tt.header {
					r.Header.Set(k, v)
				}
				r.RemoteAddr = tt.remote
				w := httptest.NewRecorder()
				s.ServeHTTP(w, r)
				if w.Code != tt.status {
					t.Fatalf("%s: %d, want %d: %s", path, w.Code, tt.status, w.Body)
				}
				if tt.status == 403 {
					if _, _, code := openAIError(t, w); code != codeLoopbackOnly {
						t.Errorf("%s: code %v", path, code)
					}
				}
			}
		})
	}
}
