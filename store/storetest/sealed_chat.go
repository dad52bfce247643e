package storetest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"slices"
	"testing"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file tests the blind index of the stored chat completions'
// metadata with the stored content sealed: what the index holds, a
// rotation, `reencrypt`, and the rows stored before the index.

// pairHashes is the query of the index's hashes.
const pairHashes = "SELECT pair_hash FROM chat_completion_metadata"

// clearPairHash is the index of a pair of tenant as stored without a
// key: the SHA-256 of the tenant, the key and the value, each preceded by
// its length.
func clearPairHash(tenant, key, value string) []byte {
	sum := sha256.Sum256(seal.Place("chat_completion_metadata", tenant, key, value))
	return sum[:]
}

// filterChats returns the ids of the completions of acme whose metadata
// holds md, a page of limit at a time, failing t on an error.
func filterChats(t *testing.T, cl store.ChatCompletionLog, md map[string]string, limit int) []string {
	t.Helper()
	var out []string
	q := store.ChatCompletionQuery{Limit: limit, Metadata: md}
	for range 100 {
		p, err := cl.ListChatCompletions(context.Background(), store.TenantScope("acme"), q, Base)
		if err != nil {
			t.Fatalf("ListChatCompletions(%v): %v", md, err)
		}
		out = append(out, chatIDs(p)...)
		if !p.HasMore {
			return out
		}
		q.After = out[len(out)-1]
	}
	t.Fatalf("the pages of %v do not end", md)
	return nil
}

// openChats opens db with keys, closed when t ends.
func (db SealedDB) openChats(t *testing.T, keys *seal.Keys) (store.Store, store.ChatCompletionLog) {
	t.Helper()
	s := db.Open(t, keys)
	t.Cleanup(func() { s.Close() })
	return s, chatLog(t, s)
}

// testChatIndexAtRest: without a key, a pair's index is its clear hash
// (its metadata is clear too); with one, no index is: it is keyed, and
// the same pair of two tenants has two.
func testChatIndexAtRest(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, nil)
	saveChats(t, cl, sampleChat("chatcmpl-clear", "acme", "m", 0, `{"team":"`+marker+`"}`))
	if got := db.Bytes(t, pairHashes); len(got) != 1 || !bytes.Equal(got[0], clearPairHash("acme", "team", marker)) {
		t.Fatalf("without a key, the index holds %x; want the pair's SHA-256", got)
	}
	_, cl = db.openChats(t, testKey(t, 1))
	saveChats(t, cl, sampleChat("chatcmpl-a", "acme", "m", 1, `{"team":"`+marker+`"}`),
		sampleChat("chatcmpl-g", "globex", "m", 1, `{"team":"`+marker+`"}`))
	hashes := db.Bytes(t, pairHashes+" WHERE completion <> 'chatcmpl-clear'")
	if len(hashes) != 2 || bytes.Equal(hashes[0], hashes[1]) {
		t.Errorf("the same pair of two tenants: %x; want two hashes", hashes)
	}
	for _, h := range hashes {
		if bytes.Equal(h, clearPairHash("acme", "team", marker)) || bytes.Equal(h, clearPairHash("globex", "team", marker)) || bytes.Contains(h, []byte("MARKER")) {
			t.Errorf("with a key, an index is the pair's clear hash or holds it: %x", h)
		}
	}
	if got := filterChats(t, cl, map[string]string{"team": marker}, 10); !slices.Equal(got, []string{"chatcmpl-clear", "chatcmpl-a"}) {
		t.Errorf("the filter finds %v; want the clear and the sealed completions of acme", got)
	}
}

// testChatIndexRotation: rows of key A are found with B current and A
// previous, in order with B's; reencrypt indexes them under B, so that
// B alone finds them; with encryption off, reencrypt indexes them clear.
func testChatIndexRotation(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, testKey(t, 1))
	saveChats(t, cl, sampleChat("chatcmpl-1", "acme", "m", 1, `{"team":"x"}`),
		sampleChat("chatcmpl-3", "acme", "m", 3, `{"team":"x","env":"prod"}`),
		sampleChat("chatcmpl-4", "acme", "m", 4, `{"team":"y"}`))
	s, cl := db.openChats(t, testKey(t, 2, 1))
	saveChats(t, cl, sampleChat("chatcmpl-2", "acme", "m", 2, `{"team":"x","env":"prod"}`))
	read := chatRowsRead(t, s)
	for _, limit := range []int{1, 10} {
		if got := filterChats(t, cl, map[string]string{"team": "x"}, limit); !slices.Equal(got, []string{"chatcmpl-1", "chatcmpl-2", "chatcmpl-3"}) {
			t.Errorf("rotated, pages of %d: the filter finds %v; want A's and B's rows in order", limit, got)
		}
	}
	// Pages of 1 (4 of them) and of 10 (1): a branch per key and the
	// clear one, each reading at most a page and one row.
	if n := read(); n > 3*(4*2+11) {
		t.Errorf("the rotated lists read %d rows", n)
	}
	if got := filterChats(t, cl, map[string]string{"team": "x", "env": "prod"}, 10); !slices.Equal(got, []string{"chatcmpl-2", "chatcmpl-3"}) {
		t.Errorf("rotated, two pairs: %v; want chatcmpl-2 and chatcmpl-3", got)
	}
	if _, err := s.(store.ContentSealer).ResealContent(context.Background()); err != nil {
		t.Fatalf("ResealContent: %v", err)
	}
	_, cl = db.openChats(t, testKey(t, 2))
	if got := filterChats(t, cl, map[string]string{"team": "x"}, 2); !slices.Equal(got, []string{"chatcmpl-1", "chatcmpl-2", "chatcmpl-3"}) {
		t.Errorf("after reencrypt, B alone finds %v; want the three", got)
	}
	off, err := seal.New(nil, bytes.Repeat([]byte{2}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	s, _ = db.openChats(t, off)
	if _, err := s.(store.ContentSealer).ResealContent(context.Background()); err != nil {
		t.Fatalf("ResealContent with encryption off: %v", err)
	}
	_, cl = db.openChats(t, nil)
	if got := filterChats(t, cl, map[string]string{"team": "x"}, 10); !slices.Equal(got, []string{"chatcmpl-1", "chatcmpl-2", "chatcmpl-3"}) {
		t.Errorf("written clear, no key finds %v; want the three", got)
	}
	if got := db.Bytes(t, pairHashes+" WHERE completion = 'chatcmpl-4'"); len(got) != 1 || !bytes.Equal(got[0], clearPairHash("acme", "team", "y")) {
		t.Errorf("written clear, chatcmpl-4's index is %x; want its clear hash", got)
	}
}

// unindex makes every stored completion as stored before the index.
func (db SealedDB) unindex(t *testing.T) {
	db.Exec(t, "DELETE FROM chat_completion_metadata")
	db.Exec(t, "UPDATE chat_completions SET metadata_indexed = FALSE")
}

// testChatIndexBackfill: the completions stored before the index (more
// than one batch, sealed and clear) are indexed before a tenant's first
// filtered list, that tenant's only; one that does not open fails the
// list, as it did before the index, until it is deleted; reencrypt
// indexes every tenant's.
func testChatIndexBackfill(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, nil)
	var want []string
	for i := range 250 {
		id := fmt.Sprintf("chatcmpl-%03d", i)
		if i == 50 {
			_, cl = db.openChats(t, testKey(t, 1)) // the rest sealed
		}
		md := `{"pick":"no"}`
		if i%25 == 0 {
			md, want = `{"pick":"yes"}`, append(want, id)
		}
		saveChats(t, cl, sampleChat(id, "acme", "m", i, md))
	}
	saveChats(t, cl, sampleChat("chatcmpl-g", "globex", "m", 0, `{"pick":"yes"}`))
	_, lost := db.openChats(t, testKey(t, 3))
	saveChats(t, lost, sampleChat("chatcmpl-lost", "acme", "m", 300, `{"pick":"yes"}`))
	db.unindex(t)
	s, cl := db.openChats(t, testKey(t, 1))
	_, err := cl.ListChatCompletions(context.Background(), store.TenantScope("acme"), store.ChatCompletionQuery{Limit: 5, Metadata: map[string]string{"pick": "yes"}}, Base)
	unreadable(t, "a filtered list over a row that does not open", err)
	if err := cl.DeleteChatCompletion(context.Background(), store.TenantScope("acme"), "chatcmpl-lost", Base); err != nil {
		t.Fatal(err)
	}
	if got := filterChats(t, cl, map[string]string{"pick": "yes"}, 4); !slices.Equal(got, want) {
		t.Errorf("the rows stored before the index: %v; want %v", got, want)
	}
	if n := len(db.Bytes(t, pairHashes)); n != 250 {
		t.Errorf("%d pairs indexed; want acme's 250", n)
	}
	if got := db.Bytes(t, "SELECT tenant FROM chat_completions WHERE metadata_indexed = FALSE"); len(got) != 1 || string(got[0]) != "globex" {
		t.Errorf("left unindexed: %q; want globex's row only", got)
	}
	if _, err := s.(store.ContentSealer).ResealContent(context.Background()); err != nil {
		t.Fatalf("ResealContent: %v", err)
	}
	if got := db.Bytes(t, "SELECT id FROM chat_completions WHERE metadata_indexed = FALSE"); len(got) != 0 {
		t.Errorf("reencrypt left %q unindexed", got)
	}
	p, err := cl.ListChatCompletions(context.Background(), store.TenantScope("globex"), store.ChatCompletionQuery{Limit: 5, Metadata: map[string]string{"pick": "yes"}}, Base)
	if err != nil || !slices.Equal(chatIDs(p), []string{"chatcmpl-g"}) {
		t.Errorf("globex's filter after reencrypt: %v, %v", chatIDs(p), err)
	}
}

// testChatIndexErased: a completion's pairs are erased with it, deleted
// or expired.
func testChatIndexErased(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, testKey(t, 1))
	ctx, acme := context.Background(), store.TenantScope("acme")
	live := sampleChat("chatcmpl-live", "acme", "m", 0, `{"a":"1"}`)
	live.Expires = Base.Add(3 * day)
	saveChats(t, cl, sampleChat("chatcmpl-del", "acme", "m", 0, `{"a":"1","b":"2"}`),
		sampleChat("chatcmpl-old", "acme", "m", 0, `{"a":"1","c":"3"}`), live)
	if err := cl.DeleteChatCompletion(ctx, acme, "chatcmpl-del", Base); err != nil {
		t.Fatal(err)
	}
	if n, err := cl.DeleteExpiredChatCompletions(ctx, Base.Add(2*day)); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredChatCompletions = %d, %v; want 1", n, err)
	}
	if got := db.Bytes(t, "SELECT completion FROM chat_completion_metadata"); len(got) != 1 || string(got[0]) != "chatcmpl-live" {
		t.Errorf("the index holds pairs of %q; want chatcmpl-live's only", got)
	}
	if _, err := cl.UpdateChatCompletion(ctx, acme, "chatcmpl-live", []byte(`{}`), Base); err != nil {
		t.Fatal(err)
	}
	if got := db.Bytes(t, "SELECT completion FROM chat_completion_metadata"); len(got) != 0 {
		t.Errorf("after its metadata was emptied, the index holds pairs of %q", got)
	}
}

// testChatIndexBackfillRotated: rows of key A indexed while B is current
// are indexed under A, the key their metadata is sealed under: A alone
// (the rotation rolled back) still finds them.
func testChatIndexBackfillRotated(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, testKey(t, 1))
	saveChats(t, cl, sampleChat("chatcmpl-1", "acme", "m", 1, `{"team":"x"}`))
	db.unindex(t)
	_, cl = db.openChats(t, testKey(t, 2, 1))
	if got := filterChats(t, cl, map[string]string{"team": "x"}, 10); !slices.Equal(got, []string{"chatcmpl-1"}) {
		t.Fatalf("indexed with B current: %v", got)
	}
	_, cl = db.openChats(t, testKey(t, 1))
	if got := filterChats(t, cl, map[string]string{"team": "x"}, 10); !slices.Equal(got, []string{"chatcmpl-1"}) {
		t.Errorf("A alone after B indexed A's row: %v; want it found", got)
	}
}

// testChatIndexBackfillRacesUpdates: while a filtered list indexes the
// rows stored before the index, their metadata is updated: each row ends
// indexed by its last metadata only.
func testChatIndexBackfillRacesUpdates(t *testing.T, db SealedDB) {
	_, cl := db.openChats(t, testKey(t, 1))
	const rows = 450
	for i := range rows {
		saveChats(t, cl, sampleChat(fmt.Sprintf("chatcmpl-%03d", i), "acme", "m", i, `{"v":"old"}`))
	}
	db.unindex(t)
	_, cl = db.openChats(t, testKey(t, 1))
	ctx, acme := context.Background(), store.TenantScope("acme")
	done := make(chan error, 1)
	go func() {
		_, err := cl.ListChatCompletions(ctx, acme, store.ChatCompletionQuery{Limit: 1, Metadata: map[string]string{"v": "new"}}, Base)
		done <- err
	}()
	var updated []string
	for i := rows - 1; i >= 0; i -= 3 { // from the end: the indexing starts at the beginning
		id := fmt.Sprintf("chatcmpl-%03d", i)
		if _, err := cl.UpdateChatCompletion(ctx, acme, id, []byte(`{"v":"new"}`), Base); err != nil {
			t.Fatalf("UpdateChatCompletion(%s): %v", id, err)
		}
		updated = append(updated, id)
	}
	if err := <-done; err != nil {
		t.Fatalf("the filtered list indexing: %v", err)
	}
	slices.Sort(updated)
	if got := filterChats(t, cl, map[string]string{"v": "new"}, 100); !slices.Equal(got, updated) {
		t.Errorf("v new finds %d rows; want the %d updated", len(got), len(updated))
	}
	for _, id := range filterChats(t, cl, map[string]string{"v": "old"}, 100) {
		if slices.Contains(updated, id) {
			t.Errorf("%s, updated, is found by its old metadata", id)
		}
	}
}
