package storetest

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// PostgresDSNs are the servers FreshPostgres tries, in order:
// $SWITCHYARD_TEST_POSTGRES, or the CI server on loopback as root, then
// as postgres.
func PostgresDSNs() []string {
	if dsn := os.Getenv("SWITCHYARD_TEST_POSTGRES"); dsn != "" {
		return []string{dsn}
	}
	return []string{
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	}
}

// FreshPostgres creates an empty schema for one test, dropped at its end,
// and returns a DSN whose search_path is that schema, for tests outside
// store/ that need a PostgreSQL store. Without a server the test fails:
// CI always has one.
func FreshPostgres(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	var (
		conn *pgx.Conn
		base string
		errs []error
	)
	for _, dsn := range PostgresDSNs() {
		c, err := pgx.Connect(ctx, dsn)
		if err == nil {
			conn, base = c, dsn
			break
		}
		errs = append(errs, err)
	}
	if conn == nil {
		t.Fatalf("PostgreSQL is needed at 127.0.0.1:5432 (database test, trust auth) or $SWITCHYARD_TEST_POSTGRES (errors: %v)", errs)
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
	return u.String()
}
