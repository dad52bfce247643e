package store_test

import (
	"context"
	"errors"
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

// FuzzDecodeAuditCursor: a cursor from outside decodes to an id the
// encoder gives back, or to ErrBadCursor; never a panic.
func FuzzDecodeAuditCursor(f *testing.F) {
	for _, s := range []string{store.EncodeAuditCursor(1), store.EncodeAuditCursor(1 << 62), "", "x", "YXVkaXQ6LTE", "YXVkaXQ6"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := store.DecodeAuditCursor(s)
		if err != nil {
			if !errors.Is(err, store.ErrBadCursor) {
				t.Fatalf("error %v is not ErrBadCursor", err)
			}
			return
		}
		if id <= 0 {
			t.Fatalf("decoded id %d", id)
		}
		if again, err := store.DecodeAuditCursor(store.EncodeAuditCursor(id)); err != nil || again != id {
			t.Fatalf("round trip of %d: %d, %v", id, again, err)
		}
	})
}
