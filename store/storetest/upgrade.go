package storetest

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"switchyard/store"
)

// oldRow is a row as a binary that knew only migration 1 wrote it, in SQL
// both back ends accept.
const oldRow = `INSERT INTO requests (id, time_ns, tenant, key_name, endpoint, route, pinned, deployment,
	category, confidence, status, error_kind, stream_failed, failed, stream, fallback, resumed_from,
	prompt_tokens, cached_read_tokens, cache_write_tokens, completion_tokens, reasoning_tokens,
	cost_usd, cost_estimated, latency_ns, ttft_ns, signal_flags, features, explanation, attempts, signals)
VALUES ('req_v1', 1772366400000000000, 'acme', 'k', 'chat', 'auto', '', 'gpt-4o-mini',
	'factual', 0.5, 200, '', false, false, false, false, '',
	10, 0, 0, 20, 0, 0.25, false, 1000000, 0, 0, '{}', '{}', 'null', '{}')`

// oldFailedRow is a failed request an older binary wrote: its cost was
// billed, but no answer was served.
var oldFailedRow = strings.NewReplacer("'req_v1'", "'req_v1_failed'", "200, '', false, false", "502, 'upstream', false, true").Replace(oldRow)

// RunUpgrade checks the migrations a newer binary applies to a database
// an older one left: exec runs SQL on a fresh, empty database; v1 is the
// back end's first migration (0001_requests.sql); open opens the store
// on that database, applying the rest. A row written before the upgrade
// reads back without bodies; a row written after keeps them.
func RunUpgrade(t *testing.T, v1 string, exec func(sql string) error, open func() (store.Store, error)) {
	for _, q := range []string{
		v1,
		"CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at_ns BIGINT NOT NULL)",
		"INSERT INTO schema_migrations VALUES (1, 'requests', 0)",
		oldRow,
		oldFailedRow,
	} {
		if err := exec(q); err != nil {
			t.Fatalf("preparing a version 1 database: %v\n%s", err, q)
		}
	}
	s, err := open()
	if err != nil {
		t.Fatalf("open (migrating from version 1): %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	old, err := s.Get(ctx, store.TenantScope("acme"), "req_v1")
	if err != nil {
		t.Fatalf("Get of a version 1 row: %v", err)
	}
	if old.Bodies != nil || old.Route != "auto" || old.Tokens.Completion != 20 || old.CostUSD != 0.25 {
		t.Errorf("version 1 row after the upgrade = %+v", old)
	}
	// Migration 5: a row written before has propensity 1.
	if old.Propensity != 1 {
		t.Errorf("version 1 row after migration 5: propensity %v, want 1", old.Propensity)
	}
	// Migration 3: a row that answered takes its total as its served cost.
	if old.ServedCostUSD != 0.25 || old.CostUnknown {
		t.Errorf("version 1 row after migration 3: served_cost_usd %v, cost_unknown %v; want 0.25, false", old.ServedCostUSD, old.CostUnknown)
	}
	if failed, err := s.Get(ctx, store.TenantScope("acme"), "req_v1_failed"); err != nil || failed.ServedCostUSD != 0 || failed.CostUSD != 0.25 || failed.Status != 502 {
		t.Errorf("failed version 1 row after migration 3 = %+v, %v; want served_cost_usd 0", failed, err)
	}
	// Migration 24: a batch's lines left to the router are kept.
	bl := batchLog(t, s)
	saveBatches(t, bl, sampleBatch("batch_up", "acme", 0))
	retry := []store.BatchRetry{{Index: 2, Earlier: []byte(`{}`)}}
	if err := bl.SaveBatchRetries(ctx, "acme", "batch_up", retry); err != nil {
		t.Errorf("SaveBatchRetries after the upgrade: %v", err)
	} else if got, err := bl.BatchRetries(ctx, "acme", "batch_up"); err != nil || !reflect.DeepEqual(got, retry) {
		t.Errorf("BatchRetries after the upgrade = %+v, %v; want %+v", got, err, retry)
	}
	fresh := Sample(1)
	fresh.Bodies = SampleBodies()
	write(t, s, fresh)
	got, err := s.Get(ctx, store.TenantScope("acme"), fresh.ID)
	if err != nil || !reflect.DeepEqual(got.Bodies, fresh.Bodies) {
		t.Errorf("bodies after the upgrade = %+v, %v; want %+v", got.Bodies, err, fresh.Bodies)
	}
}

// RunPlaceholderUpgrade checks a database migrated by a binary that held
// migration 6 as a placeholder (0006_reserved.sql, which changed nothing,
// while the keys' migration was written elsewhere): opening it with this
// binary applies 0006_keys, and managed keys work. exec runs SQL on the
// database open opens.
func RunPlaceholderUpgrade(t *testing.T, exec func(sql string) error, open func() (store.Store, error)) {
	s, err := open()
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	s.Close()
	// What the placeholder binary left: migration 6 recorded, no keys table.
	for _, q := range []string{"DROP TABLE keys", "UPDATE schema_migrations SET name = 'reserved' WHERE version = 6"} {
		if err := exec(q); err != nil {
			t.Fatalf("preparing a placeholder database: %v\n%s", err, q)
		}
	}
	s, err = open()
	if err != nil {
		t.Fatalf("open (migrating past the placeholder): %v", err)
	}
	defer s.Close()
	ctx := context.Background()
	k := SampleKey(1)
	if err := s.CreateKey(ctx, k); err != nil {
		t.Fatalf("CreateKey after the upgrade: %v", err)
	}
	if got, err := s.ListKeys(ctx, store.AllTenants()); err != nil || len(got) != 1 || got[0].ID != k.ID {
		t.Errorf("ListKeys after the upgrade = %v, %v; want the key created", got, err)
	}
	s.Close()
	if s, err = open(); err != nil { // a second start applies nothing
		t.Fatalf("reopen: %v", err)
	}
	s.Close()
}
