package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/llm"
	"switchyard/store/sqlite"
	"switchyard/tenant"
)

// TestManagedKeysAuthenticate: managed client keys authenticate on the
// API (their name and tenant become the caller, expired and revoked
// ones are 401 with their code), managed admin keys open the
// operational endpoints with their role and tenant, whether or not the
// file lists admin keys, and neither kind opens the other's endpoints.
// Once a managed admin key exists, the operational endpoints need an
// admin key even from this host, as when the file lists one.
func TestManagedKeysAuthenticate(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/keys.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring := tenant.NewKeyring(tenant.Options{Store: db})
	m := &tenant.Manager{Store: db, Keyring: ring}
	client, _ := m.Create(ctx, tenant.CLI, tenant.Spec{Name: "bot", Tenant: "acme"})
	revoked, _ := m.Create(ctx, tenant.CLI, tenant.Spec{Tenant: "acme"})
	adm, err := m.Create(ctx, tenant.CLI, tenant.Spec{Name: "acme-ops", Role: config.RoleViewer, Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Revoke(ctx, tenant.CLI, revoked.Record.ID); err != nil {
		t.Fatal(err)
	}
	for _, withFileAdmins := range []bool{false, true} {
		opts := opsOptions(false)
		opts.Keys, opts.Keyring = nil, ring
		if !withFileAdmins {
			opts.AdminKeys = nil
		}
		var caller gateway.Caller
		s := newServer(&backend{ChatFunc: func(ctx context.Context, _ *llm.Request) (*llm.Response, error) {
			caller = gateway.CallerFrom(ctx)
			return answer("ok"), nil
		}}, opts)
		chat := func(key string) (int, string) {
			w := do(s, http.MethodPost, "/v1/chat/completions", chatBody, map[string]string{"Authorization": "Bearer " + key})
			if w.Code == 200 {
				return 200, ""
			}
			_, _, code := openAIError(t, w)
			c, _ := code.(string)
			return w.Code, c
		}
		if code, _ := chat(client.Key); code != 200 || caller.Name != "bot" || caller.Tenant != "acme" {
			t.Errorf("a managed client key: %d, caller %+v", code, caller)
		}
		if code, c := chat(revoked.Key); code != 401 || c != tenant.CodeKeyRevoked {
			t.Errorf("a revoked key: %d %s", code, c)
		}
		if code, _ := chat(adm.Key); code != 401 {
			t.Errorf("an admin key on the API: %d", code)
		}
		w := do(s, http.MethodGet, "/admin/health", "", map[string]string{"Authorization": "Bearer " + adm.Key})
		if w.Code != 200 {
			t.Errorf("the managed admin key (file admin keys %v): %d %s", withFileAdmins, w.Code, w.Body)
		}
		w = do(s, http.MethodGet, "/admin/health", "", map[string]string{"Authorization": "Bearer " + client.Key})
		if _, _, code := openAIError(t, w); w.Code != 403 || code != "admin_key_required" {
			t.Errorf("a managed client key on /admin (file admin keys %v): %d %v", withFileAdmins, w.Code, code)
		}
		local := httptest.NewRequest(http.MethodGet, "/admin/health", nil)
		local.RemoteAddr = "127.0.0.1:40000"
		lw := httptest.NewRecorder()
		s.ServeHTTP(lw, local)
		if lw.Code != 401 {
			t.Errorf("no key from this host while a managed admin key exists (file admin keys %v): %d %s", withFileAdmins, lw.Code, lw.Body)
		}
	}
}
