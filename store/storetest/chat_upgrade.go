package storetest

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"switchyard/store"
	"switchyard/store/seal"
)

// ChatIndexSchemaVersion is the last migration before the blind index of
// the stored chat completions' metadata: its rows have no pairs indexed.
const ChatIndexSchemaVersion = 19

// oldChat is a stored chat completion of acme as migration 19's binaries
// wrote it, its metadata md as stored (clear JSON, or sealed). blob
// renders a byte string literal of the back end.
func oldChat(blob func(string) string, id string, i int, md []byte) string {
	created := Base.Add(time.Duration(i) * time.Second)
	return fmt.Sprintf(`INSERT INTO chat_completions (id, tenant, key_name, created_ns, expires_ns, model, object, messages, metadata)
VALUES ('%s', 'acme', 'k', %d, %d, 'gpt-4o-mini', %s, %s, %s)`, id, created.UnixNano(), created.Add(day).UnixNano(),
		blob(`{"id":"`+id+`","object":"chat.completion"}`), blob(`[{"role":"user","content":"hi"}]`), blob(string(md)))
}

// RunChatIndexUpgrade checks the stored chat completions a database of
// migration 19 holds once a newer binary migrates it: schema is the SQL
// of the back end's migrations 1 to 19, exec runs SQL on a fresh, empty
// database, blob renders a byte string literal, open opens the store on
// that database, applying the rest. The old rows, their metadata clear
// or sealed, are found by a metadata filter, and by the next one after a
// restart, with the rows stored since.
func RunChatIndexUpgrade(t *testing.T, schema []string, exec func(string) error, blob func(string) string, open func() (store.Store, error)) {
	keys, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	sealed := keys.Seal([]byte(`{"team":"x","env":"prod"}`), seal.Place("chat_completions", "metadata", "acme", "chatcmpl-old2"))
	prep := append(slices.Clone(schema),
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ns BIGINT NOT NULL)")
	for v := 1; v <= len(schema); v++ {
		prep = append(prep, fmt.Sprintf("INSERT INTO schema_migrations VALUES (%d, 'm%d', 0)", v, v))
	}
	prep = append(prep, oldChat(blob, "chatcmpl-old1", 1, []byte(`{"team":"x"}`)), oldChat(blob, "chatcmpl-old2", 2, sealed),
		oldChat(blob, "chatcmpl-old3", 3, []byte(`{"team":"y"}`)))
	for _, q := range prep {
		if err := exec(q); err != nil {
			t.Fatalf("preparing a version %d database: %v\n%s", len(schema), err, q)
		}
	}
	for restart, want := range [][]string{{"chatcmpl-old1", "chatcmpl-old2"}, {"chatcmpl-old1", "chatcmpl-old2", "chatcmpl-new"}} {
		s, err := open()
		if err != nil {
			t.Fatalf("open (migrating from version %d): %v", len(schema), err)
		}
		s.(store.ContentSealer).SealWith(keys)
		cl := chatLog(t, s)
		if restart == 0 {
			saveChats(t, cl, sampleChat("chatcmpl-new", "acme", "m", 5, `{"team":"y"}`))
		}
		got := filterChats(t, cl, map[string]string{"team": "x"}, 1)
		pairs := filterChats(t, cl, map[string]string{"team": "x", "env": "prod"}, 10)
		if restart == 0 {
			if _, err := cl.UpdateChatCompletion(context.Background(), store.TenantScope("acme"), "chatcmpl-new", []byte(`{"team":"x"}`), Base); err != nil {
				t.Fatal(err)
			}
		}
		s.Close()
		if !slices.Equal(got, want) || !slices.Equal(pairs, []string{"chatcmpl-old2"}) {
			t.Errorf("start %d: the filter finds %v and %v; want %v and [chatcmpl-old2]", restart, got, pairs, want)
		}
	}
}
