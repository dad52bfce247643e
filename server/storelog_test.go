package server

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"switchyard/config"
	"switchyard/store"
	"switchyard/store/sqlite"
)

// storeConfig has a credential in every place a config holds one.
const storeConfig = `
auth:
  keys: [{key: client-key-alpha-42, name: backend}]
  admin_keys: [{key: admin-key-bravo-42, name: ops}]
providers:
  openai:
    kind: openai
    base_url: "http://127.0.0.1:9/v1"
    api_key: provider-key-charlie-42
    api_keys: [pool-key-delta-42]
    endpoints: [{base_url: "http://127.0.0.1:9/v2", api_key: member-key-echo-42}]
    headers: {X-Gateway-Auth: header-value-foxtrot-42}
deployments:
  gpt-4o-mini: {provider: openai}
store:
  bodies: redacted
  redact_patterns: [{name: employee_id, pattern: 'EMP-\d{6}'}]
`

var storeConfigSecrets = []string{"client-key-alpha-42", "admin-key-bravo-42", "provider-key-charlie-42",
	"pool-key-delta-42", "member-key-echo-42", "header-value-foxtrot-42"}

func TestBodyRedactorMasksEveryConfiguredCredential(t *testing.T) {
	cfg, err := config.Parse([]byte(storeConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	text := "pasted: " + strings.Join(storeConfigSecrets, " and ") + " for EMP-123456"
	red, err := bodyRedactor(cfg)
	if err != nil {
		t.Fatal(err)
	}
	got := red.Redact(text)
	if !strings.HasSuffix(got, " for [REDACTED:employee_id]") {
		t.Errorf("the custom pattern did not mask EMP-123456: %q", got)
	}
	for _, s := range storeConfigSecrets {
		if strings.Contains(got, s) {
			t.Errorf("%s not masked: %q", s, got)
		}
	}
	if n := strings.Count(got, "[REDACTED:secret]"); n != len(storeConfigSecrets) {
		t.Errorf("%d secrets masked, want %d: %q", n, len(storeConfigSecrets), got)
	}
}

func TestRouterStartsAndFlushesTheRequestLog(t *testing.T) {
	cfg, err := config.Parse([]byte(storeConfig), nil)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	plain, err := NewRouter(cfg, RouterOptions{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Writer != nil {
		t.Error("a router without a store has a writer")
	}
	plain.Close(context.Background())

	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "switchyard.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	r, err := NewRouter(cfg, RouterOptions{Logger: log, Store: db})
	if err != nil {
		t.Fatal(err)
	}
	if r.Writer == nil {
		t.Fatal("a router with a store has no writer")
	}
	mfs, err := r.Registry.Gather()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, mf := range mfs {
		names = append(names, mf.GetName())
	}
	if !strings.Contains(strings.Join(names, " "), "switchyard_store_dropped_total") {
		t.Errorf("the writer's metrics are not exported: %v", names)
	}
	if err := r.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := r.Writer.Close(context.Background()); !errors.Is(err, store.ErrClosed) {
		t.Errorf("after Router.Close, the writer is still open (Close: %v)", err)
	}
}
