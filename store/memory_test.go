package store_test

import (
	"context"
	"testing"

	"switchyard/store"
	"switchyard/store/storetest"
)

func TestMemoryConformance(t *testing.T) {
	storetest.RunHistory(t, func(*testing.T) storetest.History { return new(store.Memory) })
}

// TestMemoryKeepsNewest: past MemoryAuditLimit events, the oldest go.
func TestMemoryKeepsNewest(t *testing.T) {
	m := new(store.Memory)
	ctx := context.Background()
	for range store.MemoryAuditLimit + 5 {
		if err := m.AppendAudit(ctx, store.AuditEvent{Action: "auth.failed", Outcome: store.AuditDenied}); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	f := store.AuditFilter{Limit: store.MaxLimit}
	var last int64
	for {
		p, err := m.ListAudit(ctx, store.AllTenants(), f)
		if err != nil {
			t.Fatal(err)
		}
		n += len(p.Events)
		if len(p.Events) > 0 {
			last = p.Events[len(p.Events)-1].ID
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if n != store.MemoryAuditLimit || last != 6 {
		t.Errorf("kept %d events, oldest id %d; want %d, 6", n, last, store.MemoryAuditLimit)
	}
}
