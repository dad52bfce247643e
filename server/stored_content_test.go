package server

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
	"switchyard/store/seal"
	"switchyard/store/sqlite"
)

// What a prompt holds: a key, a card, an email.
const (
	promptKey   = "sk-proj-Ab12Cd34Ef56Gh78Ij90"
	promptCard  = "4111 1111 1111 1111"
	promptEmail = "jane.doe@example.com"
	promptText  = "key " + promptKey + ", card " + promptCard + ", mail " + promptEmail
)

// responses.redact masks what is stored of a response and of a
// conversation (metadata, created and appended items): secrets the
// credentials only, all personal data too, none nothing; the response
// the caller holds is left as it is. A change of configuration applies
// to the next write.
func TestStoredContentRedacted(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/r.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Responses: config.Responses{Retention: config.DefaultResponsesRetention, ConversationRetention: config.DefaultResponsesRetention}}
	serving := func() *config.Config { return cfg }
	content := newStoredContent(serving, slog.New(slog.DiscardHandler), nil)
	rs := newResponseStore(db, serving, slog.New(slog.DiscardHandler), nil, content)
	cs := newConversationStore(db, serving, slog.New(slog.DiscardHandler), nil, content)
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme", Name: "app"})
	item := []byte(`{"id":"msg_1","type":"message","role":"user","content":[{"type":"input_text","text":"` + promptText + `"}]}`)
	for _, tc := range []struct {
		redact     string
		key, other bool // kept in clear
	}{{config.RedactNone, true, true}, {config.RedactSecrets, false, true}, {config.RedactAll, false, false}} {
		cfg = &config.Config{Responses: cfg.Responses}
		cfg.Responses.Redact = tc.redact
		r := &store.Response{ID: "resp_" + tc.redact, Status: "completed", Object: []byte(`{"output_text":"` + promptText + `"}`),
			Input: append([]byte("["), append(item, ']')...), Output: []byte(`[]`)}
		if err := rs.Save(ctx, r); err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(r.Input, []byte(promptKey)) {
			t.Errorf("%s: the caller's response was masked", tc.redact)
		}
		got, err := rs.Load(ctx, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		conv := "conv_" + tc.redact
		if created, err := cs.Create(ctx, conv, []byte(`{"note":"`+promptText+`"}`), []store.ConversationItem{{ID: "msg_1", Item: item}}); err != nil || !bytes.Contains(created.Metadata, []byte(promptKey)) {
			t.Fatalf("Create = %+v, %v; want the metadata as sent", created, err)
		}
		if err := cs.Append(ctx, conv, []store.ConversationItem{{ID: "msg_2", Item: item}}); err != nil {
			t.Fatal(err)
		}
		if updated, err := cs.Update(ctx, conv, []byte(`{"note":"`+promptText+`"}`)); err != nil || !bytes.Contains(updated.Metadata, []byte(promptKey)) {
			t.Fatalf("Update = %+v, %v; want the metadata as sent", updated, err)
		}
		c, _ := cs.Get(ctx, conv)
		items, _, err := cs.Items(ctx, conv)
		if err != nil || len(items) != 2 {
			t.Fatalf("Items = %v, %v", items, err)
		}
		for what, v := range map[string][]byte{"object": got.Object, "input": got.Input, "metadata": c.Metadata, "created item": items[0].Item, "appended item": items[1].Item} {
			if k := bytes.Contains(v, []byte(promptKey)); k != tc.key {
				t.Errorf("redact %s: %s keeps the key: %v (%s)", tc.redact, what, k, v)
			}
			if o := bytes.Contains(v, []byte(promptEmail)) && bytes.Contains(v, []byte(promptCard)); o != tc.other {
				t.Errorf("redact %s: %s keeps the email and card: %v (%s)", tc.redact, what, o, v)
			}
		}
	}
}

// Content that does not open is logged once per missing key (and once
// per altered row), with the key's id and never the content; every read
// is counted by reason.
func TestUnreadableLoggedOnce(t *testing.T) {
	path := t.TempDir() + "/r.db"
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	keys, err := seal.New(bytes.Repeat([]byte{7}, seal.KeySize))
	if err != nil {
		t.Fatal(err)
	}
	db.SealWith(keys)
	cfg := &config.Config{Responses: config.Responses{Retention: config.DefaultResponsesRetention}}
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme"})
	var logs lockedBuffer
	reg := prometheus.NewRegistry()
	content := newStoredContent(func() *config.Config { return cfg }, slog.New(slog.NewTextHandler(&logs, nil)), reg)
	rs := newResponseStore(db, func() *config.Config { return cfg }, slog.New(slog.DiscardHandler), nil, content)
	for _, id := range []string{"resp_1", "resp_2"} {
		if err := rs.Save(ctx, &store.Response{ID: id, Object: []byte(`{"t":"` + promptText + `"}`), Input: []byte(`[]`), Output: []byte(`[]`)}); err != nil {
			t.Fatal(err)
		}
	}
	db.SealWith(nil) // as a router without the key
	for range 3 {
		for _, id := range []string{"resp_1", "resp_2"} {
			if _, err := rs.Load(ctx, id); !errors.Is(err, store.ErrUnreadable) {
				t.Fatalf("Load without the key: %v", err)
			}
		}
	}
	out := logs.String()
	if n := strings.Count(out, "not configured with"); n != 1 || !strings.Contains(out, "key_id="+keys.Current().String()) || strings.Contains(out, promptKey) {
		t.Errorf("%d log lines for the missing key (want 1, with its id, without the content):\n%s", n, out)
	}
	if n := testutil.ToFloat64(content.unreadable.WithLabelValues("missing_key")); n != 6 {
		t.Errorf("counted %v missing_key reads, want 6", n)
	}
	if err := content.check(ctx, errors.New("database is down")); err == nil || strings.Count(logs.String(), "level=") != 1 {
		t.Errorf("another error was logged or lost: %v\n%s", err, logs.String())
	}
}
