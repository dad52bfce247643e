package config

import (
	"fmt"
	"net/url"
	"regexp"
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
	// Timeout (5s) bounds each read or write of the store a client's
	// request waits for; AggregateTimeout (20s), at least Timeout, the
	// admin API's aggregates over a range of the request log (package
	// store's Timeouts). Built once, at start: a reload changing them is
	// refused, like the rest of the section.
	Timeout, AggregateTimeout time.Duration
	// QueueSize (10000) bounds the rows waiting to be written; BatchSize
	// (500) is the most rows written at once, at most QueueSize.
	QueueSize, BatchSize int
	// Bodies is what is kept of request and response bodies:
	// StoreBodiesNone (the default) or StoreBodiesRedacted.
	Bodies string
	// RedactPatterns are kinds of text of the deployment's own (employee
	// ids, ticket numbers) masked in stored bodies besides the built-in
	// kinds, each under its name. Only with StoreBodiesRedacted; nil for
	// none.
	RedactPatterns []RedactPattern
}

// RedactPattern is a custom kind of text masked in stored bodies: every
// match of Pattern becomes "[REDACTED:" + Name + "]" (guard.Pattern).
type RedactPattern struct {
	// Name names the placeholder: 1 to 32 lower-case letters, digits and
	// '_', starting with a letter; unique among the patterns.
	Name string
	// Pattern is a regular expression in Go's RE2 syntax (`EMP-\d{6}`),
	// which must not match the empty string.
	Pattern string
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
	// DefaultStoreTimeout and DefaultStoreAggregateTimeout are
	// store.DefaultTimeout and store.DefaultAggregateTimeout (a server
	// test checks they agree; config imports no store).
	DefaultStoreTimeout          = 5 * time.Second
	DefaultStoreAggregateTimeout = 20 * time.Second
	DefaultStoreQueueSize        = 10000
	DefaultStoreBatchSize        = 500
	DefaultStoreBodies           = StoreBodiesNone
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
	orDuration(&s.Timeout, DefaultStoreTimeout)
	orDuration(&s.AggregateTimeout, DefaultStoreAggregateTimeout)
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
		{"dsn", func(e entry) { d.secretStr(e, "", &s.DSN) }},
		{"retention", func(e entry) { d.duration(e, &s.Retention, true) }},
		{"timeout", func(e entry) { d.duration(e, &s.Timeout, true) }},
		{"aggregate_timeout", func(e entry) { d.duration(e, &s.AggregateTimeout, true) }},
		{"queue_size", func(e entry) { d.count(e, &s.QueueSize, "rows waiting to be written, e.g. 10000") }},
		{"batch_size", func(e entry) { d.count(e, &s.BatchSize, "rows written at once, e.g. 500") }},
		{"bodies", func(e entry) { d.str(e, &s.Bodies) }},
		{"redact_patterns", func(e entry) { s.RedactPatterns = d.redactPatterns(e) }},
	})
}

// redactPatterns decodes store.redact_patterns, a list of {name, pattern}.
func (d *decoder) redactPatterns(e entry) []RedactPattern {
	els := d.list(e, `[{name: employee_id, pattern: 'EMP-\d{6}'}]`)
	if len(els) == 0 {
		return nil
	}
	out := make([]RedactPattern, len(els))
	for i, el := range els {
		p := &out[i]
		d.object(el.node, el.path, []field{
			{"name", func(e entry) { d.str(e, &p.Name) }},
			{"pattern", func(e entry) { d.str(e, &p.Pattern) }},
		})
	}
	return out
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
	v.storeTimeouts(path, s)
	v.check(path+".queue_size", checkCount(s.QueueSize), "rows waiting to be written, e.g. 10000")
	v.check(path+".batch_size", checkCount(s.BatchSize), "rows written at once, e.g. 500")
	if s.BatchSize > s.QueueSize && s.QueueSize >= 1 {
		v.add(path+".batch_size", fmt.Sprintf("%d exceeds queue_size %d", s.BatchSize, s.QueueSize),
			"a batch is taken from the queue; lower batch_size or raise queue_size")
	}
	if !slices.Contains(storeBodies, s.Bodies) {
		v.add(path+".bodies", fmt.Sprintf("unknown value %q", s.Bodies), choices(s.Bodies, "valid values", storeBodies))
	}
	v.redactPatterns(path+".redact_patterns", s)
}

// storeTimeouts checks store.timeout and store.aggregate_timeout: both
// positive, the aggregates' bound at least each read's.
func (v *validator) storeTimeouts(path string, s *Store) {
	v.positive(path+".timeout", s.Timeout, `how long a request waits for each read or write of the store, e.g. "5s"`)
	v.positive(path+".aggregate_timeout", s.AggregateTimeout, `how long the admin API's report and statistics wait for the store, e.g. "20s"`)
	if s.Timeout > 0 && s.AggregateTimeout > 0 && s.AggregateTimeout < s.Timeout {
		v.add(path+".aggregate_timeout", fmt.Sprintf("%s is shorter than store.timeout %s", s.AggregateTimeout, s.Timeout),
			"an aggregate over a range reads more than one request does; raise aggregate_timeout to at least timeout")
	}
}

// redactNameRE is what a redact pattern's name may be: what a placeholder
// holds (guard.Pattern checks the same).
var redactNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// redactPatterns checks store.redact_patterns: each name valid and unique,
// each pattern a regular expression that does not match the empty string.
func (v *validator) redactPatterns(path string, s *Store) {
	if len(s.RedactPatterns) > 0 && s.Bodies != StoreBodiesRedacted {
		v.add(path, "has no effect: bodies are not stored", "set bodies: redacted, or remove redact_patterns")
	}
	seen := map[string]bool{}
	for i, p := range s.RedactPatterns {
		at := fmt.Sprintf("%s[%d]", path, i)
		switch {
		case !redactNameRE.MatchString(p.Name):
			v.add(at+".name", fmt.Sprintf("%q is not a valid name", p.Name),
				"1 to 32 lower-case letters, digits and _, starting with a letter; it names the placeholder, e.g. employee_id → [REDACTED:employee_id]")
		case seen[p.Name]:
			v.add(at+".name", fmt.Sprintf("%q is used by another pattern", p.Name), "give each pattern its own name")
		}
		seen[p.Name] = true
		v.check(at+".pattern", checkRedactPattern(p.Pattern),
			`a Go (RE2) regular expression, e.g. 'EMP-\d{6}'; quote it in single quotes so YAML keeps the backslashes`)
	}
}

// checkRedactPattern returns the problem with a redact pattern, or "".
func checkRedactPattern(expr string) string {
	if expr == "" {
		return "is empty"
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return "is not a valid regular expression: " + strings.TrimPrefix(err.Error(), "error parsing regexp: ")
	}
	if re.MatchString("") {
		return fmt.Sprintf("%q matches the empty string", expr)
	}
	return ""
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
