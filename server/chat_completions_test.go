package server

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// A stored chat completion is the caller's tenant's and key's; it lives
// responses.chat_completions.retention; responses.redact masks what is
// stored; the saves are counted by outcome, a failure logged.
func TestChatStoreOwnerRetentionMaskCounts(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/c.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Responses: config.Responses{Redact: config.RedactSecrets, ChatCompletions: config.ChatCompletions{Retention: time.Hour}}}
	serving := func() *config.Config { return cfg }
	s := newChatStore(db, serving, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), newStoredContent(serving, slog.New(slog.DiscardHandler), nil)).(*chatStore)
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return now }
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme", Name: "app"})
	sent := &store.ChatCompletion{ID: "chatcmpl-1", Model: "m", Object: []byte(`{"id":"chatcmpl-1","object":"chat.completion"}`),
		Messages: []byte(`[{"role":"user","content":"my key is ` + promptKey + `"}]`), Metadata: []byte(`{"k":"v"}`)}
	if err := s.Save(ctx, sent); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sent.Messages), promptKey) {
		t.Error("Save changed the caller's completion")
	}
	got, err := s.Get(ctx, "chatcmpl-1")
	if err != nil || got.Tenant != "acme" || got.KeyName != "app" || !got.Expires.Equal(now.Add(time.Hour)) {
		t.Fatalf("Get = %+v, %v", got, err)
	}
	if strings.Contains(string(got.Messages), promptKey) {
		t.Errorf("the key was stored: %s", got.Messages)
	}
	if _, err := s.Get(gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "globex"}), "chatcmpl-1"); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("another tenant's Get: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := s.Get(ctx, "chatcmpl-1"); !errors.Is(err, store.ErrChatCompletionNotFound) {
		t.Errorf("an expired completion's Get: %v", err)
	}
	if !s.Storing() {
		t.Error("storing off by default")
	}
	cfg = &config.Config{Responses: config.Responses{ChatCompletions: config.ChatCompletions{Store: new(false), Retention: time.Hour}}}
	if s.Storing() {
		t.Error("storing on with responses.chat_completions.store false")
	}
	db.Close()
	if err := s.Save(ctx, sent); err == nil {
		t.Fatal("a save to a closed store succeeded")
	}
	for outcome, want := range map[string]float64{"ok": 1, "failed": 1} {
		if got := testutil.ToFloat64(s.saved.WithLabelValues(outcome)); got != want {
			t.Errorf("saved %s: %v, want %v", outcome, got, want)
		}
	}
}
