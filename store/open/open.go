// Package open opens the request store a configuration names: the
// store section's driver picks store/sqlite or store/postgres.
package open

import (
	"context"
	"fmt"
	"path/filepath"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/sqlite"
)

// Open opens (creating and migrating it if needed) the store c names, which
// must have passed config validation: the SQLite file at c.Path, or the
// PostgreSQL database at c.DSN. It returns nil and no error for driver
// none. The caller closes the store. Errors never include the DSN.
func Open(ctx context.Context, c *config.Store) (store.Store, error) {
	switch c.Driver {
	case config.StoreNone:
		return nil, nil
	case config.StoreSQLite, "":
		path := c.Path
		if path == "" {
			path = config.DefaultStorePath
		}
		return sqlite.Open(ctx, path)
	case config.StorePostgres:
		return postgres.Open(ctx, c.DSN)
	}
	return nil, fmt.Errorf("store: unknown driver %q (sqlite, postgres or none)", c.Driver)
}

// WriterConfig returns the writer settings of c: its queue and batch
// sizes and its retention. The caller adds the logger and the metrics
// registry.
func WriterConfig(c *config.Store) store.WriterConfig {
	return store.WriterConfig{QueueSize: c.QueueSize, BatchSize: c.BatchSize, Retention: c.Retention}
}

// Describe says where c records requests, for a banner or a log line; it
// never shows the DSN, which may hold a password.
func Describe(c *config.Store) string {
	switch c.Driver {
	case config.StoreNone:
		return "not recorded (store.driver: none)"
	case config.StorePostgres:
		return "recorded to PostgreSQL (store.dsn)" + bodiesNote(c)
	}
	path := c.Path
	if path == "" {
		path = config.DefaultStorePath
	}
	if abs, err := filepath.Abs(path); err == nil {
		path = abs
	}
	return "recorded to " + path + " (SQLite)" + bodiesNote(c)
}

func bodiesNote(c *config.Store) string {
	if c.Bodies == config.StoreBodiesRedacted {
		return ", with redacted prompts and answers"
	}
	return ", without prompts or answers"
}
