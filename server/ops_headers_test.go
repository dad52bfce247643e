package server

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// Every answer of the operational endpoints — data, refusals and 404s
// alike — tells caches not to keep it (it may hold prompts, the audit
// trail or a key), browsers not to sniff it into another type, and no
// page to frame it.
func TestOpsAnswersCarrySecurityHeaders(t *testing.T) {
	s := newServer(&backend{}, opsOptions(false))
	for _, path := range []string{"/metrics", "/admin/health", "/admin/whoami", "/admin/no-such-endpoint"} {
		for _, key := range []string{"admin-key", "", "client-key", "wrong-key"} {
			r := httptest.NewRequest("GET", "http://127.0.0.1:8080"+path, nil)
			r.RemoteAddr = "127.0.0.1:5000"
			if key != "" {
				r.Header.Set("Authorization", "Bearer "+key)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			h := w.Header()
			if h.Get("Cache-Control") != "no-store" || h.Get("X-Content-Type-Options") != "nosniff" ||
				!strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("GET %s with key %q (%d): headers %v", path, key, w.Code, h)
			}
		}
	}
}
