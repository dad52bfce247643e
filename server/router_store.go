package server

import (
	"switchyard/config"
	"switchyard/store"
)

// auditLog is where the audit trail is kept: the store, or memory.
func auditLog(st store.Store) store.AuditLog {
	if st == nil {
		return new(store.Memory)
	}
	return st
}

// history is where the configuration versions are kept: the store, or
// memory.
func history(st store.Store) store.ConfigHistory {
	if st == nil {
		return new(store.Memory)
	}
	return st
}

// storeTimeouts are the bounds of the store calls a client's request
// waits for (store.timeout, store.aggregate_timeout).
func storeTimeouts(cfg *config.Config) store.Timeouts {
	return store.Timeouts{Request: cfg.Store.Timeout, Aggregate: cfg.Store.AggregateTimeout}
}
