package postgres_test

import (
	"context"
	"crypto/rand"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testDSNs are the servers tried, in order: $SWITCHYARD_TEST_POSTGRES, or
// the CI server on loopback as root, then as postgres.
func testDSNs() []string {
	if dsn := os.Getenv("SWITCHYARD_TEST_POSTGRES"); dsn != "" {
		return []string{dsn}
	}
	return []string{
		"postgres://root@127.0.0.1:5432/test?sslmode=disable",
		"postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
	}
}

// freshSchema creates an empty schema for one test, dropped at its end,
// and returns a DSN whose search_path is that schema. Without a server
// the test fails: CI always has one (.ci/run starts it).
func freshSchema(t testing.TB) string {
	t.Helper()
	ctx := context.Background()
	var (
		conn *pgx.Conn
		base string
		errs []error
	)
	for _, dsn := range testDSNs() {
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

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		db, err := postgres.Open(context.Background(), freshSchema(t))
		if err != nil {
			t.Fatalf("Open: %v", err)
		}
		return db
	})
}

func TestMigrations(t *testing.T) {
	dsn := freshSchema(t)
	storetest.RunMigrations(t, func() (store.Store, error) { return postgres.Open(context.Background(), dsn) })
}

func TestOpenHidesPassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:hunter2@127.0.0.1:5432/x?sslmode=bogus")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open(bad dsn) error = %v; want an error without the password", err)
	}
}
