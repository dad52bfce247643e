package storetest

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/store"
)

// ResponsesSchemaVersion is the last migration of the stored responses
// before chains: a row of it holds its whole conversation, no parent.
const ResponsesSchemaVersion = 11

// oldResponse is a stored response as migration 11's binaries wrote it:
// the second turn of a conversation, its input the whole conversation
// before its output. blob renders a byte string literal of the back end.
func oldResponse(blob func(string) string) string {
	input := `[{"id":"msg_1_i0","type":"message","role":"user","content":"u1"},` +
		`{"id":"msg_1","type":"message","role":"assistant","content":"a1"},` +
		`{"id":"msg_2_i0","type":"message","role":"user","content":"u2"}]`
	return fmt.Sprintf(`INSERT INTO responses (id, tenant, key_name, created_ns, expires_ns, model, status, object, input, output)
VALUES ('resp_old', 'acme', 'k', %d, %d, 'gpt-4o-mini', 'completed', %s, %s, %s)`,
		Base.UnixNano(), Base.Add(time.Hour).UnixNano(), blob(`{"id":"resp_old"}`), blob(input),
		blob(`[{"id":"msg_2","type":"message","role":"assistant","content":"a2"}]`))
}

// HexBlob is the literal of the bytes of s as SQLite writes it, X'…'.
func HexBlob(s string) string { return "X'" + hex.EncodeToString([]byte(s)) + "'" }

// RunResponsesUpgrade checks the stored responses a database of
// migration 11 holds once a newer binary migrates it: schema is the SQL
// of the back end's migrations 1 to 11, exec runs SQL on a fresh, empty
// database, blob renders a byte string literal, open opens the store on
// that database, applying the rest. The old row, its whole conversation
// and no parent, reads back as it was, is a chain of one, is continued
// by a response that stores only its own items, and is kept past its
// expiry for it. A row whose parent names another tenant's response
// (SaveResponse refuses it; here written in SQL) never reads it.
func RunResponsesUpgrade(t *testing.T, schema []string, exec func(string) error, blob func(string) string, open func() (store.Store, error)) {
	prep := append(slices.Clone(schema),
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ns BIGINT NOT NULL)")
	for v := 1; v <= len(schema); v++ {
		prep = append(prep, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, 'm%d', 0)", v, v))
	}
	for _, q := range append(prep, oldResponse(blob)) {
		if err := exec(q); err != nil {
			t.Fatalf("preparing a version %d database: %v\n%s", len(schema), err, q)
		}
	}
	s, err := open()
	if err != nil {
		t.Fatalf("open (migrating from version %d): %v", len(schema), err)
	}
	defer s.Close()
	rl, ctx, acme := responseLog(t, s), context.Background(), store.TenantScope("acme")
	old, err := rl.GetResponse(ctx, acme, "resp_old", Base)
	if err != nil || old.Parent != "" || !strings.Contains(string(old.Input), `"u1"`) || !strings.Contains(string(old.Output), `"a2"`) {
		t.Fatalf("the old response after the upgrade: %+v, %v", old, err)
	}
	next := chainResponse("resp_next", "resp_old", "acme", Base.Add(3*time.Hour))
	if err := rl.SaveResponse(ctx, next); err != nil {
		t.Fatalf("continuing the old response: %v", err)
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base.Add(2*time.Hour)); err != nil || n != 0 {
		t.Errorf("retention erased %d (%v) of a live continuation's chain", n, err)
	}
	chain, err := rl.ResponseChain(ctx, acme, "resp_next", Base.Add(2*time.Hour))
	if err != nil {
		t.Fatalf("the continuation's chain: %v", err)
	}
	want := `[{"id":"msg_1_i0","type":"message","role":"user","content":"u1"},` +
		`{"id":"msg_1","type":"message","role":"assistant","content":"a1"},` +
		`{"id":"msg_2_i0","type":"message","role":"user","content":"u2"},` +
		`{"id":"msg_2","type":"message","role":"assistant","content":"a2"},` +
		`{"id":"msg_resp_next_i0","type":"message","role":"user","content":"in resp_next"}]`
	if got := joinedItems(chain); got != want {
		t.Errorf("the continuation's conversation\n %s\nwant\n %s", got, want)
	}
	forged := strings.Replace(strings.Replace(oldResponse(blob), "'resp_old', 'acme'", "'resp_forged', 'globex'", 1),
		"(id, tenant,", "(parent, id, tenant,", 1)
	forged = strings.Replace(forged, "VALUES (", "VALUES ('resp_next', ", 1)
	if err := exec(forged); err != nil {
		t.Fatalf("writing a row whose parent is another tenant's: %v\n%s", err, forged)
	}
	for _, scope := range []store.Scope{store.TenantScope("globex"), store.AllTenants()} {
		chain, err := rl.ResponseChain(ctx, scope, "resp_forged", Base)
		if err == nil || errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("ResponseChain(forged, %+v) = %d responses, %v; want a broken chain's error", scope, len(chain), err)
		}
		for _, r := range chain {
			if r.Tenant != "globex" {
				t.Errorf("ResponseChain(forged, %+v) read %s of %s", scope, r.ID, r.Tenant)
			}
		}
	}
}
