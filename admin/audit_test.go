package admin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/store"
)

// auditMux serves the admin endpoints with s's audit trail, as p.
func auditMux(t *testing.T, s store.AuditLog, p Principal) http.Handler {
	trail := audit.New(s, audit.Options{})
	t.Cleanup(func() { trail.Close(context.Background()) })
	mux := http.NewServeMux()
	(&Handler{Audit: trail, Now: func() time.Time { return fixedNow }}).Mount(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// TestAuditIsolatesTenants: a key scoped to a tenant reads its tenant's
// events only, and may not ask for another's; an unscoped key reads all,
// or one tenant's; filters and pages apply within the scope. On both
// back ends.
func TestAuditIsolatesTenants(t *testing.T) {
	forEachBackend(t, func(t *testing.T, s store.Store) {
		ctx := context.Background()
		for i, e := range []store.AuditEvent{
			{Actor: "acme-ops", Tenant: acme, Action: "key.create", Target: "key acme-1"},
			{Actor: "globex-ops", Tenant: globex, Action: "key.create", Target: "key globex-1"},
			{Actor: "adm", Action: "config.update", Target: "config version 2"},
			{Actor: "acme-viewer", Tenant: acme, Action: ActionDenied, Target: "PUT /admin/config"},
			{Actor: "acme-ops", Tenant: acme, Action: "key.revoke", Target: "key acme-1"},
		} {
			e.Time, e.Outcome = fixedNow.Add(time.Duration(i-10)*time.Minute), store.AuditOK
			if err := s.AppendAudit(ctx, e); err != nil {
				t.Fatal(err)
			}
		}
		targets := func(h http.Handler, query string) []string {
			t.Helper()
			var out []string
			next := ""
			for range 10 {
				var page AuditList
				decode(t, do(h, "/admin/audit?limit=2"+query+next), &page)
				for _, e := range page.Data {
					out = append(out, e.Target)
				}
				if page.Next == "" {
					return out
				}
				next = "&cursor=" + page.Next
			}
			t.Fatal("no last page")
			return nil
		}
		scoped := auditMux(t, s, Principal{Name: "acme-viewer", Role: config.RoleViewer, Tenant: acme})
		all := auditMux(t, s, Principal{Name: "adm", Role: config.RoleAdmin})
		for _, tc := range []struct {
			h     http.Handler
			query string
			want  []string
		}{
			{scoped, "", []string{"key acme-1", "PUT /admin/config", "key acme-1"}},
			{scoped, "&tenant=acme&action=key.*", []string{"key acme-1", "key acme-1"}},
			{all, "", []string{"key acme-1", "PUT /admin/config", "config version 2", "key globex-1", "key acme-1"}},
			{all, "&tenant=globex", []string{"key globex-1"}},
			{all, "&actor=acme-ops&action=key.revoke", []string{"key acme-1"}},
			{all, "&since=7m", []string{"key acme-1", "PUT /admin/config"}},
		} {
			if got := targets(tc.h, tc.query); !slices.Equal(got, tc.want) {
				t.Errorf("query %q: %v; want %v", tc.query, got, tc.want)
			}
		}
		wantError(t, do(scoped, "/admin/audit?tenant=globex"), 403, "tenant_not_allowed", "tenant")
		wantError(t, do(all, "/admin/audit?action=con*fig"), 400, "", "action")
		wantError(t, do(all, "/admin/audit?cursor=nope"), 400, "", "cursor")
		wantError(t, do(all, "/admin/audit?limit=2&verb=x"), 400, "", "verb")
	})
}

// TestAuthorize: the middleware refuses a request without a principal,
// one to an endpoint without a rule, and answers an unknown path (404)
// or method (405, with Allow) in OpenAI's error shape, as every admin
// error is (docs/admin-api.md#conventions), not the mux's plain text.
func TestAuthorize(t *testing.T) {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok")) }
	mux.HandleFunc("GET /admin/health", ok)
	mux.HandleFunc("GET /admin/secret", ok) // no rule
	mem := new(store.Memory)
	trail := audit.New(mem, audit.Options{})
	h := Authorize(Rules, trail, mux)
	as := func(p *Principal, method, target string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, nil)
		if p != nil {
			r = r.WithContext(WithPrincipal(r.Context(), *p))
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return rec
	}
	viewer := &Principal{Name: "v", Role: config.RoleViewer}
	if rec := as(viewer, "GET", "/admin/health"); rec.Code != 200 {
		t.Errorf("viewer on health: %d", rec.Code)
	}
	wantError(t, as(nil, "GET", "/admin/health"), 403, "admin_principal_missing", "")
	wantError(t, as(&Principal{Name: "x", Role: "superuser"}, "GET", "/admin/health"), 403, CodeInsufficientRole, "")
	wantError(t, as(&Principal{Name: "a", Role: config.RoleAdmin}, "GET", "/admin/secret"), 403, CodeNoRule, "")
	wantError(t, as(viewer, "GET", "/admin/nothing"), 404, "unknown_url", "")
	wrong := as(viewer, "DELETE", "/admin/health")
	wantError(t, wrong, 405, "method_not_allowed", "")
	if got := wrong.Header().Get("Allow"); got != "GET, HEAD" || wrong.Header().Get("Content-Type") != "application/json" {
		t.Errorf("wrong method: Allow %q, Content-Type %q", got, wrong.Header().Get("Content-Type"))
	}
	trail.Close(context.Background())
	p, _ := mem.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{})
	if len(p.Events) != 2 || !strings.Contains(p.Events[0].Detail, CodeNoRule) || p.Events[1].Actor != "x" {
		t.Errorf("refusals audited: %+v", p.Events)
	}
}

// TestConfigEndpointsOff: without a configuration file, the
// configuration endpoints say so.
func TestConfigEndpointsOff(t *testing.T) {
	mux := http.NewServeMux()
	(&Handler{}).Mount(mux)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), Unscoped("demo"))))
	})
	for _, path := range []string{"/admin/config", "/admin/config/versions", "/admin/config/versions/1"} {
		wantError(t, do(h, path), 404, "config_api_off", "")
	}
	wantError(t, do(h, "/admin/audit"), 404, "audit_off", "")
}
