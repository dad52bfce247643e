package server

import (
	"context"
	"log/slog"

	"switchyard/audit"
	"switchyard/config"
	"switchyard/gateway"
	"switchyard/learn/bandit"
	"switchyard/reload"
	"switchyard/tenant"
)

// startAdmin builds what guards the router's own configuration: the audit
// trail (and its pruner), the key manager, and, when the configuration
// came from a file, the reloader, which it starts.
func (r *Router) startAdmin(cfg *config.Config, opts RouterOptions, keyring *tenant.Keyring, learned func() *bandit.Snapshot, log *slog.Logger) error {
	reg := r.Registry
	r.Audit = audit.New(auditLog(opts.Store), audit.Options{Logger: log, Registerer: reg})
	if opts.Store != nil {
		r.pruner = audit.NewPruner(opts.Store, r.retention, audit.PrunerOptions{Logger: log, Registerer: reg})
	}
	r.Keys = &tenant.Manager{Store: keyStore(opts.Store), Keyring: keyring, Auditor: r.Audit, Logger: log,
		Config: func() *config.Config { return r.gens.cur.Load().cfg }}
	if opts.File == nil {
		return nil
	}
	r.Config = reload.New(reload.Options{Path: cfg.File(), Getenv: opts.Getenv, History: history(opts.Store), Trail: r.Audit,
		Logger: log, Check: func(c *config.Config) error { _, err := gateway.LoadLearned(c); return err },
		Prepare: r.prepare, Requests: opts.Store, Learned: learned, Replica: opts.Replica, Registerer: reg,
		StoreTimeouts: storeTimeouts(cfg)})
	_, err := r.Config.Start(context.Background(), opts.File)
	return err
}
