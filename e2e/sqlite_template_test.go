package e2e

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"switchyard/store/sqlite"
)

// sqliteTemplate is an empty request store with every migration applied,
// made once per test process: the files of its database, by suffix ("",
// "-wal", "-shm"). Hundreds of tests each open a fresh SQLite store, and
// under -race each migration run cost about 50 ms of CPU (SQLite parses
// its schema again after every DDL statement, in Go with checkptr on):
// 6% of the package's CPU. The migrations themselves are tested in
// store/sqlite; here a fresh store is a copy of the template, which
// sqlite.Open finds up to date.
var sqliteTemplate = sync.OnceValues(func() (map[string][]byte, error) {
	dir, err := os.MkdirTemp("", "switchyard-e2e-sqlite-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "switchyard.db")
	st, err := sqlite.Open(context.Background(), path)
	if err != nil {
		return nil, err
	}
	if err := st.Close(); err != nil {
		return nil, err
	}
	files := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(path + suffix)
		if os.IsNotExist(err) && suffix != "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		files[suffix] = b
	}
	return files, nil
})

// freshSQLitePath returns the path of a new, migrated, empty SQLite
// request store in t's temporary directory, for sqlite.Open.
func freshSQLitePath(t *testing.T) string {
	t.Helper()
	files, err := sqliteTemplate()
	if err != nil {
		t.Fatalf("the SQLite template store: %v", err)
	}
	path := filepath.Join(t.TempDir(), "switchyard.db")
	for suffix, b := range files {
		if err := os.WriteFile(path+suffix, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return path
}
