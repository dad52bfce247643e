package tenant

import (
	"crypto/subtle"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"switchyard/config"
	"switchyard/store"
)

// Identity is who a key identifies: a client (Role empty) or an admin. It
// is immutable, shared by every request made with the key.
type Identity struct {
	// ID is a managed key's id; "" for a key of the configuration file.
	ID string
	// Name labels the key in logs and records (never the key); Tenant
	// owns its requests ("" for an admin key of every tenant).
	Name, Tenant string
	// Role is "" for a client key, else the admin key's role.
	Role config.Role
	// Overrides are the routing overrides a client key may use; nil means
	// every one, empty none.
	Overrides []config.Override
	// Grant is what a client key may ask for and its limits; nil when it
	// restricts nothing (so requests skip every check).
	Grant *Grant
}

// Allows reports whether the identity may use override o.
func (id *Identity) Allows(o config.Override) bool {
	k := config.Key{Overrides: id.Overrides}
	return k.Allows(o)
}

// Status is the outcome of a key lookup.
type Status int

// The lookup outcomes.
const (
	// Unknown: no key matches.
	Unknown Status = iota
	// Valid: the key works; the identity is returned.
	Valid
	// Expired: the key's expiry passed (or its rotation's grace ended).
	Expired
	// Revoked: the key was revoked.
	Revoked
)

// Options configure a Keyring.
type Options struct {
	// Config holds the keys of the file (auth.keys) and the tenants
	// section; nil means none.
	Config *config.Config
	// Store holds the managed keys; nil means there are none.
	Store store.KeyStore
	// Interval is how often Run asks the store whether the keys changed;
	// zero means DefaultInterval.
	Interval time.Duration
	// Logger receives reload failures; nil means slog.Default().
	Logger *slog.Logger
	// Now is the clock expiry is judged by; nil means time.Now.
	Now func() time.Time
}

// DefaultInterval is how often a Keyring polls the store for changes: a
// key created, revoked or rotated by another process (the CLI, another
// router) works, or stops working, within it.
const DefaultInterval = 2 * time.Second

// Keyring looks keys up in memory: the file's keys, compared in constant
// time, and the managed keys by their id then their hash. It is safe for
// concurrent use.
type Keyring struct {
	opts Options
	// file holds the configuration's keys and tenants (SetConfig swaps it).
	file atomic.Pointer[fileKeys]
	// managed is the latest load of the store's keys; nil before the
	// first.
	managed atomic.Pointer[managedSet]
	mu      sync.Mutex // serializes loads
}

// fileKeys are the keys and tenants of one configuration.
type fileKeys struct {
	static  []staticKey // auth.keys
	admins  []staticKey // auth.admin_keys
	tenants map[string]*config.Tenant
}

// staticKey is one key of the configuration file.
type staticKey struct {
	key      []byte
	identity *Identity
	expires  time.Time
}

// managedSet is one load of the store's keys.
type managedSet struct {
	version int64
	byID    map[string]*managedKey
	// clients and admins report whether the store holds any client key,
	// or admin key, in any state: authentication stays on once a managed
	// key exists.
	clients, admins bool
	// records are the rows loaded, for SetConfig to recompile.
	records []*store.KeyRecord
}

// managedKey is one managed key as the keyring checks it.
type managedKey struct {
	hash     []byte
	identity *Identity
	expires  time.Time
	revoked  bool
}

// NewKeyring returns the keyring of opts. It does not read the store:
// call Load (at start) and Run (in the background).
func NewKeyring(opts Options) *Keyring {
	k := &Keyring{opts: opts}
	if k.opts.Interval <= 0 {
		k.opts.Interval = DefaultInterval
	}
	if k.opts.Logger == nil {
		k.opts.Logger = slog.Default()
	}
	if k.opts.Now == nil {
		k.opts.Now = time.Now
	}
	k.file.Store(compileFile(opts.Config))
	return k
}

// compileFile builds the lookups of c's keys and tenants (nil: none).
func compileFile(c *config.Config) *fileKeys {
	f := &fileKeys{}
	if c == nil {
		return f
	}
	f.tenants = c.Tenants
	for i := range c.Auth.Keys {
		ck := &c.Auth.Keys[i]
		name, tenant := ck.Label(i), ck.TenantOf(i)
		id := &Identity{Name: name, Tenant: tenant, Overrides: ck.Overrides,
			Grant: limitedOnly(NewGrant("config:"+name, name, tenant, ck.Access, ck.Limits, c.Tenants[tenant]))}
		f.static = append(f.static, staticKey{key: []byte(ck.Key), identity: id, expires: ck.Expires})
	}
	for i := range c.Auth.AdminKeys {
		ak := &c.Auth.AdminKeys[i]
		role := ak.Role
		if role == "" { // a key built in Go without Validate: its documented default
			role = config.RoleAdmin
		}
		id := &Identity{Name: ak.Label(i), Tenant: ak.Tenant, Role: role}
		f.admins = append(f.admins, staticKey{key: []byte(ak.Key), identity: id})
	}
	return f
}

// SetConfig puts the keys and tenants of c (validated) in force, for a
// configuration reloaded while the router runs: the file's client and
// admin keys are replaced, and the managed keys are held to c's tenants. Requests in
// flight keep the identity they were admitted with.
func (k *Keyring) SetConfig(c *config.Config) {
	k.mu.Lock()
	defer k.mu.Unlock()
	f := compileFile(c)
	k.file.Store(f)
	if cur := k.managed.Load(); cur != nil {
		k.managed.Store(k.recompile(cur, f))
	}
}

// recompile rebuilds a managed set's identities under f's tenants.
func (k *Keyring) recompile(cur *managedSet, f *fileKeys) *managedSet {
	set := &managedSet{version: cur.version, clients: cur.clients, admins: cur.admins, byID: make(map[string]*managedKey, len(cur.byID)), records: cur.records}
	for _, r := range cur.records {
		set.byID[r.ID] = compile(r, f.tenants)
	}
	return set
}

// Enabled reports whether clients need a key: the file lists one, or the
// store holds a managed client key (revoked or not: revoking the last
// key does not open the router).
func (k *Keyring) Enabled() bool {
	if len(k.file.Load().static) > 0 {
		return true
	}
	m := k.managed.Load()
	return m != nil && m.clients
}

// AdminsEnabled reports whether the operational endpoints need an admin
// key: the file lists one, or the store holds a managed admin key
// (revoked or not, as Enabled). Without one they answer loopback clients.
func (k *Keyring) AdminsEnabled() bool {
	if len(k.file.Load().admins) > 0 {
		return true
	}
	m := k.managed.Load()
	return m != nil && m.admins
}

// Tenants returns the tenants of the client keys named name — the file's
// (auth.keys, by their label) and the managed ones, revoked or expired
// included — each once; none when no client key has that name. Budgets
// of scope key count by name, so a name several tenants use mixes their
// amounts.
func (k *Keyring) Tenants(name string) []string {
	var out []string
	add := func(id *Identity) {
		if id.Name == name && id.Role == "" && !slices.Contains(out, id.Tenant) {
			out = append(out, id.Tenant)
		}
	}
	for _, s := range k.file.Load().static {
		add(s.identity)
	}
	if m := k.managed.Load(); m != nil {
		for _, mk := range m.byID {
			add(mk.identity)
		}
	}
	return out
}

// Named returns the identity of a client key of tenant named name that
// works now (neither expired nor revoked): the file's first, then a
// managed one; Unknown when none has that name, else the status of the
// last one found. Batches run their lines with it as the key that
// created them (docs/batches.md): a key revoked meanwhile stops them.
func (k *Keyring) Named(tenant, name string) (*Identity, Status) {
	status := Unknown
	now := k.opts.Now()
	for _, s := range k.file.Load().static {
		if s.identity.Name != name || s.identity.Tenant != tenant {
			continue
		}
		if s.expires.IsZero() || now.Before(s.expires) {
			return s.identity, Valid
		}
		status = Expired
	}
	if m := k.managed.Load(); m != nil {
		for _, mk := range m.byID {
			if mk.identity.Name != name || mk.identity.Tenant != tenant || mk.identity.Role != "" {
				continue
			}
			switch {
			case mk.revoked:
				status = Revoked
			case !mk.expires.IsZero() && !now.Before(mk.expires):
				status = Expired
			default:
				return mk.identity, Valid
			}
		}
	}
	return nil, status
}

// Current returns the identity, as it is now, of the client key that
// authenticated as keyID (a managed key's id; "" for a key of the file),
// tenant and name, and whether that key still works: a managed key by its
// id alone (Revoked, Expired once its expiry or its rotation's grace has
// passed, Unknown once gone), a key of the file by its name and tenant
// (Unknown once the configuration no longer lists it). What outlives one
// request of a key — a Realtime session, the client secrets it minted —
// checks it so, and stops with it.
func (k *Keyring) Current(keyID, tenant, name string) (*Identity, Status) {
	now := k.opts.Now()
	if keyID == "" {
		status := Unknown
		for _, s := range k.file.Load().static {
			if s.identity.Name != name || s.identity.Tenant != tenant {
				continue
			}
			if s.expires.IsZero() || now.Before(s.expires) {
				return s.identity, Valid
			}
			status = Expired
		}
		return nil, status
	}
	var mk *managedKey
	if m := k.managed.Load(); m != nil {
		mk = m.byID[keyID]
	}
	switch {
	case mk == nil || mk.identity.Role != "":
		return nil, Unknown
	case mk.revoked:
		return nil, Revoked
	case !mk.expires.IsZero() && !now.Before(mk.expires):
		return nil, Expired
	}
	return mk.identity, Valid
}

// Lookup returns the identity of a client key: one of the file's
// (auth.keys) or a managed client key. The file's keys are compared with
// every one in constant time; a managed key is found by its id and
// compared by hash in constant time.
func (k *Keyring) Lookup(key string) (*Identity, Status) {
	return k.lookup(key, k.file.Load().static, false)
}

// LookupAdmin returns the identity of an admin key: one of the file's
// (auth.admin_keys) or a managed admin key, compared as in Lookup.
func (k *Keyring) LookupAdmin(key string) (*Identity, Status) {
	return k.lookup(key, k.file.Load().admins, true)
}

func (k *Keyring) lookup(key string, static []staticKey, admin bool) (*Identity, Status) {
	if s := matchStatic(static, []byte(key)); s != nil {
		if !s.expires.IsZero() && !k.opts.Now().Before(s.expires) {
			return nil, Expired
		}
		return s.identity, Valid
	}
	id, ok := ParseKey(key)
	m := k.managed.Load()
	if !ok || m == nil {
		return nil, Unknown
	}
	mk := m.byID[id]
	if mk == nil || subtle.ConstantTimeCompare(Hash(key), mk.hash) != 1 || (mk.identity.Role != "") != admin {
		return nil, Unknown
	}
	switch {
	case mk.revoked:
		return nil, Revoked
	case !mk.expires.IsZero() && !k.opts.Now().Before(mk.expires):
		return nil, Expired
	}
	return mk.identity, Valid
}

// matchStatic returns the first of keys equal to key, or nil. It compares
// key with every one in constant time, so the time taken says nothing of
// which key matched, or how closely.
func matchStatic(keys []staticKey, key []byte) *staticKey {
	found := -1
	for i := range keys {
		if subtle.ConstantTimeCompare(key, keys[i].key) == 1 && found < 0 {
			found = i
		}
	}
	if found < 0 {
		return nil
	}
	return &keys[found]
}
