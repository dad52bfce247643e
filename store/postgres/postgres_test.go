package postgres_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// freshSchema is a fresh schema on the test server (see pgtest).
func freshSchema(t testing.TB) string { return pgtest.FreshSchema(t) }

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

// TestUpgradeFromVersion1: a database of the first schema gains the bodies
// column and keeps its rows.
func TestUpgradeFromVersion1(t *testing.T) {
	sc := pgtest.NewSchema(t)
	v1, err := os.ReadFile("migrations/0001_requests.sql")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	exec := func(q string) error {
		_, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()+"; "+q)
		return err
	}
	storetest.RunUpgrade(t, string(v1), exec, func() (store.Store, error) { return postgres.Open(ctx, sc.DSN) })
}

func TestOpenHidesPassword(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:hunter2@127.0.0.1:5432/x?sslmode=bogus")
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("Open(bad dsn) error = %v; want an error without the password", err)
	}
}
