package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestDashboardMounted: the dashboard's pages are served where /admin/ is
// — on the one listener, or only on the admin listener with
// server.admin_listen — without a key, while the admin API they read
// still wants one; /ui redirects to /ui/; off, /ui/ is the API's 404.
func TestDashboardMounted(t *testing.T) {
	for _, tt := range []struct {
		name       string
		separate   bool
		dashboard  bool
		api, admin int // the status of GET /ui/ on each listener
	}{
		{"one listener", false, true, 200, 200},
		{"admin_listen", true, true, 404, 200},
		{"off", false, false, 404, 404},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := opsOptions(tt.separate)
			opts.Dashboard = tt.dashboard
			s := newServer(&backend{}, opts)
			for _, l := range []struct {
				name string
				h    http.Handler
				want int
			}{{"API listener", s.handler, tt.api}, {"admin listener", s.ops, tt.admin}} {
				w := do(l.h, "GET", "/ui/", "", nil)
				if w.Code != l.want {
					t.Errorf("%s: GET /ui/ = %d, want %d", l.name, w.Code, l.want)
				}
				if l.want != 200 {
					continue
				}
				if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" || !strings.Contains(w.Body.String(), `src="js/app.js"`) {
					t.Errorf("%s: /ui/ is %q:\n%s", l.name, ct, w.Body)
				}
				if csp := w.Header().Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
					t.Errorf("%s: CSP %q", l.name, csp)
				}
				if r := do(l.h, "GET", "/ui", "", nil); r.Code != http.StatusMovedPermanently || r.Header().Get("Location") != "/ui/" {
					t.Errorf("%s: GET /ui = %d to %q", l.name, r.Code, r.Header().Get("Location"))
				}
				if r := do(l.h, "GET", "/admin/requests", "", nil); r.Code != 401 {
					t.Errorf("%s: the admin API without a key: %d", l.name, r.Code)
				}
				if r := do(l.h, "GET", "/admin/whoami", "", map[string]string{"Authorization": "Bearer admin-key"}); r.Code != 200 {
					t.Errorf("%s: whoami with the admin key: %d %s", l.name, r.Code, r.Body)
				}
			}
		})
	}
}

// TestDashboardConfig: server.dashboard: false in the file turns the
// dashboard off; by default it is on.
func TestDashboardConfig(t *testing.T) {
	for _, tt := range []struct {
		text string
		want int
	}{{adminConfig, 200}, {"server: {dashboard: false}\n" + adminConfig, 404}} {
		a := newAdminRig(t, tt.text, nil)
		if status, _ := a.call("", "GET", "/ui/", "", ""); status != tt.want {
			t.Errorf("GET /ui/ = %d, want %d (config starts %q)", status, tt.want, tt.text[:30])
		}
	}
}

// TestDashboardKeyRequired: /ui/auth.json says whether the admin API
// wants a key from the caller, as the operational endpoints' guard
// decides: always with an admin key configured, never in demo mode, and
// without an admin key only from another host.
func TestDashboardKeyRequired(t *testing.T) {
	for _, tt := range []struct {
		name   string
		edit   func(*Options)
		remote string
		want   bool
	}{
		{"admin keys", func(*Options) {}, "127.0.0.1:5000", true},
		{"demo", func(o *Options) { o.AnyKey = true }, "192.0.2.1:5000", false},
		{"no admin key, this host", func(o *Options) { o.AdminKeys = nil }, "127.0.0.1:5000", false},
		{"no admin key, another host", func(o *Options) { o.AdminKeys = nil }, "192.0.2.1:5000", true},
	} {
		opts := opsOptions(false)
		opts.Dashboard = true
		tt.edit(&opts)
		r := httptest.NewRequest("GET", "http://127.0.0.1:8080/ui/auth.json", nil)
		r.RemoteAddr = tt.remote
		w := httptest.NewRecorder()
		newServer(&backend{}, opts).ServeHTTP(w, r)
		var got struct {
			KeyRequired *bool `json:"key_required"`
		}
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.KeyRequired == nil || *got.KeyRequired != tt.want {
			t.Errorf("%s: %d %s; want key_required %v", tt.name, w.Code, w.Body, tt.want)
		}
	}
}
