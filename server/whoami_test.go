package server

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/config"
	"switchyard/store/sqlite"
	"switchyard/tenant"
)

// TestWhoAmI: GET /admin/whoami names the admin key presented — a file
// key by its name, a managed key by its name and id — with its role and
// tenant, never the key; in demo mode it says no key is required; a
// wrong key gets the guard's 401.
func TestWhoAmI(t *testing.T) {
	ctx := context.Background()
	db, err := sqlite.Open(ctx, t.TempDir()+"/keys.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ring := tenant.NewKeyring(tenant.Options{Config: &config.Config{Auth: config.Auth{
		AdminKeys: []config.AdminKey{{Key: "file-admin-SECRET", Name: "ops", Role: config.RoleAdmin}}}}, Store: db})
	m := &tenant.Manager{Store: db, Keyring: ring}
	managed, err := m.Create(ctx, tenant.CLI, tenant.Spec{Name: "acme-view", Role: config.RoleViewer, Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	opts := opsOptions(false)
	opts.Keys, opts.AdminKeys, opts.Keyring = nil, nil, ring
	s := newServer(&backend{}, opts)
	whoami := func(s http.Handler, key string) (int, admin.WhoAmI, string) {
		t.Helper()
		h := map[string]string{}
		if key != "" {
			h["Authorization"] = "Bearer " + key
		}
		w := do(s, http.MethodGet, "/admin/whoami", "", h)
		var out admin.WhoAmI
		if w.Code == 200 {
			if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
		}
		return w.Code, out, w.Body.String()
	}
	code, got, body := whoami(s, "file-admin-SECRET")
	if code != 200 || got.Name != "ops" || got.Role != "admin" || got.Tenant != "" || got.KeyID != "" || !got.KeyRequired {
		t.Errorf("file key: %d %s", code, body)
	}
	code, got, body = whoami(s, managed.Key)
	if code != 200 || got.Name != "acme-view" || got.Role != "viewer" || got.Tenant != "acme" || got.KeyID != managed.Record.ID || !got.KeyRequired {
		t.Errorf("managed key: %d %s", code, body)
	}
	for _, key := range []string{"file-admin-SECRET", managed.Key} {
		if _, _, body := whoami(s, key); strings.Contains(body, key) {
			t.Errorf("whoami shows the key: %s", body)
		}
	}
	if code, _, body := whoami(s, "wrong-key"); code != 401 {
		t.Errorf("a wrong key: %d %s", code, body)
	}
	demo := opsOptions(false)
	demo.AnyKey = true
	code, got, body = whoami(newServer(&backend{}, demo), "")
	if code != 200 || got.Name != "demo" || got.Role != "admin" || got.KeyRequired {
		t.Errorf("demo mode: %d %s", code, body)
	}
}
