package storetest

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"switchyard/store"
	"switchyard/store/seal"
)

// This file is the suite of the stored content sealed at rest
// (store.ContentSealer, responses.encryption): what the columns hold as
// plain SQL reads them, rows moved between places, rotation, clear rows
// written before, a missing key.

// SealedDB is one database that the sealing suite opens again with other
// keys and reads and changes with plain SQL, bypassing the store.
type SealedDB struct {
	// Open opens the database (the same each call) with keys (nil: no
	// encryption); the suite closes what it opens.
	Open func(t *testing.T, keys *seal.Keys) store.Store
	// Bytes runs q, a SELECT of one column, and returns its values.
	Bytes func(t *testing.T, q string) [][]byte
	// Exec runs the statement q.
	Exec func(t *testing.T, q string)
}

// RunSealed runs the sealing suite; db returns a new, empty database for
// each subtest.
func RunSealed(t *testing.T, db func(t *testing.T) SealedDB) {
	for _, tt := range []struct {
		name string
		fn   func(*testing.T, SealedDB)
	}{
		{"AtRest", testSealedAtRest},
		{"MovedValues", testSealedMoved},
		{"Rotation", testSealedRotation},
		{"ClearRowsRead", testSealedClearRows},
		{"MissingKey", testSealedMissingKey},
		{"Reseal", testSealedReseal},
		{"ResealPages", testSealedResealPages},
		{"ChatIndexAtRest", testChatIndexAtRest},
		{"ChatIndexRotation", testChatIndexRotation},
		{"ChatIndexBackfill", testChatIndexBackfill},
		{"ChatIndexBackfillRotated", testChatIndexBackfillRotated},
		{"ChatIndexBackfillRacesUpdates", testChatIndexBackfillRacesUpdates},
		{"ChatIndexErased", testChatIndexErased},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, db(t)) })
	}
}

// marker is the text the sealed content holds, searched for in the raw
// columns.
const marker = "MARKER-b7e1-plaintext"

// testKey returns a key of 32 bytes b, and its keys.
func testKey(t *testing.T, b byte, previous ...byte) *seal.Keys {
	t.Helper()
	prev := make([][]byte, len(previous))
	for i, p := range previous {
		prev[i] = bytes.Repeat([]byte{p}, seal.KeySize)
	}
	k, err := seal.New(bytes.Repeat([]byte{b}, seal.KeySize), prev...)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// open opens db with keys, closed when t ends.
func (db SealedDB) open(t *testing.T, keys *seal.Keys) (store.ResponseLog, store.ConversationLog) {
	t.Helper()
	s := db.Open(t, keys)
	t.Cleanup(func() { s.Close() })
	return responseLog(t, s), conversationLog(t, s)
}

// markedResponse is a stored response of tenant whose object, input and
// output hold the marker.
func markedResponse(id, tenant, parent string) *store.Response {
	r := sampleResponse(id, tenant)
	r.Parent = parent
	r.Object = []byte(`{"id":"` + id + `","object":"response","output_text":"` + marker + ` object"}`)
	r.Input = []byte(`[{"id":"msg_` + id + `","type":"message","role":"user","content":[{"type":"input_text","text":"` + marker + ` input"}]}]`)
	r.Output = []byte(`[{"id":"out_` + id + `","type":"message","role":"assistant","content":[{"type":"output_text","text":"` + marker + ` output"}]}]`)
	return r
}

// markedItems returns items holding the marker.
func markedItems(ids ...string) []store.ConversationItem {
	out := items(ids...)
	for i := range out {
		out[i].Item = []byte(`{"id":"` + ids[i] + `","type":"message","content":"` + marker + ` ` + ids[i] + `"}`)
	}
	return out
}

// writeMarked writes, through rl and cl, a response continued by another,
// and a conversation (marked metadata) with items created, appended and
// given to a stored response, its metadata updated.
func writeMarked(t *testing.T, rl store.ResponseLog, cl store.ConversationLog) {
	t.Helper()
	ctx, acme := context.Background(), store.TenantScope("acme")
	for _, r := range []*store.Response{markedResponse("resp_1", "acme", ""), markedResponse("resp_2", "acme", "resp_1")} {
		if err := rl.SaveResponse(ctx, r); err != nil {
			t.Fatalf("SaveResponse(%s): %v", r.ID, err)
		}
	}
	c := sampleConversation("conv_1", "acme")
	c.Metadata = []byte(`{"topic":"` + marker + `"}`)
	createConversation(t, cl, c, markedItems("msg_a", "msg_b")...)
	if err := cl.AppendItems(ctx, acme, "conv_1", markedItems("msg_c"), Base.Add(day), Base); err != nil {
		t.Fatalf("AppendItems: %v", err)
	}
	// In every tenant's scope, as an operator would: sealed at the row's tenant.
	if _, err := cl.UpdateConversation(ctx, store.AllTenants(), "conv_1", []byte(`{"topic":"`+marker+` again"}`), Base.Add(day), Base); err != nil {
		t.Fatalf("UpdateConversation: %v", err)
	}
	r := markedResponse("resp_3", "acme", "")
	r.Conversation, r.ConversationSeq = "conv_1", 3
	if err := rl.SaveResponse(ctx, r); err != nil {
		t.Fatalf("SaveResponse in the conversation: %v", err)
	}
	for _, b := range markedEvents {
		if err := rl.(store.BackgroundLog).AppendEvents(ctx, "acme", "resp_3", b); err != nil {
			t.Fatalf("AppendEvents: %v", err)
		}
	}
	writeMarkedChat(t, rl.(store.ChatCompletionLog))
	f := sampleFile("file-1", "acme", "batch", 0)
	f.Content = []byte(`{"custom_id":"` + marker + `"}` + "\n")
	saveFiles(t, rl.(store.FileLog), f)
	writeMarkedPart(t, rl.(store.UploadLog))
	b := sampleBatch("batch_1", "acme", 0)
	b.Object = []byte(`{"id":"batch_1","metadata":{"k":"` + marker + `"}}`)
	saveBatches(t, rl.(store.BatchLog), b)
	if err := rl.(store.BatchLog).SaveBatchLine(ctx, "acme", "batch_1", store.BatchLine{Index: 0, Data: []byte(`{"custom_id":"` + marker + `"}`)}); err != nil {
		t.Fatalf("SaveBatchLine: %v", err)
	}
}

// writeMarkedPart writes, through ul, an upload's part holding the
// marker (upload_1, part_1).
func writeMarkedPart(t *testing.T, ul store.UploadLog) {
	t.Helper()
	content := `{"custom_id":"` + marker + `"}`
	sampleUpload(t, ul, "upload_1", "acme", int64(len(content)))
	if err := addPart(ul, "upload_1", "part_1", content, 1); err != nil {
		t.Fatalf("AddUploadPart: %v", err)
	}
}

// writeMarkedChat writes, through cl, a stored chat completion whose
// object, messages and metadata hold the marker, its metadata updated in
// every tenant's scope.
func writeMarkedChat(t *testing.T, cl store.ChatCompletionLog) {
	t.Helper()
	c := sampleChat("chatcmpl-1", "acme", "m", 0, `{"k":"`+marker+`"}`)
	c.Object = []byte(`{"id":"chatcmpl-1","object":"chat.completion","choices":[{"message":{"content":"` + marker + ` answer"}}]}`)
	c.Messages = []byte(`[{"role":"user","content":"` + marker + ` question"}]`)
	saveChats(t, cl, c)
	if _, err := cl.UpdateChatCompletion(context.Background(), store.AllTenants(), c.ID, []byte(`{"k":"`+marker+` again"}`), Base); err != nil {
		t.Fatalf("UpdateChatCompletion: %v", err)
	}
}

// markedEvents are two batches of events holding the marker.
var markedEvents = []store.EventBatch{
	{First: 0, Last: 1, Data: []byte("event: a\ndata: {\"delta\":\"" + marker + " 0\"}\n\nevent: a\ndata: {\"delta\":\"1\"}\n\n")},
	{First: 2, Last: 2, Data: []byte("event: b\ndata: {\"delta\":\"" + marker + " 2\"}\n\n")},
}

// contentColumns are the columns holding content, as SELECTs of one
// column.
var contentColumns = []string{
	"SELECT object FROM responses", "SELECT input FROM responses", "SELECT output FROM responses",
	"SELECT metadata FROM conversations", "SELECT item FROM conversation_items", "SELECT data FROM response_events",
	"SELECT object FROM chat_completions", "SELECT messages FROM chat_completions", "SELECT metadata FROM chat_completions",
	"SELECT content FROM files", "SELECT content FROM upload_parts", "SELECT object FROM batches", "SELECT data FROM batch_lines",
}

// testSealedAtRest: with a key, no content column holds the marker as
// plain SQL reads it, each value starts with the header (format 1, the
// key's id); every read gives the content back.
func testSealedAtRest(t *testing.T, db SealedDB) {
	keys := testKey(t, 1)
	rl, cl := db.open(t, keys)
	writeMarked(t, rl, cl)
	id := keys.Current()
	for _, q := range contentColumns {
		vs := db.Bytes(t, q)
		if len(vs) == 0 {
			t.Fatalf("%s: no rows", q)
		}
		for _, v := range vs {
			if bytes.Contains(v, []byte(marker)) || bytes.Contains(v, []byte("MARKER")) {
				t.Errorf("%s: a value holds the content in clear: %q", q, v)
			}
			if len(v) < seal.Overhead || v[0] != seal.Format || !bytes.Equal(v[1:9], id[:]) {
				t.Errorf("%s: a value does not start with the header (1, % x): % x", q, id[:], v[:min(len(v), 9)])
			}
		}
	}
	checkMarkedReads(t, rl, cl)
}

// checkMarkedReads reads back what writeMarked wrote, through every read.
func checkMarkedReads(t *testing.T, rl store.ResponseLog, cl store.ConversationLog) {
	t.Helper()
	ctx, acme := context.Background(), store.TenantScope("acme")
	r, err := rl.GetResponse(ctx, acme, "resp_2", Base)
	if want := markedResponse("resp_2", "acme", "resp_1"); err != nil || !bytes.Equal(r.Object, want.Object) ||
		!bytes.Equal(r.Input, want.Input) || !bytes.Equal(r.Output, want.Output) {
		t.Fatalf("GetResponse = %+v, %v", r, err)
	}
	chain, err := rl.ResponseChain(ctx, acme, "resp_3", Base)
	if err != nil || len(chain) != 2 || strings.Count(string(chain[0].Input), marker) != 3 || !bytes.Contains(chain[1].Object, []byte(marker)) {
		t.Fatalf("ResponseChain in the conversation = %v, %v", chain, err)
	}
	if chain, err := rl.ResponseChain(ctx, acme, "resp_2", Base); err != nil || len(chain) != 2 || !bytes.Equal(chain[0].Output, markedResponse("resp_1", "acme", "").Output) {
		t.Fatalf("ResponseChain = %v, %v", chain, err)
	}
	c, err := cl.GetConversation(ctx, acme, "conv_1", Base)
	if err != nil || string(c.Metadata) != `{"topic":"`+marker+` again"}` {
		t.Fatalf("GetConversation = %+v, %v", c, err)
	}
	its, next, err := cl.ConversationItems(ctx, acme, "conv_1", Base)
	if err != nil || next != 3 || string(its[2].Item) != string(markedItems("msg_c")[0].Item) {
		t.Fatalf("ConversationItems = %v, %d, %v", its, next, err)
	}
	page, err := cl.ListItems(ctx, acme, "conv_1", store.ItemQuery{After: "msg_a", Limit: 1}, Base)
	if err != nil || len(page.Items) != 1 || string(page.Items[0].Item) != string(markedItems("msg_b")[0].Item) {
		t.Fatalf("ListItems = %+v, %v", page, err)
	}
	if it, err := cl.GetItem(ctx, acme, "conv_1", "msg_a", Base); err != nil || string(it.Item) != string(markedItems("msg_a")[0].Item) {
		t.Fatalf("GetItem = %+v, %v", it, err)
	}
	if f, ok := cl.(store.ConversationItemFinder); ok {
		if it, conv, err := f.FindItem(ctx, acme, "msg_b", Base); err != nil || conv != "conv_1" || string(it.Item) != string(markedItems("msg_b")[0].Item) {
			t.Fatalf("FindItem = %+v, %q, %v", it, conv, err)
		}
	}
	if evs, err := rl.(store.BackgroundLog).Events(ctx, acme, "resp_3", 0, Base); err != nil || len(evs) != 2 || !bytes.Equal(evs[1].Data, markedEvents[1].Data) {
		t.Fatalf("Events = %+v, %v", evs, err)
	}
	if c, err := rl.(store.FileLog).FileContent(ctx, acme, "file-1", Base); err != nil || !bytes.Contains(c, []byte(marker)) {
		t.Fatalf("FileContent = %q, %v", c, err)
	}
	if c, err := rl.(store.UploadLog).UploadPartContent(ctx, acme, "upload_1", "part_1"); err != nil || !bytes.Contains(c, []byte(marker)) {
		t.Fatalf("UploadPartContent = %q, %v", c, err)
	}
	if b, err := rl.(store.BatchLog).GetBatch(ctx, acme, "batch_1", Base); err != nil || !bytes.Contains(b.Object, []byte(marker)) {
		t.Fatalf("GetBatch = %+v, %v", b, err)
	}
	if ls, err := rl.(store.BatchLog).BatchLines(ctx, "acme", "batch_1"); err != nil || len(ls) != 1 || !bytes.Contains(ls[0].Data, []byte(marker)) {
		t.Fatalf("BatchLines = %+v, %v", ls, err)
	}
	if c, err := cl.DeleteItem(ctx, acme, "conv_1", "msg_a", Base.Add(day), Base); err != nil || !bytes.Contains(c.Metadata, []byte(marker)) {
		t.Fatalf("DeleteItem = %+v, %v", c, err)
	}
}

// unreadable fails t unless err is store.ErrUnreadable without the
// content in its text.
func unreadable(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, store.ErrUnreadable) || strings.Contains(err.Error(), "MARKER") {
		t.Errorf("%s: %v, want store.ErrUnreadable (without the content)", what, err)
	}
}

// testSealedMoved: a sealed value copied with plain SQL to another row,
// or a row given to another tenant, does not open: every read of it is
// ErrUnreadable, never the content.
func testSealedMoved(t *testing.T, db SealedDB) {
	rl, cl := db.open(t, testKey(t, 1))
	writeMarked(t, rl, cl)
	ctx, acme := context.Background(), store.TenantScope("acme")
	db.Exec(t, "UPDATE responses SET input = (SELECT input FROM responses WHERE id = 'resp_2') WHERE id = 'resp_1'")
	db.Exec(t, "UPDATE responses SET object = (SELECT output FROM responses WHERE id = 'resp_3') WHERE id = 'resp_3'")
	_, err := rl.GetResponse(ctx, acme, "resp_1", Base)
	unreadable(t, "GetResponse of a row given another row's input", err)
	_, err = rl.ResponseChain(ctx, acme, "resp_2", Base)
	unreadable(t, "ResponseChain through it", err)
	_, err = rl.GetResponse(ctx, acme, "resp_3", Base)
	unreadable(t, "GetResponse of a row given its output as object", err)
	db.Exec(t, "UPDATE response_events SET data = (SELECT data FROM response_events WHERE first_seq = 0) WHERE first_seq = 2")
	_, err = rl.(store.BackgroundLog).Events(ctx, acme, "resp_3", 0, Base)
	unreadable(t, "Events of a batch given another's data", err)

	db.Exec(t, "UPDATE responses SET tenant = 'globex' WHERE id = 'resp_2'")
	_, err = rl.GetResponse(ctx, store.TenantScope("globex"), "resp_2", Base)
	unreadable(t, "GetResponse of a row moved to another tenant", err)

	c := sampleConversation("conv_2", "acme")
	c.Metadata = []byte(`{"topic":"other"}`)
	createConversation(t, cl, c, markedItems("msg_a", "msg_x")...)
	db.Exec(t, "UPDATE conversation_items SET item = (SELECT item FROM conversation_items WHERE conversation = 'conv_1' AND id = 'msg_a') WHERE conversation = 'conv_2' AND id = 'msg_a'")
	_, _, err = cl.ConversationItems(ctx, acme, "conv_2", Base)
	unreadable(t, "ConversationItems holding another conversation's item", err)
	_, err = cl.GetItem(ctx, acme, "conv_2", "msg_a", Base)
	unreadable(t, "GetItem of it", err)
	db.Exec(t, "UPDATE conversation_items SET item = (SELECT item FROM conversation_items WHERE conversation = 'conv_2' AND id = 'msg_x') WHERE conversation = 'conv_2' AND id = 'msg_a'")
	_, err = cl.GetItem(ctx, acme, "conv_2", "msg_a", Base)
	unreadable(t, "GetItem of an item given another item's value", err)
	db.Exec(t, "UPDATE conversations SET metadata = (SELECT metadata FROM conversations WHERE id = 'conv_1') WHERE id = 'conv_2'")
	_, err = cl.GetConversation(ctx, acme, "conv_2", Base)
	unreadable(t, "GetConversation given another's metadata", err)
	db.Exec(t, "UPDATE conversations SET tenant = 'globex' WHERE id = 'conv_1'")
	_, err = cl.GetConversation(ctx, store.TenantScope("globex"), "conv_1", Base)
	unreadable(t, "GetConversation moved to another tenant", err)
	testSealedMovedBatches(t, db, rl.(store.BatchLog))
}

// testSealedMovedBatches: a batch's line result copied to another line,
// or a file's content to another file, does not open.
func testSealedMovedBatches(t *testing.T, db SealedDB, bl store.BatchLog) {
	ctx := context.Background()
	if err := bl.SaveBatchLine(ctx, "acme", "batch_1", store.BatchLine{Index: 1, Data: []byte(`{"custom_id":"other"}`)}); err != nil {
		t.Fatal(err)
	}
	db.Exec(t, "UPDATE batch_lines SET data = (SELECT data FROM batch_lines WHERE line = 0) WHERE line = 1")
	_, err := bl.BatchLines(ctx, "acme", "batch_1")
	unreadable(t, "BatchLines holding another line's result", err)
	fl := bl.(store.FileLog)
	saveFiles(t, fl, sampleFile("file-2", "acme", "batch", 1))
	db.Exec(t, "UPDATE files SET content = (SELECT content FROM files WHERE id = 'file-1') WHERE id = 'file-2'")
	_, err = fl.FileContent(ctx, store.TenantScope("acme"), "file-2", Base)
	unreadable(t, "FileContent of another file's content", err)
}
