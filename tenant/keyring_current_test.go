package tenant

import (
	"context"
	"testing"
	"time"

	"switchyard/config"
)

// TestKeyringCurrent: a managed key is judged by its id alone, so a
// revoked key stays revoked beside a working one of the same name and
// tenant; a rotated one works until its grace ends; a file's key by its
// name and tenant, until it expires or leaves the configuration.
func TestKeyringCurrent(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clock := newClock()
	k := NewKeyring(Options{Config: testConfig(t), Store: st, Now: clock.Now})
	m := &Manager{Store: st, Config: fixed(testConfig(t)), Now: clock.Now}
	create := func(spec Spec) string {
		t.Helper()
		nk, err := m.Create(ctx, CLI, spec)
		if err != nil {
			t.Fatal(err)
		}
		return nk.Record.ID
	}
	revoked, twin, rotated := create(Spec{Name: "bot", Tenant: "acme"}), create(Spec{Name: "bot", Tenant: "acme"}), create(Spec{Name: "rot", Tenant: "acme"})
	viewer := create(Spec{Name: "ops", Tenant: "acme", Role: config.RoleViewer})
	if _, err := m.Revoke(ctx, CLI, revoked); err != nil {
		t.Fatal(err)
	}
	next, err := m.Rotate(ctx, CLI, rotated, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	check := func(when, id, tenant, name string, want Status) {
		t.Helper()
		got, status := k.Current(id, tenant, name)
		if status != want || (status == Valid) != (got != nil) || got != nil && (got.Name != name || got.Tenant != tenant) {
			t.Errorf("%s: Current(%q, %s, %s) = %+v, %v; want %v", when, id, tenant, name, got, status, want)
		}
	}
	check("revoked", revoked, "acme", "bot", Revoked)
	check("its twin", twin, "acme", "bot", Valid)
	check("rotated, in its grace", rotated, "acme", "rot", Valid)
	check("the rotation's new key", next.Record.ID, "acme", "rot", Valid)
	check("an admin key", viewer, "acme", "ops", Unknown)
	check("unknown", "nosuchkey000", "acme", "bot", Unknown)
	check("the file's key", "", "acme", "acme-web", Valid)
	check("a name the file lacks", "", "acme", "bot", Unknown)
	clock.Advance(48 * time.Hour) // past the grace and "old"'s expiry
	check("rotated, past its grace", rotated, "acme", "rot", Expired)
	check("the file's expired key", "", "acme", "old", Expired)
	k.SetConfig(&config.Config{})
	check("the file's key, removed", "", "acme", "acme-web", Unknown)
}
