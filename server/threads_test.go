package server

import (
	"context"
	"errors"
	"log/slog"
	"testing"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// Message threads share the stored responses' table, each API finding
// only its own ids: a thread's turn (msg_) is not found by the Responses
// API, a response (resp_) is not found by a thread; a turn is its
// tenant's alone, and threads are held only while responses are stored.
func TestThreadStoreKeepsItsOwnIDs(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Responses: config.Responses{Retention: config.DefaultResponsesRetention}}
	serving := func() *config.Config { return cfg }
	rs := newResponseStore(db, serving, slog.New(slog.DiscardHandler), nil, newStoredContent(serving, slog.New(slog.DiscardHandler), nil))
	th := threadsAPI(rs)
	acme := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme", Name: "app"})
	globex := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "globex", Name: "app"})
	turn := func(id, parent string) *store.Response {
		return &store.Response{ID: id, Parent: parent, Model: "m", Status: "completed", Object: []byte(`{}`),
			Input: []byte(`{"messages":[{"role":"user","content":"hi"}]}`), Output: []byte(`[{"role":"assistant","content":[]}]`)}
	}
	if err := th.Save(acme, turn("msg_1", "")); err != nil {
		t.Fatal(err)
	}
	if err := th.Save(acme, turn("msg_2", "msg_1")); err != nil {
		t.Fatal(err)
	}
	if err := rs.Save(acme, &store.Response{ID: "resp_1", Object: []byte(`{}`), Input: []byte(`[]`), Output: []byte(`[]`)}); err != nil {
		t.Fatal(err)
	}
	if chain, err := th.Chain(acme, "msg_2"); err != nil || len(chain) != 2 || chain[0].ID != "msg_1" {
		t.Fatalf("chain %v, %v", chain, err)
	}
	for what, err := range map[string]error{
		"another tenant's turn": second(th.Chain(globex, "msg_2")),
		"a response as a turn":  second(th.Chain(acme, "resp_1")),
		"a turn as a response":  second(rs.Load(acme, "msg_1")),
		"a turn's chain":        second(rs.Chain(acme, "msg_2")),
		"a turn deleted":        rs.Delete(acme, "msg_1"),
		"a response saved":      th.Save(acme, turn("resp_2", "")),
	} {
		if !errors.Is(err, store.ErrResponseNotFound) {
			t.Errorf("%s: %v", what, err)
		}
	}
	if !th.Holding() {
		t.Error("threads not held while responses are stored")
	}
	cfg.Responses.Store = new(bool)
	if th.Holding() {
		t.Error("threads held with responses.store false")
	}
}

// second is the error of a two-value result.
func second[T any](_ T, err error) error { return err }
