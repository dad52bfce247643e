package open_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/open"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOpen(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "log.db")
	cases := []struct {
		name string
		c    config.Store
		want string // the concrete type
	}{
		{"sqlite", config.Store{Driver: config.StoreSQLite, Path: path}, "*sqlite.DB"},
		{"postgres", config.Store{Driver: config.StorePostgres, DSN: pgtest.FreshSchema(t)}, "*postgres.DB"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, err := open.Open(ctx, &tc.c)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if got := fmt.Sprintf("%T", s); got != tc.want {
				t.Fatalf("Open = %s, want %s", got, tc.want)
			}
			if err := s.Write(ctx, []*store.Request{storetest.Sample(1)}); err != nil {
				t.Fatalf("the opened store is not migrated: %v", err)
			}
		})
	}
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the SQLite file was not created: %v", err)
	}
	if s, err := open.Open(ctx, &config.Store{Driver: config.StoreNone}); s != nil || err != nil {
		t.Errorf("driver none: %v, %v; want nil, nil", s, err)
	}
	if _, err := open.Open(ctx, &config.Store{Driver: "mysql"}); err == nil {
		t.Error("an unknown driver opened")
	}
	_, err := open.Open(ctx, &config.Store{Driver: config.StorePostgres, DSN: "postgres://u:hunter2@127.0.0.1:1/x?sslmode=disable&connect_timeout=1"})
	if err == nil || strings.Contains(err.Error(), "hunter2") {
		t.Errorf("postgres down: %v; want an error without the password", err)
	}
}

func TestWriterConfigAndDescribe(t *testing.T) {
	c := config.Store{Driver: config.StorePostgres, DSN: "postgres://u:hunter2@db/x", QueueSize: 7, BatchSize: 3, Retention: time.Hour, Bodies: config.StoreBodiesRedacted}
	if w := open.WriterConfig(&c); w.QueueSize != 7 || w.BatchSize != 3 || w.Retention != time.Hour {
		t.Errorf("WriterConfig = %+v", w)
	}
	if d := open.Describe(&c); strings.Contains(d, "hunter2") || !strings.Contains(d, "PostgreSQL") || !strings.Contains(d, "redacted") {
		t.Errorf("Describe(postgres) = %q", d)
	}
	abs, _ := filepath.Abs("switchyard.db")
	if d := open.Describe(&config.Store{Driver: config.StoreSQLite}); !strings.Contains(d, abs) || !strings.Contains(d, "without prompts") {
		t.Errorf("Describe(sqlite default) = %q, want the absolute path %s", d, abs)
	}
	if d := open.Describe(&config.Store{Driver: config.StoreNone}); !strings.Contains(d, "not recorded") {
		t.Errorf("Describe(none) = %q", d)
	}
}
