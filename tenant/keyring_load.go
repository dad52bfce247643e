package tenant

import (
	"context"
	"fmt"

	"switchyard/config"
	"switchyard/internal/periodic"
	"switchyard/store"
)

// Loading the managed keys from the store, and keeping them fresh.

// Load reads the managed keys from the store when they changed since the
// last load (one cheap query otherwise). Without a store it does nothing.
func (k *Keyring) Load(ctx context.Context) error {
	if k.opts.Store == nil {
		return nil
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	v, err := k.opts.Store.KeysVersion(ctx)
	if err != nil {
		return fmt.Errorf("tenant: keys version: %w", err)
	}
	if cur := k.managed.Load(); cur != nil && cur.version == v {
		return nil
	}
	recs, err := k.opts.Store.ListKeys(ctx, store.AllTenants())
	if err != nil {
		return fmt.Errorf("tenant: load keys: %w", err)
	}
	set := &managedSet{version: v, byID: make(map[string]*managedKey, len(recs)), records: recs}
	tenants := k.file.Load().tenants
	for _, r := range recs {
		set.byID[r.ID] = compile(r, tenants)
		set.clients = set.clients || r.Role == ""
		set.admins = set.admins || r.Role != ""
	}
	k.managed.Store(set)
	return nil
}

// compile turns a stored key into what lookups check, under tenants'
// limits.
func compile(r *store.KeyRecord, tenants map[string]*config.Tenant) *managedKey {
	id := &Identity{ID: r.ID, Name: r.Name, Tenant: r.Tenant, Role: config.Role(r.Role)}
	if id.Name == "" {
		id.Name = r.ID
	}
	if id.Role == "" {
		if r.Overrides != nil {
			id.Overrides = make([]config.Override, len(r.Overrides))
			for i, o := range r.Overrides {
				id.Overrides[i] = config.Override(o)
			}
		}
		limits := config.Limits{RPM: r.RPM, TPM: r.TPM, MaxConcurrent: int(r.MaxConcurrent)}
		access := config.Access{Routes: r.Routes, Deployments: r.Deployments}
		id.Grant = limitedOnly(NewGrant(r.ID, id.Name, r.Tenant, access, limits, tenants[r.Tenant]))
	}
	return &managedKey{hash: r.Hash, identity: id, expires: r.Expires, revoked: !r.Revoked.IsZero()}
}

// Run reloads the managed keys every Interval until ctx ends, logging
// (not returning) failures: the keys last loaded keep working meanwhile.
func (k *Keyring) Run(ctx context.Context) {
	if k.opts.Store == nil {
		return
	}
	periodic.Run(ctx, k.opts.Interval, k.Load,
		func(err error) {
			k.opts.Logger.Warn("managed keys not reloaded; the keys last loaded stay in force", "err", err)
		},
		func() { k.opts.Logger.Info("managed keys reloaded again") })
}

// limitedOnly returns g, or nil when g restricts nothing.
func limitedOnly(g *Grant) *Grant {
	if !g.Limited() {
		return nil
	}
	return g
}
