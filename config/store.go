package config

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
)

// This file holds the store section: where the request log is kept. It is
// decoded by (*decoder).store and checked by (*validator).store.

// Store configures the request log (package store). Zero fields take the
// defaults noted (the DefaultStore* constants), filled in by Validate.
type Store struct {
	// Driver is StoreSQLite (the default), StorePostgres or StoreNone (no
	// request log).
	Driver string
	// Path is the SQLite file (switchyard.db); only for StoreSQLite.
	Path string
	// DSN is the PostgreSQL connection string, a postgres:// URL or
	// key=value pairs; required for StorePostgres and only for it. It may
	// hold a password and never appears in errors.
	DSN string
	// Retention is how long rows are kept (720h, 30 days).
	Retention time.Duration
	// QueueSize (10000) bounds the rows waiting to be written; BatchSize
	// (500) is the most rows written at once, at most QueueSize.
	QueueSize, BatchSize int
	// Bodies is what is kept of request and response bodies:
	// StoreBodiesNone (the default) or StoreBodiesRedacted.
	Bodies string
}

// The store drivers and body policies.
const (
	StoreSQLite   = "sqlite"
	StorePostgres = "postgres"
	StoreNone     = "none"

	StoreBodiesNone     = "none"
	StoreBodiesRedacted = "redacted"
)

// Defaults of the store section.
const (
	DefaultStoreDriver    = StoreSQLite
	DefaultStorePath      = "switchyard.db"
	DefaultStoreRetention = 30 * 24 * time.Hour
	DefaultStoreQueueSize = 10000
	DefaultStoreBatchSize = 500
	DefaultStoreBodies    = StoreBodiesNone
)

var (
	storeDrivers = []string{StoreSQLite, StorePostgres, StoreNone}
	storeBodies  = []string{StoreBodiesNone, StoreBodiesRedacted}
)

// Enabled reports whether a request log is kept.
func (s *Store) Enabled() bool { return s.Driver != StoreNone }

func (s *Store) applyDefaults() {
	if s.Driver == "" {
		s.Driver = DefaultStoreDriver
	}
	if s.Driver == StoreSQLite && s.Path == "" {
		s.Path = DefaultStorePath
	}
	orDuration(&s.Retention, DefaultStoreRetention)
	orInt(&s.QueueSize, DefaultStoreQueueSize)
	orInt(&s.BatchSize, DefaultStoreBatchSize)
	if s.Bodies == "" {
		s.Bodies = DefaultStoreBodies
	}
}

func (d *decoder) store(e entry, s *Store) {
	d.object(e.node, e.path, []field{
		{"driver", func(e entry) { d.str(e, &s.Driver) }},
		{"path", func(e entry) { d.str(e, &s.Path) }},
		{"dsn", func(e entry) { d.str(e, &s.DSN) }},
		{"retention", func(e entry) { d.duration(e, &s.Retention, true) }},
		{"queue_size", func(e entry) { d.count(e, &s.QueueSize, "rows waiting to be written, e.g. 10000") }},
		{"batch_size", func(e entry) { d.count(e, &s.BatchSize, "rows written at once, e.g. 500") }},
		{"bodies", func(e entry) { d.str(e, &s.Bodies) }},
	})
}

// store applies the store section's defaults and checks it.
func (v *validator) store() {
	const path = "store"
	s := &v.c.Store
	s.applyDefaults()
	if !slices.Contains(storeDrivers, s.Driver) {
		v.add(path+".driver", fmt.Sprintf("unknown driver %q", s.Driver), choices(s.Driver, "valid drivers", storeDrivers))
	}
	switch {
	case s.Driver == StorePostgres && s.DSN == "":
		v.add(path+".dsn", "is required with driver postgres",
			`e.g. dsn: "postgres://switchyard@db.internal:5432/switchyard?sslmode=require" or dsn: ${SWITCHYARD_PG_DSN}`)
	case s.Driver == StorePostgres:
		v.check(path+".dsn", checkDSN(s.DSN), `a postgres:// URL or key=value pairs, e.g. "host=db user=switchyard dbname=switchyard"`)
	case s.DSN != "":
		v.add(path+".dsn", "is only for driver postgres", "remove it, or set driver: postgres")
	}
	if s.Driver != StoreSQLite && s.Path != "" {
		v.add(path+".path", "is only for driver sqlite", "remove it, or set driver: sqlite")
	}
	v.positive(path+".retention", s.Retention, `how long rows are kept, e.g. "720h" (30 days)`)
	v.check(path+".queue_size", checkCount(s.QueueSize), "rows waiting to be written, e.g. 10000")
	v.check(path+".batch_size", checkCount(s.BatchSize), "rows written at once, e.g. 500")
	if s.BatchSize > s.QueueSize && s.QueueSize >= 1 {
		v.add(path+".batch_size", fmt.Sprintf("%d exceeds queue_size %d", s.BatchSize, s.QueueSize),
			"a batch is taken from the queue; lower batch_size or raise queue_size")
	}
	if !slices.Contains(storeBodies, s.Bodies) {
		v.add(path+".bodies", fmt.Sprintf("unknown value %q", s.Bodies), choices(s.Bodies, "valid values", storeBodies))
	}
}

// checkDSN returns the problem with a PostgreSQL connection string, or "".
// The problem never quotes the string, which may hold a password.
func checkDSN(dsn string) string {
	if strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://") {
		u, err := url.Parse(dsn)
		if err != nil || u.Host == "" && u.Query().Get("host") == "" {
			return "is not a valid postgres:// URL (no host, or a character that needs escaping)"
		}
		return ""
	}
	if !strings.Contains(dsn, "=") {
		return "is neither a postgres:// URL nor key=value pairs"
	}
	return ""
}
