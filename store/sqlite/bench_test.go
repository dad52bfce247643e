package sqlite_test

import (
	"path/filepath"
	"testing"

	"switchyard/store/storetest"
)

// BenchmarkWriteSQLite: go test ./store/sqlite/ -run '^$' -bench WriteSQLite -benchtime 200000x
func BenchmarkWriteSQLite(b *testing.B) {
	s := openB(b, filepath.Join(b.TempDir(), "bench.db"))
	defer s.Close()
	storetest.BenchmarkWriter(b, s)
}
