package server

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/config"
	"switchyard/gateway"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// A conversation is the caller's tenant's and key's; it lives
// responses.conversation_retention (as it is at each write) after its
// last write; the additions of items are counted by outcome.
func TestConversationStoreRetentionAndCounts(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/c.db")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	cfg := &config.Config{Responses: config.Responses{Retention: time.Hour, ConversationRetention: 2 * time.Hour}}
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	s := newConversationStore(db, func() *config.Config { return cfg }, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), newStoredContent(func() *config.Config { return cfg }, slog.New(slog.DiscardHandler), nil)).(*conversationStore)
	s.now = func() time.Time { return now }
	ctx := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "acme", Name: "app"})
	c, err := s.Create(ctx, "conv_1", []byte(`{}`), nil)
	if err != nil || c.Tenant != "acme" || c.KeyName != "app" || !c.Expires.Equal(now.Add(2*time.Hour)) {
		t.Fatalf("Create = %+v, %v", c, err)
	}
	now = now.Add(90 * time.Minute)
	cfg = &config.Config{Responses: config.Responses{Retention: time.Hour, ConversationRetention: 3 * time.Hour}}
	if err := s.Append(ctx, "conv_1", []store.ConversationItem{{ID: "msg_1", Item: []byte(`{"id":"msg_1"}`)}}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(150 * time.Minute) // past the first expiry, within the one the append set
	if got, err := s.Get(ctx, "conv_1"); err != nil || !got.Expires.Equal(now.Add(30*time.Minute)) {
		t.Fatalf("after an append: %+v, %v", got, err)
	}
	other := gateway.WithCaller(context.Background(), gateway.Caller{Tenant: "globex"})
	if _, err := s.Get(other, "conv_1"); !errors.Is(err, store.ErrConversationNotFound) {
		t.Errorf("another tenant's get: %v", err)
	}
	if err := s.Append(other, "conv_1", nil); !errors.Is(err, store.ErrConversationNotFound) {
		t.Errorf("another tenant's append: %v", err)
	}
	db.Close()
	if err := s.Append(ctx, "conv_1", nil); err == nil {
		t.Fatal("an append to a closed store succeeded")
	}
	for outcome, want := range map[string]float64{"ok": 1, "gone": 1, "failed": 1} {
		if got := testutil.ToFloat64(s.added.WithLabelValues(outcome)); got != want {
			t.Errorf("added %s: %v, want %v", outcome, got, want)
		}
	}
}
