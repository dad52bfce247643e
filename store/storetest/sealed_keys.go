package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"testing"

	"switchyard/store"
	"switchyard/store/seal"
)

// testSealedRotation: rows sealed under key A read with B current and A
// previous; new rows are sealed under B; with B alone, A's rows are
// ErrUnreadable naming A's id, B's read.
func testSealedRotation(t *testing.T, db SealedDB) {
	a := testKey(t, 1)
	rl, cl := db.open(t, a)
	writeMarked(t, rl, cl)

	rl, cl = db.open(t, testKey(t, 2, 1))
	checkMarkedReads(t, rl, cl)
	ctx, acme := context.Background(), store.TenantScope("acme")
	if err := rl.SaveResponse(ctx, markedResponse("resp_b", "acme", "resp_2")); err != nil {
		t.Fatal(err)
	}
	b := testKey(t, 2)
	headers := map[string]int{}
	for _, v := range db.Bytes(t, "SELECT input FROM responses") {
		id, _ := seal.Header(v)
		headers[id.String()]++
	}
	if headers[a.Current().String()] != 3 || headers[b.Current().String()] != 1 {
		t.Errorf("key ids of the rows: %v; want 3 of A (%v) and the new one of B (%v)", headers, a.Current(), b.Current())
	}

	rl, _ = db.open(t, b)
	_, err := rl.GetResponse(ctx, acme, "resp_2", Base)
	var missing *seal.MissingKeyError
	if unreadable(t, "a row of A with B alone", err); !errors.As(err, &missing) || missing.ID != a.Current() {
		t.Errorf("the error does not name A's key id %v: %v", a.Current(), err)
	}
	if r, err := rl.GetResponse(ctx, acme, "resp_b", Base); err != nil || !bytes.Contains(r.Input, []byte(marker)) {
		t.Errorf("a row of B with B: %+v, %v", r, err)
	}
}

// testSealedClearRows: rows written without a key read once a key is
// set, and the rows written then are sealed; a chain mixing both reads
// whole.
func testSealedClearRows(t *testing.T, db SealedDB) {
	rl, cl := db.open(t, nil)
	writeMarked(t, rl, cl)
	for _, q := range contentColumns {
		for _, v := range db.Bytes(t, q) {
			if seal.Sealed(v) {
				t.Fatalf("%s: a value written without a key is sealed", q)
			}
		}
	}
	rl, cl = db.open(t, testKey(t, 1))
	checkMarkedReads(t, rl, cl)
	ctx, acme := context.Background(), store.TenantScope("acme")
	if err := rl.SaveResponse(ctx, markedResponse("resp_4", "acme", "resp_2")); err != nil {
		t.Fatal(err)
	}
	if err := cl.AppendItems(ctx, acme, "conv_1", markedItems("msg_d"), Base.Add(day), Base); err != nil {
		t.Fatal(err)
	}
	v := db.Bytes(t, "SELECT input FROM responses WHERE id = 'resp_4'")
	w := db.Bytes(t, "SELECT item FROM conversation_items WHERE id = 'msg_d'")
	if len(v) != 1 || !seal.Sealed(v[0]) || len(w) != 1 || !seal.Sealed(w[0]) {
		t.Errorf("rows written with the key are not sealed: %q %q", v, w)
	}
	chain, err := rl.ResponseChain(ctx, acme, "resp_4", Base)
	if err != nil || len(chain) != 3 || !bytes.Contains(chain[0].Input, []byte(marker)) || !bytes.Contains(chain[2].Input, []byte(marker)) {
		t.Errorf("a chain of clear and sealed rows: %v, %v", chain, err)
	}
	its, _, err := cl.ConversationItems(ctx, acme, "conv_1", Base)
	if err != nil || len(its) != 3 || !bytes.Contains(its[2].Item, []byte(marker)) { // msg_a was deleted
		t.Errorf("clear and sealed items: %v, %v", its, err)
	}
}

// testSealedMissingKey: rows sealed under a key read without any key
// are ErrUnreadable wrapping a MissingKeyError, through every read;
// what does not open the content (deletion, expiry) still works.
func testSealedMissingKey(t *testing.T, db SealedDB) {
	k := testKey(t, 1)
	rl, cl := db.open(t, k)
	writeMarked(t, rl, cl)
	rl, cl = db.open(t, nil)
	ctx, acme := context.Background(), store.TenantScope("acme")
	check := func(what string, err error) {
		t.Helper()
		var missing *seal.MissingKeyError
		if unreadable(t, what, err); !errors.As(err, &missing) || missing.ID != k.Current() {
			t.Errorf("%s: %v does not name the missing key %v", what, err, k.Current())
		}
	}
	_, err := rl.GetResponse(ctx, acme, "resp_1", Base)
	check("GetResponse", err)
	_, err = rl.ResponseChain(ctx, acme, "resp_3", Base)
	check("ResponseChain", err)
	_, err = cl.GetConversation(ctx, acme, "conv_1", Base)
	check("GetConversation", err)
	_, _, err = cl.ConversationItems(ctx, acme, "conv_1", Base)
	check("ConversationItems", err)
	_, err = cl.ListItems(ctx, acme, "conv_1", store.ItemQuery{Limit: 10}, Base)
	check("ListItems", err)
	_, err = cl.GetItem(ctx, acme, "conv_1", "msg_b", Base)
	check("GetItem", err)
	_, err = rl.(store.BackgroundLog).Events(ctx, acme, "resp_3", -1, Base)
	check("Events", err)
	if err := rl.DeleteResponse(ctx, acme, "resp_2", Base); err != nil {
		t.Errorf("DeleteResponse without the key: %v", err)
	}
	if err := cl.DeleteConversation(ctx, acme, "conv_1", Base); err != nil {
		t.Errorf("DeleteConversation without the key: %v", err)
	}
	if n, err := rl.DeleteExpiredResponses(ctx, Base.Add(2*day)); err != nil || n != 2 { // resp_2 was erased by its delete
		t.Errorf("DeleteExpiredResponses without the key = %d, %v; want 2", n, err)
	}
}

// testSealedReseal: ResealContent rewrites the rows of a previous key and
// the clear rows under the current key, leaves what does not open (and
// counts it), and with no current key writes everything clear again.
func testSealedReseal(t *testing.T, db SealedDB) {
	ctx := context.Background()
	s := db.Open(t, nil)
	clear := markedResponse("resp_clear", "acme", "")
	if err := responseLog(t, s).SaveResponse(ctx, clear); err != nil {
		t.Fatal(err)
	}
	s.Close()
	a, b := testKey(t, 1), testKey(t, 2, 1)
	rl, cl := db.open(t, a)
	writeMarked(t, rl, cl)
	db.Exec(t, "UPDATE responses SET output = (SELECT input FROM responses WHERE id = 'resp_3') WHERE id = 'resp_2'") // moved: does not open

	s = db.Open(t, b)
	defer s.Close()
	n, err := s.(store.ContentSealer).ResealContent(ctx)
	// 4 responses × 3 columns + the metadata + 3 items + 2 batches of
	// events + a chat completion's 3 columns + a file's content + an
	// upload's part + a batch's object and a line, but the value moved.
	if err != nil || n.Rewritten != 24 || n.Unreadable != 1 {
		t.Fatalf("ResealContent = %+v, %v; want 24 rewritten, 1 unreadable", n, err)
	}
	for _, q := range contentColumns {
		for _, v := range db.Bytes(t, q) {
			if id, _ := seal.Header(v); id != b.Current() && !bytes.Equal(v, db.Bytes(t, "SELECT output FROM responses WHERE id = 'resp_2'")[0]) {
				t.Errorf("%s: a value left %q, not under the current key", q, v[:min(len(v), 9)])
			}
		}
	}
	rl, cl = db.open(t, testKey(t, 2))
	if _, err := rl.GetResponse(ctx, store.TenantScope("acme"), "resp_clear", Base); err != nil {
		t.Errorf("a clear row sealed: %v", err)
	}
	if _, _, err := cl.ConversationItems(ctx, store.TenantScope("acme"), "conv_1", Base); err != nil {
		t.Errorf("the items sealed anew: %v", err)
	}
	if again, err := s.(store.ContentSealer).ResealContent(ctx); err != nil || again.Rewritten != 0 {
		t.Errorf("ResealContent again = %+v, %v; want nothing rewritten", again, err)
	}

	offKeys, err := seal.New(nil, bytes.Repeat([]byte{2}, seal.KeySize)) // encryption off, B to read
	if err != nil {
		t.Fatal(err)
	}
	off := db.Open(t, offKeys)
	defer off.Close()
	if n, err := off.(store.ContentSealer).ResealContent(ctx); err != nil || n.Rewritten != 24 || n.Unreadable != 1 {
		t.Errorf("ResealContent with no current key = %+v, %v; want 24 written clear", n, err)
	}
	if v := db.Bytes(t, "SELECT input FROM responses WHERE id = 'resp_1'"); len(v) != 1 || !bytes.Contains(v[0], []byte(marker)) {
		t.Errorf("a value not written clear: %q", v)
	}
}

// testSealedResealPages: ResealContent goes through more rows than it
// reads at a time.
func testSealedResealPages(t *testing.T, db SealedDB) {
	ctx := context.Background()
	rl, cl := db.open(t, nil)
	const responses, conversations = 450, 210
	for i := range responses {
		if err := rl.SaveResponse(ctx, markedResponse(fmt.Sprintf("resp_%04d", i), "acme", "")); err != nil {
			t.Fatal(err)
		}
	}
	for i := range conversations {
		createConversation(t, cl, sampleConversation(fmt.Sprintf("conv_%04d", i), "acme"), markedItems("msg_1")...)
	}
	const batches = 130 // on each of two responses: the pages end within one's
	for _, id := range []string{"resp_0001", "resp_0002"} {
		for i := range batches {
			b := store.EventBatch{First: int64(i), Last: int64(i), Data: []byte(marker)}
			if err := rl.(store.BackgroundLog).AppendEvents(ctx, "acme", id, b); err != nil {
				t.Fatal(err)
			}
		}
	}
	s := db.Open(t, testKey(t, 1))
	defer s.Close()
	want := int64(3*responses + 2*conversations + 2*batches)
	if n, err := s.(store.ContentSealer).ResealContent(ctx); err != nil || n.Rewritten != want {
		t.Fatalf("ResealContent = %+v, %v; want %d rewritten", n, err, want)
	}
	for _, q := range contentColumns {
		for _, v := range db.Bytes(t, q) {
			if !seal.Sealed(v) {
				t.Fatalf("%s: a value left clear", q)
			}
		}
	}
}
