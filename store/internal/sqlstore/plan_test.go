package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
	"switchyard/store/storetest"
)

// This file checks the plans of the stored chat completions' metadata
// filter on both back ends, over a tenant of many completions sharing a
// pair and three holding a rare one, the tables analyzed: the page is
// read from the index of the pairs, in its order (no sort, no scan of
// the completions), and a list's look for unindexed rows reads their
// partial index.

// fillerCompletions is how many completions of acme share a pair.
const fillerCompletions = 20000

// chatPlanner is a store showing its chat lists' statements
// (export_test.go).
type chatPlanner interface {
	store.ChatCompletionLog
	IndexedChatSQL(tenant string, q store.ChatCompletionQuery, now time.Time) (string, []any)
	UnindexedChatSQL(tenant string) (string, []any)
}

// planDB is a back end under test: its store, SQL run on its database,
// and the plan of a statement, a line each.
type planDB struct {
	store   chatPlanner
	exec    func(t *testing.T, q string)
	explain func(t *testing.T, q string, args []any) []string
	// fill is the SQL adding the filler completions, each with a pair
	// shared by all and one of its own.
	fill []string
}

// checkPlans fills db and checks its plans: want names what a filter's
// plan holds, never what it must not.
func checkPlans(t *testing.T, db planDB, never []string) {
	for _, q := range db.fill {
		db.exec(t, q)
	}
	ctx := context.Background()
	for i := range 3 {
		c := &store.ChatCompletion{ID: fmt.Sprintf("chatcmpl-rare%d", i), Tenant: "acme", Created: storetest.Base, Expires: storetest.Base.Add(time.Hour),
			Model: "m", Object: []byte(`{}`), Messages: []byte(`[]`), Metadata: []byte(`{"tier":"rare","n":"` + fmt.Sprint(i) + `"}`)}
		if err := db.store.SaveChatCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	db.exec(t, "ANALYZE")
	for _, md := range []map[string]string{{"tier": "rare"}, {"tier": "rare", "n": "1"}} {
		q, args := db.store.IndexedChatSQL("acme", store.ChatCompletionQuery{Limit: 2, Metadata: md}, storetest.Base)
		plan := db.explain(t, q, args)
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, "chat_completion_metadata_lookup") {
			t.Errorf("the filter %v does not read the pairs' index:\n%s", md, text)
		}
		for _, bad := range never {
			if strings.Contains(text, bad) {
				t.Errorf("the filter %v's plan holds %q:\n%s", md, bad, text)
			}
		}
	}
	q, args := db.store.UnindexedChatSQL("acme")
	if text := strings.Join(db.explain(t, q, args), "\n"); !strings.Contains(text, "chat_completions_unindexed") {
		t.Errorf("the look for unindexed rows does not read their index:\n%s", text)
	}
}

func TestChatFilterPlanSQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "switchyard.db")
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	series := fmt.Sprintf("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) ", fillerCompletions)
	checkPlans(t, planDB{
		store: s,
		exec: func(t *testing.T, q string) {
			if _, err := raw.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		},
		explain: func(t *testing.T, q string, args []any) []string {
			rows, err := raw.Query("EXPLAIN QUERY PLAN "+q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			defer rows.Close()
			var out []string
			for rows.Next() {
				var id, parent, unused int
				var detail string
				if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
					t.Fatal(err)
				}
				out = append(out, detail)
			}
			return out
		},
		fill: []string{
			series + "INSERT INTO chat_completions (id, tenant, key_name, created_ns, expires_ns, model, object, messages, metadata, metadata_indexed)" +
				" SELECT 'chatcmpl-f' || i, 'acme', 'k', i, 9000000000000000000, 'm', X'7B7D', X'5B5D', X'7B7D', TRUE FROM n",
			series + "INSERT INTO chat_completion_metadata SELECT 'chatcmpl-f' || i, X'AAAA', 'acme', i FROM n",
			series + "INSERT INTO chat_completion_metadata SELECT 'chatcmpl-f' || i, randomblob(32), 'acme', i FROM n",
		},
	}, []string{"SCAN c", "SCAN chat_completions", "SCAN m", "TEMP B-TREE"})
}

func TestChatFilterPlanPostgres(t *testing.T) {
	sc := pgtest.NewSchema(t)
	ctx := context.Background()
	s, err := postgres.Open(ctx, sc.DSN)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := sc.Conn.Exec(ctx, "SET search_path TO "+pgx.Identifier{sc.Name}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	series := fmt.Sprintf(" FROM generate_series(1, %d) i", fillerCompletions)
	checkPlans(t, planDB{
		store: s,
		exec: func(t *testing.T, q string) {
			if _, err := sc.Conn.Exec(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		},
		explain: func(t *testing.T, q string, args []any) []string {
			rows, err := sc.Conn.Query(ctx, "EXPLAIN "+q, args...)
			if err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			out, err := pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				t.Fatal(err)
			}
			return out
		},
		fill: []string{
			"INSERT INTO chat_completions (id, tenant, key_name, created_ns, expires_ns, model, object, messages, metadata, metadata_indexed)" +
				" SELECT 'chatcmpl-f' || i, 'acme', 'k', i, 9000000000000000000, 'm', '\\x7b7d', '\\x5b5d', '\\x7b7d', TRUE" + series,
			"INSERT INTO chat_completion_metadata SELECT 'chatcmpl-f' || i, '\\xaaaa', 'acme', i" + series,
			"INSERT INTO chat_completion_metadata SELECT 'chatcmpl-f' || i, sha256(i::text::bytea), 'acme', i" + series,
		},
	}, []string{"Seq Scan on chat_completions", "Seq Scan on chat_completion_metadata", "Sort"})
}
