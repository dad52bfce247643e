package admin

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"switchyard/config"
)

// TestWhoAmI: every principal reads who it is and exactly the endpoints
// Rules lets it call; a keyless principal says no key was needed.
func TestWhoAmI(t *testing.T) {
	mux := http.NewServeMux()
	(&Handler{}).Mount(mux)
	h := Authorize(Rules, nil, mux)
	for _, tc := range []struct {
		p        Principal
		want     WhoAmI
		has, not []string
	}{
		{Principal{Name: "acme-view", Role: config.RoleViewer, Tenant: "acme"},
			WhoAmI{Name: "acme-view", Role: "viewer", Tenant: "acme", KeyRequired: true},
			[]string{"GET /admin/requests", "GET /admin/health"}, []string{"GET /admin/config", "GET /admin/keys", "POST /admin/keys"}},
		{Principal{Name: "ops", Role: config.RoleOperator, KeyID: "4kq7m2xw9c1p"},
			WhoAmI{Name: "ops", Role: "operator", KeyID: "4kq7m2xw9c1p", KeyRequired: true},
			[]string{"GET /admin/keys", "POST /admin/keys/{id}/rotate", "GET /admin/config"}, []string{"POST /admin/config/rollback"}},
		{Unscoped("demo"), WhoAmI{Name: "demo", Role: "admin"},
			[]string{"POST /admin/config/rollback", "PUT /admin/config"}, nil},
	} {
		r := httptest.NewRequest("GET", "/admin/whoami", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r.WithContext(WithPrincipal(r.Context(), tc.p)))
		if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
			t.Fatalf("%s: %d %v %s", tc.p.Name, rec.Code, rec.Header(), rec.Body)
		}
		var got WhoAmI
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatal(err)
		}
		allowed := got.Allowed
		got.Allowed = nil
		if got.Name != tc.want.Name || got.Role != tc.want.Role || got.Tenant != tc.want.Tenant ||
			got.KeyID != tc.want.KeyID || got.KeyRequired != tc.want.KeyRequired {
			t.Errorf("%s: %+v; want %+v", tc.p.Name, got, tc.want)
		}
		for _, p := range tc.has {
			if !slices.Contains(allowed, p) {
				t.Errorf("%s: %s not in allowed %v", tc.p.Name, p, allowed)
			}
		}
		for _, p := range tc.not {
			if slices.Contains(allowed, p) {
				t.Errorf("%s: %s in allowed %v", tc.p.Name, p, allowed)
			}
		}
		for i := range Rules {
			ok, _ := Rules[i].Allows(tc.p)
			if ok != slices.Contains(allowed, Rules[i].Pattern) {
				t.Errorf("%s: %s allowed=%v by the rule, listed=%v", tc.p.Name, Rules[i].Pattern, ok, !ok)
			}
		}
	}
}
