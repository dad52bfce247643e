package server

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"switchyard/config"
	"switchyard/store"
	"switchyard/tenant"
)

// This file holds the router's keys: one keyring for the file's keys (of
// the configuration serving, which each generation applied replaces) and
// the managed ones (reloaded from the store in the background); and the
// router's other background work on the store.

// openKeyring builds the keyring of cfg's keys and the store's managed
// ones, loaded once: a store that cannot list its keys fails the start,
// rather than run without them (and perhaps without authentication).
func openKeyring(cfg *config.Config, opts RouterOptions, log *slog.Logger) (*tenant.Keyring, error) {
	k := tenant.NewKeyring(tenant.Options{Config: cfg, Store: keyStore(opts.Store), Interval: opts.KeysInterval, Logger: log})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := k.Load(ctx); err != nil {
		return nil, fmt.Errorf("managed keys: %w", err)
	}
	return k, nil
}

// keyStore returns st's managed keys; nil without a store.
func keyStore(st store.Store) store.KeyStore {
	if st == nil {
		return nil
	}
	return st
}

// runBackground starts the keyring's reloads of the managed keys, the
// audit trail's retention (with a store), the notifier (with a webhook) and, for a router with its file
// and a store, the following of the configuration versions other routers
// sharing the store apply (reload.Manager.Follow); Close ends them.
func (r *Router) runBackground(opts RouterOptions) {
	ctx, stop := context.WithCancel(context.Background())
	r.stopKeys, r.bgDone = stop, make(chan struct{})
	follow := r.Config != nil && opts.Store != nil && opts.ConfigInterval >= 0
	var wg sync.WaitGroup
	wg.Go(func() { r.Keyring.Run(ctx) })
	if follow {
		wg.Go(func() { r.Config.Follow(ctx, opts.ConfigInterval) })
	}
	if r.pruner != nil {
		wg.Go(func() { r.pruner.Run(ctx, 0) })
	}
	if r.notify != nil {
		r.notify.savings = r.savingsPolicy
		wg.Go(func() { r.notify.run(ctx) })
	}
	go func() {
		wg.Wait()
		close(r.bgDone)
	}()
}
