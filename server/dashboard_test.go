package server

import (
	"net/http"
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
