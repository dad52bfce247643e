package e2e

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/openai/openai-go/v3"
	"github.com/openai/openai-go/v3/responses"

	"switchyard/store"
	"switchyard/store/postgres"
	"switchyard/store/postgres/pgtest"
	"switchyard/store/sqlite"
)

// rawStore is a store back end with a way to ask its database, in SQL,
// the total size of the stored responses' input column.
type rawStore struct {
	name string
	open func(t *testing.T) (store.Store, func() int64)
}

var rawStores = []rawStore{
	{"sqlite", func(t *testing.T) (store.Store, func() int64) {
		path := freshSQLitePath(t)
		s, err := sqlite.Open(context.Background(), path)
		closing(t, s, err)
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return s, func() int64 {
			return inputBytes(t, db.QueryRow("SELECT COALESCE(SUM(LENGTH(input)), 0) FROM responses").Scan)
		}
	}},
	{"postgres", func(t *testing.T) (store.Store, func() int64) {
		sc := pgtest.NewSchema(t)
		s, err := postgres.Open(context.Background(), sc.DSN)
		closing(t, s, err)
		q := "SELECT COALESCE(SUM(OCTET_LENGTH(input)), 0) FROM " + pgx.Identifier{sc.Name, "responses"}.Sanitize()
		return s, func() int64 { return inputBytes(t, sc.Conn.QueryRow(context.Background(), q).Scan) }
	}},
}

// inputBytes scans one integer, failing t on an error.
func inputBytes(t *testing.T, scan func(dest ...any) error) int64 {
	t.Helper()
	var n int64
	if err := scan(&n); err != nil {
		t.Fatalf("the input column's size: %v", err)
	}
	return n
}

// An agent loop of 50 turns, each continuing the one before with
// previous_response_id and sending 2 KB of tool output, stores each turn
// once: the input column's total over the conversation's rows doubles
// from 25 to 50 turns (it quadrupled when every row held a copy of the
// whole conversation), and the last turn's input items still list every
// turn.
func TestResponsesStoredBytesGrowLinearly(t *testing.T) {
	for _, b := range rawStores {
		t.Run(b.name, func(t *testing.T) {
			st, stored := b.open(t)
			e, _ := storedEnv(t, st, nil)
			prev, at25 := "", int64(0)
			for turn := 1; turn <= 50; turn++ {
				params := responses.ResponseNewParams{Model: "gpt-4o-mini",
					Input: inputText(fmt.Sprintf("Turn %d. The tool said: %s", turn, strings.Repeat("output ", 300)))}
				if prev != "" {
					params.PreviousResponseID = openai.String(prev)
				}
				resp, err := e.Client.Responses.New(ctxT(t), params)
				if err != nil || !storeFlag(t, resp.RawJSON()) {
					t.Fatalf("turn %d: %v", turn, err)
				}
				prev = resp.ID
				if turn == 25 {
					at25 = stored()
				}
			}
			at50 := stored()
			if ratio := float64(at50) / float64(at25); ratio > 2.2 {
				t.Errorf("input bytes stored: %d after 25 turns, %d after 50 (%.1f×); want about 2× (linear)", at25, at50, ratio)
			}
			var n int
			pager := e.Client.Responses.InputItems.ListAutoPaging(ctxT(t), prev, responses.InputItemListParams{Limit: openai.Int(100)})
			for pager.Next() {
				n++
			}
			if err := pager.Err(); err != nil || n != 99 { // 50 user turns and 49 answers
				t.Errorf("the last turn's input items: %d, %v; want 99", n, err)
			}
		})
	}
}
