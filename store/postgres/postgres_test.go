package postgres_test

import (
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"go.uber.org/goleak"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/seal"
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

// A prompt or answer holding U+0000, which PostgreSQL cannot store, is
// written with U+FFFD in its place, and the rest of its batch with it;
// it used to fail the whole batch on every retry.
func TestWriteTextWithNUL(t *testing.T) {
	ctx := context.Background()
	db, err := postgres.Open(ctx, freshSchema(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows := []*store.Request{storetest.Sample(0), storetest.Sample(1), storetest.Sample(2)}
	rows[1].Bodies = &store.Bodies{
		Messages: []store.BodyMessage{{Role: "user", Text: "hello \x00 world, the text \\u0000 kept"}},
		Answer:   &store.BodyAnswer{Text: "\x00", ToolCalls: []store.BodyToolCall{{Name: "f", Arguments: "{\"a\":\"\x00\"}"}}},
	}
	if err := db.Write(ctx, rows); err != nil {
		t.Fatalf("Write: %v", err)
	}
	page, err := db.List(ctx, store.AllTenants(), store.Filter{Limit: 10})
	if err != nil || len(page.Requests) != 3 {
		t.Fatalf("List: %d rows, %v; want the whole batch", len(page.Requests), err)
	}
	got, err := db.Get(ctx, store.AllTenants(), rows[1].ID)
	if err != nil {
		t.Fatal(err)
	}
	b := got.Bodies
	if b.Messages[0].Text != "hello \uFFFD world, the text \\u0000 kept" || b.Answer.Text != "\uFFFD" || b.Answer.ToolCalls[0].Arguments != "{\"a\":\"\uFFFD\"}" {
		t.Errorf("bodies read back: %+v %+v", b.Messages, *b.Answer)
	}
}

// TestUpgradeFromPlaceholder: a database whose migration 6 was the
// placeholder gains the keys table.
func TestUpgradeFromPlaceholder(t *testing.T) {
	sc := pgtest.NewSchema(t)
	ctx := context.Background()
	exec := func(q string) error {
		_, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()+"; "+q)
		return err
	}
	storetest.RunPlaceholderUpgrade(t, exec, func() (store.Store, error) { return postgres.Open(ctx, sc.DSN) })
}

// TestResponsesUpgrade: stored responses of migration 11 (each its whole
// conversation) keep working as chains of one.
func TestResponsesUpgrade(t *testing.T) {
	sc := pgtest.NewSchema(t)
	ctx := context.Background()
	exec := func(q string) error {
		_, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()+"; "+q)
		return err
	}
	blob := func(s string) string { return "decode('" + hex.EncodeToString([]byte(s)) + "', 'hex')" }
	storetest.RunResponsesUpgrade(t, migrationsUpTo(t, storetest.ResponsesSchemaVersion), exec, blob,
		func() (store.Store, error) { return postgres.Open(ctx, sc.DSN) })
}

// TestChatIndexUpgrade: the stored chat completions of migration 19 (no
// metadata index) are found by a metadata filter once migrated.
func TestChatIndexUpgrade(t *testing.T) {
	sc := pgtest.NewSchema(t)
	ctx := context.Background()
	exec := func(q string) error {
		_, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()+"; "+q)
		return err
	}
	blob := func(s string) string { return "decode('" + hex.EncodeToString([]byte(s)) + "', 'hex')" }
	storetest.RunChatIndexUpgrade(t, migrationsUpTo(t, storetest.ChatIndexSchemaVersion), exec, blob,
		func() (store.Store, error) { return postgres.Open(ctx, sc.DSN) })
}

// TestBatchBackfill: the rows of batch lines written before migration
// 25 get their batch from migration 26.
func TestBatchBackfill(t *testing.T) {
	sc := pgtest.NewSchema(t)
	ctx := context.Background()
	exec := func(q string) error {
		_, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()+"; "+q)
		return err
	}
	storetest.RunBatchBackfill(t, exec, func() (store.Store, error) { return postgres.Open(ctx, sc.DSN) })
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
// the raw columns read with plain SQL on the server.
func TestSealed(t *testing.T) {
	storetest.RunSealed(t, func(t *testing.T) storetest.SealedDB {
		sc := pgtest.NewSchema(t)
		ctx := context.Background()
		inSchema := func(q string) string { return "SET search_path TO " + pgx.Identifier{sc.Name}.Sanitize() + "; " + q }
		return storetest.SealedDB{
			Open: func(t *testing.T, keys *seal.Keys) store.Store {
				s, err := postgres.Open(ctx, sc.DSN)
				if err != nil {
					t.Fatal(err)
				}
				s.SealWith(keys)
				return s
			},
			Bytes: func(t *testing.T, q string) [][]byte {
				if _, err := sc.Conn.Exec(ctx, inSchema("SELECT 1")); err != nil {
					t.Fatal(err)
				}
				rows, err := sc.Conn.Query(ctx, q)
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				out, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
				if err != nil {
					t.Fatalf("%s: %v", q, err)
				}
				return out
			},
			Exec: func(t *testing.T, q string) {
				if _, err := sc.Conn.Exec(ctx, inSchema(q)); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			},
		}
	})
}
