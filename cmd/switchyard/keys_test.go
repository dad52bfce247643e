package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"switchyard/admin"
	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/tenant"
)

func runKeys(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(append([]string{"keys"}, args...), &out, &errOut)
	return code, out.String(), errOut.String()
}

// TestKeysCLI: create prints the key once (first line) and stores only
// its hash; list shows ids, prefixes and limits but never a key; rotate
// and revoke change the state; mistakes are reported with exit 1 or 2.
func TestKeysCLI(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "switchyard.yaml")
	db := filepath.Join(dir, "keys.db")
	if err := writeFile(cfg, `providers: {openai: {kind: openai, api_key: k}}
deployments: {gpt-4o-mini: {provider: openai}}
routes: {support: {deployments: [gpt-4o-mini]}}
store: {driver: sqlite, path: `+db+`}
`); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runKeys(t, "create", "--config", cfg, "--tenant", "acme", "--name", "bot", "--routes", "support",
		"--rpm", "60", "--tpm", "5000", "--max-concurrent", "2", "--overrides", "none", "--expires", "30d")
	if code != 0 {
		t.Fatalf("create: exit %d: %s", code, errOut)
	}
	key := strings.SplitN(out, "\n", 2)[0]
	id, ok := tenant.ParseKey(key)
	if !ok {
		t.Fatalf("the first line %q is not a key", key)
	}
	secret := key[len(tenant.KeyPrefix)+tenant.IDLen+1:]

	code, out, errOut = runKeys(t, "list", "--config", cfg, "--json")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	var list admin.KeyList
	if err := json.Unmarshal([]byte(out), &list); err != nil || len(list.Data) != 1 {
		t.Fatalf("list --json = %s (%v)", out, err)
	}
	v := list.Data[0]
	if v.ID != id || v.Prefix != tenant.Shown(id) || v.Tenant != "acme" || v.RPM != 60 || v.TPM != 5000 || v.MaxConcurrent != 2 ||
		v.State != tenant.StateActive || len(v.Routes) != 1 || v.Overrides == nil || len(v.Overrides) != 0 || v.Expires == nil {
		t.Errorf("listed key = %+v", v)
	}
	_, table, _ := runKeys(t, "list", "--store", db)
	for _, shown := range []string{out, table} {
		if strings.Contains(shown, secret) {
			t.Fatal("keys list shows the key's secret")
		}
	}
	if !strings.Contains(table, id) || !strings.Contains(table, "rpm 60, tpm 5000, max_concurrent 2") {
		t.Errorf("table:\n%s", table)
	}

	code, out, _ = runKeys(t, "rotate", id, "--store", db, "--grace", "1h")
	newKey := strings.SplitN(out, "\n", 2)[0]
	if code != 0 || !strings.Contains(out, "replaces "+id) {
		t.Fatalf("rotate: exit %d: %s", code, out)
	}
	if code, out, _ = runKeys(t, "revoke", "--store", db, id); code != 0 || !strings.Contains(out, "revoked "+id) {
		t.Fatalf("revoke: exit %d: %s", code, out)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	k := tenant.NewKeyring(tenant.Options{Store: st})
	if err := k.Load(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, s := k.Lookup(key); s != tenant.Revoked {
		t.Errorf("the revoked key looks up as %v", s)
	}
	if idn, s := k.Lookup(newKey); s != tenant.Valid || idn.Name != "bot" || idn.Grant.KeyLimits.RPM != 60 {
		t.Errorf("the rotated key = %+v, %v", idn, s)
	}
	wantCLIAudit(t, st, id, []string{secret, newKey[len(tenant.KeyPrefix)+tenant.IDLen+1:]})

	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"create", "--config", cfg}, 1, "needs a tenant"},
		{[]string{"create", "--config", cfg, "--tenant", "acme", "--routes", "suport"}, 1, `Unknown route "suport"`},
		{[]string{"create", "--config", cfg, "--tenant", "acme", "--expires", "soon"}, 2, "--expires"},
		{[]string{"create", "--config", cfg, "--role", "admin"}, 2, "--admin"},
		{[]string{"revoke", "--config", cfg, "abcdefghjkmn"}, 1, "No key with this id"},
		{[]string{"rotate", "--config", cfg}, 2, "want one key id"},
		{[]string{"list", "--config", filepath.Join(dir, "none.yaml")}, 1, "none.yaml"},
		{[]string{"frobnicate"}, 2, "unknown subcommand"},
	} {
		code, _, errOut := runKeys(t, tc.args...)
		if code != tc.code || !strings.Contains(errOut, tc.want) {
			t.Errorf("keys %v: exit %d, %q; want exit %d, %q", tc.args, code, errOut, tc.code, tc.want)
		}
	}
}

// wantCLIAudit checks that the keys command wrote its changes to the
// store's audit trail: the create, rotate and revoke of key id, by the
// command line, in tenant acme, never a key's secret.
func wantCLIAudit(t *testing.T, st store.Store, id string, secrets []string) {
	t.Helper()
	page, err := st.ListAudit(context.Background(), store.AllTenants(), store.AuditFilter{Action: "key.*"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range page.Events {
		got = append(got, e.Action+" "+e.Target)
		if !strings.HasPrefix(e.Actor, "cli") || e.Tenant != "acme" || e.Outcome != store.AuditOK {
			t.Errorf("audit event %+v; want actor cli…, tenant acme, outcome ok", e)
		}
		for _, s := range secrets {
			if strings.Contains(e.Target+e.Detail, s) {
				t.Errorf("audit event %+v holds a key", e)
			}
		}
	}
	slices.Reverse(got) // oldest first
	if len(got) != 3 || got[0] != "key.create "+id || got[1] != "key.rotate "+id || !strings.HasPrefix(got[2], "key.revoke ") {
		t.Errorf("audit trail = %v; want the create and rotation of %s, then a revoke", got, id)
	}
}
