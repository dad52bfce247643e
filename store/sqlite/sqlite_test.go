package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/seal"
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

// TestNewerSchemaRefused: a binary does not write to a database migrated
// by a newer one.
func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	open(t, path).Close()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("INSERT INTO schema_migrations VALUES (99, 'future', 0)"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := sqlite.Open(context.Background(), path); err == nil || !strings.Contains(err.Error(), "newer") {
		t.Errorf("Open = %v, want the newer schema refused", err)
		if s != nil {
			s.Close()
		}
	}
}

// TestUpgradeFromVersion1: a database of the first schema gains the bodies
// column and keeps its rows.
func TestUpgradeFromVersion1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	v1, err := os.ReadFile("migrations/0001_requests.sql")
	if err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.Exec(q); return err }
	storetest.RunUpgrade(t, string(v1), exec, func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}

// TestUpgradeFromPlaceholder: a database whose migration 6 was the
// placeholder gains the keys table.
func TestUpgradeFromPlaceholder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	exec := func(q string) error {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(q)
		return err
	}
	storetest.RunPlaceholderUpgrade(t, exec, func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}

// TestResponsesUpgrade: stored responses of migration 11 (each its whole
// conversation) keep working as chains of one.
func TestResponsesUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.Exec(q); return err }
	storetest.RunResponsesUpgrade(t, migrationsUpTo(t, storetest.ResponsesSchemaVersion), exec, storetest.HexBlob,
		func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}

// TestChatIndexUpgrade: the stored chat completions of migration 19 (no
// metadata index) are found by a metadata filter once migrated.
func TestChatIndexUpgrade(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.Exec(q); return err }
	storetest.RunChatIndexUpgrade(t, migrationsUpTo(t, storetest.ChatIndexSchemaVersion), exec, storetest.HexBlob,
		func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}

// TestBatchBackfill: the rows of batch lines written before migration
// 25 get their batch from migration 26.
func TestBatchBackfill(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error { _, err := db.Exec(q); return err }
	storetest.RunBatchBackfill(t, exec, func() (store.Store, error) { return sqlite.Open(context.Background(), path) })
}

// migrationsUpTo returns the SQL of the migrations 1 to v.
func migrationsUpTo(t *testing.T, v int) []string {
	t.Helper()
	names, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(names) < v {
		t.Fatalf("migrations: %v, %v", names, err)
	}
	out := make([]string, v)
	for i := range out {
		b, err := os.ReadFile(names[i])
		if err != nil {
			t.Fatal(err)
		}
		out[i] = string(b)
	}
	return out
}

// TestSealed: the stored content sealed at rest (responses.encryption),
// the raw columns read with plain SQL on the file.
func TestSealed(t *testing.T) {
	storetest.RunSealed(t, func(t *testing.T) storetest.SealedDB {
		path := filepath.Join(t.TempDir(), "switchyard.db")
		raw := func(t *testing.T) *sql.DB {
			db, err := sql.Open("sqlite", path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		return storetest.SealedDB{
			Open: func(t *testing.T, keys *seal.Keys) store.Store {
				s := open(t, path)
				s.(store.ContentSealer).SealWith(keys)
				return s
			},
			Bytes: func(t *testing.T, q string) [][]byte {
				rows, err := raw(t).Query(q)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				defer rows.Close()
				var out [][]byte
				for rows.Next() {
					var v []byte
					if err := rows.Scan(&v); err != nil {
						t.Fatal(err)
					}
					out = append(out, v)
				}
				return out
			},
			Exec: func(t *testing.T, q string) {
				if _, err := raw(t).Exec(q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			},
		}
	})
}

// TestWriteAfterContextEnds: a write whose context has ended writes
// nothing and says why.
func TestWriteAfterContextEnds(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "switchyard.db"))
	defer s.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := s.Write(ctx, []*store.Request{storetest.Sample(1), storetest.Sample(2)}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Write on an ended context = %v, want context.Canceled", err)
	}
	page, err := s.List(context.Background(), store.AllTenants(), store.Filter{})
	if err != nil || len(page.Requests) != 0 {
		t.Fatalf("List after the refused write = %d rows, %v; want none", len(page.Requests), err)
	}
}
