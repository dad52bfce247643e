// Package pgtest gives tests a PostgreSQL database of their own: a fresh
// schema on the test server, dropped when the test ends.
package pgtest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// DSNs are the servers tried, in order: $SWITCHYARD_TEST_POSTGRES, or the
// CI server on loopback as root, then as postgres.
func DSNs() []string {
	if dsn := os.Getenv("SWITCHYARD_TEST_POSTGRES"); dsn != "" {
		return []string{dsn}
	}
	return []string{
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	}
}

// Schema is a test's own schema.
type Schema struct {
	// DSN connects with the schema as search_path.
	DSN string
	// Name is the schema's name.
	Name string
	// Conn is a connection to the server (search_path not set), closed at
	// the end of the test.
	Conn *pgx.Conn
}

// FreshSchema creates an empty schema for one test, dropped at its end,
// and returns a DSN whose search_path is that schema. Without a server
// the test fails: CI always has one (.ci/run starts it).
func FreshSchema(t testing.TB) string { return NewSchema(t).DSN }

// NewSchema is FreshSchema returning the schema's name and a connection
// too.
func NewSchema(t testing.TB) *Schema {
	t.Helper()
	ctx := context.Background()
	var (
		conn *pgx.Conn
		base string
		errs []error
	)
	for _, dsn := range DSNs() {
		c, err := pgx.Connect(ctx, dsn)
		if err == nil {
			conn, base = c, dsn
			break
		}
		errs = append(errs, err)
	}
	if conn == nil {
		t.Fatalf("PostgreSQL is needed at 127.0.0.1:5432 (database test, trust auth) or $SWITCHYARD_TEST_POSTGRES; "+
			"start it with: pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start (errors: %v)", errs)
	}
	schema := "storetest_" + strings.ToLower(rand.Text()[:12])
	if _, err := conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize()); err != nil {
		conn.Close(ctx)
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("test DSN: %v", err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return &Schema{DSN: u.String(), Name: schema, Conn: conn}
}
