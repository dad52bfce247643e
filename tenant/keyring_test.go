package tenant

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// clock is a fake clock safe for concurrent use.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func openStore(t *testing.T) store.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "keys.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testConfig has two deployments, a route, a tenant with limits and two
// keys of the file.
func testConfig(t *testing.T) *config.Config {
	t.Helper()
	c, err := config.Parse([]byte(`
providers: {openai: {kind: openai, api_key: k}}
deployments: {d1: {provider: openai}, d2: {provider: openai}}
routes: {support: {deployments: [d1, d2]}}
auth:
  keys:
    - {key: ck-acme-0123456789, name: acme-web, tenant: acme, rpm: 60, routes: [support]}
    - {key: ck-old-0123456789, name: old, tenant: acme, expires: 2026-03-02}
tenants:
  acme: {tpm: 1000, deployments: [d1]}
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestKeyringFileKeys(t *testing.T) {
	c := newClock()
	k := NewKeyring(Options{Config: testConfig(t), Now: c.Now})
	if !k.Enabled() {
		t.Fatal("keys of the file must enable authentication")
	}
	id, st := k.Lookup("ck-acme-0123456789")
	if st != Valid || id.Name != "acme-web" || id.Tenant != "acme" || id.Role != "" {
		t.Fatalf("Lookup = %+v, %v", id, st)
	}
	g := id.Grant
	if g.KeyLimits.RPM != 60 || g.TenantLimits.TPM != 1000 || g.KeyID != "config:acme-web" {
		t.Errorf("grant = %+v", g)
	}
	if g.CheckRoute("support") != nil || g.CheckRoute("auto") == nil {
		t.Error("the key's routes are not applied")
	}
	if g.CheckDeployment("d1") != nil || g.CheckDeployment("d2") == nil {
		t.Error("the tenant's deployments are not applied")
	}
	if _, st := k.Lookup("ck-acme-012345678"); st != Unknown {
		t.Errorf("a prefix of a key: %v, want Unknown", st)
	}
	if _, st := k.Lookup("ck-old-0123456789"); st != Valid {
		t.Errorf("a key before its expiry: %v", st)
	}
	c.Advance(12 * time.Hour)
	if _, st := k.Lookup("ck-old-0123456789"); st != Expired {
		t.Errorf("a key at its expiry: %v, want Expired", st)
	}
	if _, st := k.LookupAdmin("ck-acme-0123456789"); st != Unknown {
		t.Errorf("a client key of the file as an admin key: %v, want Unknown", st)
	}
}

func TestKeyringManagedKeys(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	st := openStore(t)
	k := NewKeyring(Options{Config: testConfig(t), Store: st, Now: c.Now})
	m := &Manager{Store: st, Config: fixed(testConfig(t)), Now: c.Now} // no Keyring: this test drives Load
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	client, err := m.Create(ctx, CLI, Spec{Name: "bot", Tenant: "acme", Routes: []string{"auto"}, Limits: config.Limits{MaxConcurrent: 2}})
	if err != nil {
		t.Fatal(err)
	}
	adm, err := m.Create(ctx, CLI, Spec{Name: "ops", Role: config.RoleOperator, Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, s := k.Lookup(client.Key); s != Unknown {
		t.Fatalf("a key created after the last load: %v, want Unknown until the next", s)
	}
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	id, s := k.Lookup(client.Key)
	if s != Valid || id.ID != client.Record.ID || id.Name != "bot" || id.Tenant != "acme" || id.Grant.KeyLimits.MaxConcurrent != 2 ||
		id.Grant.TenantLimits.TPM != 1000 || id.Grant.CheckRoute("auto") != nil || id.Grant.CheckRoute("support") == nil {
		t.Fatalf("managed client key = %+v (grant %+v), %v", id, id.Grant, s)
	}
	if _, s := k.LookupAdmin(client.Key); s != Unknown {
		t.Errorf("a client key as an admin key: %v", s)
	}
	if id, s := k.LookupAdmin(adm.Key); s != Valid || id.Role != config.RoleOperator || id.Tenant != "acme" || id.Grant != nil {
		t.Errorf("managed admin key = %+v, %v", id, s)
	}
	if _, s := k.Lookup(adm.Key); s != Unknown {
		t.Errorf("an admin key as a client key: %v", s)
	}
	// A key of the right id with another secret is unknown.
	forged := client.Key[:len(client.Key)-4] + "AAAA"
	if forged == client.Key {
		forged = client.Key[:len(client.Key)-4] + "BBBB"
	}
	if _, s := k.Lookup(forged); s != Unknown {
		t.Errorf("a forged secret with a real id: %v, want Unknown", s)
	}

	// Rotation: both keys work during the grace, the old one not after.
	next, err := m.Rotate(ctx, CLI, client.Record.ID, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	k.Load(ctx)
	if _, s := k.Lookup(client.Key); s != Valid {
		t.Errorf("the old key during the grace: %v", s)
	}
	if id, s := k.Lookup(next.Key); s != Valid || id.Name != "bot" || id.Grant.KeyLimits.MaxConcurrent != 2 {
		t.Errorf("the new key = %+v, %v; want the old one's name and limits", id, s)
	}
	c.Advance(time.Hour)
	if _, s := k.Lookup(client.Key); s != Expired {
		t.Errorf("the old key after the grace: %v, want Expired", s)
	}
	if _, err := m.Revoke(ctx, CLI, next.Record.ID); err != nil {
		t.Fatal(err)
	}
	k.Load(ctx)
	if _, s := k.Lookup(next.Key); s != Revoked {
		t.Errorf("a revoked key: %v, want Revoked", s)
	}
}

func TestKeyringEnabledByManagedKeysOnly(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	k := NewKeyring(Options{Store: st})
	k.Load(ctx)
	if k.Enabled() {
		t.Fatal("no key anywhere: authentication must be off")
	}
	m := &Manager{Store: st, Keyring: k}
	if _, err := m.Create(ctx, CLI, Spec{Name: "ops", Role: config.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	if k.Enabled() {
		t.Error("an admin key alone must not turn client authentication on")
	}
	c, err := m.Create(ctx, CLI, Spec{Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if !k.Enabled() {
		t.Fatal("a managed client key must turn authentication on (the manager reloads the keyring)")
	}
	if _, err := m.Revoke(ctx, CLI, c.Record.ID); err != nil {
		t.Fatal(err)
	}
	if !k.Enabled() {
		t.Error("revoking the last key opened the router")
	}
}

// TestKeyringRunPicksUpChanges: a key created by another process (another
// Manager on the same database) works once Run has polled.
func TestKeyringRunPicksUpChanges(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	path := filepath.Join(t.TempDir(), "keys.db")
	st1, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st1.Close()
	st2, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	k := NewKeyring(Options{Store: st1, Interval: 10 * time.Millisecond})
	done := make(chan struct{})
	go func() { k.Run(ctx); close(done) }()
	c, err := (&Manager{Store: st2}).Create(ctx, CLI, Spec{Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		if _, s := k.Lookup(c.Key); s == Valid {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a key created by another process never became valid")
		}
	}
	cancel()
	<-done
}

func openBenchStore(b *testing.B) store.Store {
	st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "keys.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// TestKeyringSetConfig: a reloaded configuration replaces the file's keys
// and puts its tenants' limits on the managed keys at once.
func TestKeyringSetConfig(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	cfg := testConfig(t)
	k := NewKeyring(Options{Config: cfg, Store: st})
	m := &Manager{Store: st, Keyring: k}
	c, err := m.Create(ctx, CLI, Spec{Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if id, _ := k.Lookup(c.Key); id.Grant == nil || id.Grant.TenantLimits.TPM != 1000 {
		t.Fatalf("a managed key of acme: grant %+v, want acme's tpm", id.Grant)
	}
	next := testConfig(t)
	next.Auth.Keys = []config.Key{{Key: "ck-new-0123456789", Name: "new", Tenant: "acme"}}
	next.Tenants["acme"].TPM = 5
	k.SetConfig(next)
	if _, s := k.Lookup("ck-acme-0123456789"); s != Unknown {
		t.Errorf("a key removed from the file: %v", s)
	}
	if _, s := k.Lookup("ck-new-0123456789"); s != Valid {
		t.Errorf("a key added to the file: %v", s)
	}
	if id, _ := k.Lookup(c.Key); id.Grant.TenantLimits.TPM != 5 {
		t.Errorf("the managed key's tenant tpm = %d after the reload, want 5", id.Grant.TenantLimits.TPM)
	}
}

// fixed returns a Manager.Config of c.
func fixed(c *config.Config) func() *config.Config { return func() *config.Config { return c } }

// matchStatic finds only the exact key, prefixes and extensions of a key
// being none.
func TestMatchStatic(t *testing.T) {
	keys := []staticKey{
		{key: []byte("a-key"), identity: &Identity{Name: "a"}},
		{key: []byte("b-key"), identity: &Identity{Name: "b"}},
	}
	for key, want := range map[string]string{"a-key": "a", "b-key": "b", "c-key": "", "a-ke": "", "a-keyy": "", "": ""} {
		got := ""
		if s := matchStatic(keys, []byte(key)); s != nil {
			got = s.identity.Name
		}
		if got != want {
			t.Errorf("matchStatic(%q) = %q; want %q", key, got, want)
		}
	}
}

// Tenants names the tenants of the client keys of a name, the file's and
// the managed ones, each once; admin keys are not client keys.
func TestKeyringTenants(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	k := NewKeyring(Options{Config: testConfig(t), Store: st, Now: newClock().Now})
	m := &Manager{Store: st, Config: fixed(testConfig(t))}
	for _, spec := range []Spec{{Name: "acme-web", Tenant: "globex"}, {Name: "acme-web", Tenant: "acme"}, {Name: "bot", Tenant: "acme"},
		{Name: "ops", Tenant: "initech", Role: config.RoleViewer}} {
		if _, err := m.Create(ctx, CLI, spec); err != nil {
			t.Fatal(err)
		}
	}
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string][]string{"acme-web": {"acme", "globex"}, "bot": {"acme"}, "old": {"acme"}, "ops": nil, "nobody": nil} {
		got := k.Tenants(name)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("Tenants(%s) = %v, want %v", name, got, want)
		}
	}
}

// Named finds a working client key by its tenant and name, the file's or
// a managed one, and says why none works: expired or revoked.
func TestKeyringNamed(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	clock := newClock()
	k := NewKeyring(Options{Config: testConfig(t), Store: st, Now: clock.Now})
	m := &Manager{Store: st, Config: fixed(testConfig(t))}
	bot, err := m.Create(ctx, CLI, Spec{Name: "bot", Tenant: "acme"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Create(ctx, CLI, Spec{Name: "ops", Tenant: "acme", Role: config.RoleViewer}); err != nil {
		t.Fatal(err)
	}
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		tenant, name string
		want         Status
	}{
		{"acme", "acme-web", Valid}, {"acme", "bot", Valid}, {"globex", "bot", Unknown}, {"acme", "ops", Unknown}, {"acme", "nobody", Unknown},
	} {
		id, status := k.Named(tt.tenant, tt.name)
		if status != tt.want || (status == Valid) != (id != nil) || (id != nil && (id.Name != tt.name || id.Tenant != tt.tenant)) {
			t.Errorf("Named(%s, %s) = %+v, %v; want %v", tt.tenant, tt.name, id, status, tt.want)
		}
	}
	if id, ok := k.Named("acme", "acme-web"); ok != Valid || id.Grant == nil {
		t.Errorf("the file's key has no grant: %+v", id)
	}
	clock.Advance(48 * time.Hour) // past "old"'s expiry
	if _, status := k.Named("acme", "old"); status != Expired {
		t.Errorf("Named of an expired key: %v", status)
	}
	if _, err := m.Revoke(ctx, CLI, bot.Record.ID); err != nil {
		t.Fatal(err)
	}
	if err := k.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if _, status := k.Named("acme", "bot"); status != Revoked {
		t.Errorf("Named of a revoked key: %v", status)
	}
}
