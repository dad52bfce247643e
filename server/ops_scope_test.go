package server

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// The guard hands the admin API the principal of the key presented: a key
// with a tenant reads only that tenant's requests, one without every
// tenant's, and so do local clients with no admin key configured and
// demo mode.
func TestOpsPrincipalScopesRequestLog(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/requests.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var rows []*store.Request
	for i, tenant := range []string{"acme", "globex", "acme"} {
		r := storetest.Sample(i)
		r.Tenant = tenant
		rows = append(rows, r)
	}
	if err := db.Write(context.Background(), rows); err != nil {
		t.Fatal(err)
	}
	adminKeys := []config.AdminKey{
		{Key: "acme-key", Name: "acme-ops", Role: config.RoleViewer, Tenant: "acme"},
		{Key: "globex-key", Name: "globex-ops", Role: config.RoleAdmin, Tenant: "globex"},
		{Key: "ops-key", Name: "ops", Role: config.RoleAdmin},
	}
	tests := []struct {
		name      string
		adminKeys []config.AdminKey
		anyKey    bool
		key       string
		tenants   []string
	}{
		{"acme's key", adminKeys, false, "acme-key", []string{"acme", "acme"}},
		{"globex's key", adminKeys, false, "globex-key", []string{"globex"}},
		{"an unscoped key", adminKeys, false, "ops-key", []string{"acme", "globex", "acme"}},
		{"loopback, no admin keys", nil, false, "", []string{"acme", "globex", "acme"}},
		{"demo mode", nil, true, "", []string{"acme", "globex", "acme"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := opsOptions(false)
			opts.AdminKeys, opts.AnyKey = tt.adminKeys, tt.anyKey
			opts.Admin = &admin.Handler{Store: db}
			s := newServer(&backend{}, opts)
			r := httptest.NewRequest("GET", "http://127.0.0.1:8080/admin/requests", nil)
			r.RemoteAddr = "127.0.0.1:5000"
			if tt.key != "" {
				r.Header.Set("Authorization", "Bearer "+tt.key)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			var out admin.RequestList
			if err := json.Unmarshal(w.Body.Bytes(), &out); w.Code != 200 || err != nil {
				t.Fatalf("%d %v: %s", w.Code, err, w.Body)
			}
			var tenants []string
			for _, row := range out.Data {
				tenants = append(tenants, row.Tenant)
			}
			slices.Reverse(tenants) // newest first
			if !slices.Equal(tenants, tt.tenants) {
				t.Errorf("tenants seen %v, want %v", tenants, tt.tenants)
			}
		})
	}
}

// With tenant labels on the metrics, /metrics holds every tenant's series:
// a key scoped to a tenant is refused it; without them every admin key
// reads it.
func TestTenantScopedKeyAndTenantMetrics(t *testing.T) {
	adminKeys := []config.AdminKey{
		{Key: "acme-key", Name: "acme-ops", Role: config.RoleViewer, Tenant: "acme"},
		{Key: "ops-key", Name: "ops", Role: config.RoleAdmin},
	}
	for _, tt := range []struct {
		tenantMetrics bool
		key           string
		status        int
	}{
		{false, "acme-key", 200},
		{false, "ops-key", 200},
		{true, "acme-key", 403},
		{true, "ops-key", 200},
	} {
		opts := opsOptions(false)
		opts.AdminKeys, opts.TenantMetrics = adminKeys, tt.tenantMetrics
		s := newServer(&backend{}, opts)
		w := do(s, "GET", "/metrics", "", map[string]string{"Authorization": "Bearer " + tt.key})
		if w.Code != tt.status || tt.status == 403 && !strings.Contains(w.Body.String(), `"code":"tenant_not_allowed"`) {
			t.Errorf("tenant metrics %v, %s: %d %s, want %d", tt.tenantMetrics, tt.key, w.Code, w.Body, tt.status)
		}
		// Health is per deployment, not per tenant: every admin key reads it.
		if w := do(s, "GET", "/admin/health", "", map[string]string{"Authorization": "Bearer " + tt.key}); w.Code != 200 {
			t.Errorf("/admin/health with %s: %d", tt.key, w.Code)
		}
	}
}
