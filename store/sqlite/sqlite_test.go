package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"

	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func open(t *testing.T, path string) store.Store { return openB(t, path) }

func openB(t testing.TB, path string) store.Store {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	return db
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "switchyard.db"))
	})
}

func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	storetest.RunMigrations(t, func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}
