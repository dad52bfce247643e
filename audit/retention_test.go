package audit

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"switchyard/store"
)

// TestPrunerFollowsItsPolicy: the pruner deletes what the policy of the
// moment no longer keeps, nothing with a retention of forever, and counts
// what it deleted.
func TestPrunerFollowsItsPolicy(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	m := new(store.Memory)
	for i := 9; i >= 0; i-- { // oldest first
		at := now.Add(-time.Duration(i) * 24 * time.Hour)
		if err := m.AppendAudit(ctx, store.AuditEvent{Time: at, Action: "config.update", Outcome: store.AuditOK}); err != nil {
			t.Fatal(err)
		}
		if _, err := m.AppendConfigVersion(ctx, store.ConfigVersion{Time: at, Source: store.SourceAPI}); err != nil {
			t.Fatal(err)
		}
	}
	policy := Retention{} // forever
	reg := prometheus.NewRegistry()
	p := NewPruner(m, func() Retention { return policy }, PrunerOptions{Now: func() time.Time { return now }, Logger: slog.New(slog.DiscardHandler), Registerer: reg})
	if e, v, err := p.Prune(ctx); err != nil || e != 0 || v != 0 {
		t.Fatalf("forever: deleted %d events, %d versions, %v", e, v, err)
	}
	// Five days back: the events and versions 1 to 5 are older.
	policy = Retention{Age: 5*24*time.Hour - time.Minute, Keep: 3}
	e, v, err := p.Prune(ctx)
	if err != nil || e != 5 || v != 5 {
		t.Fatalf("5 days: deleted %d events, %d versions, %v; want 5 and 5", e, v, err)
	}
	if got := testutil.ToFloat64(p.pruned.WithLabelValues("events")); got != 5 {
		t.Errorf("switchyard_audit_pruned_total{what=events} = %v", got)
	}
	// All but the newest are old, and the 3 newest versions are kept.
	policy = Retention{Age: time.Hour, Keep: 3}
	if e, v, err := p.Prune(ctx); err != nil || e != 4 || v != 2 {
		t.Errorf("an hour: deleted %d events, %d versions, %v; want 4 (the one of now is kept) and 2", e, v, err)
	}
}
