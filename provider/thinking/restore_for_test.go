package thinking

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/state/memory"
)

// countingStore is a Store that counts the keys it is asked for.
type countingStore struct {
	Store
	gets atomic.Int64
}

func (c *countingStore) Get(ctx context.Context, key string) ([]byte, bool, error) {
	c.gets.Add(1)
	return c.Store.Get(ctx, key)
}

// A request that does not think gets no Claude thinking back (Claude is
// sent none without thinking), and does not ask the shared tier for it:
// only the signatures of the turn's calls are looked up.
func TestRestoreForNoThinking(t *testing.T) {
	m := New(0, 0)
	m.Keep("acme", []string{"call_1"}, blocks)
	if _, ok := m.RestoreFor(ctx, "acme", loop("call_1", nil), false); ok {
		t.Error("thinking restored for a request that does not think")
	}
	if got, ok := m.RestoreFor(ctx, "acme", loop("call_1", nil), true); !ok || len(got[1].Thinking()) != 1 {
		t.Error("thinking not restored for a request that thinks")
	}

	store := &countingStore{Store: memory.New(memory.Options{})}
	shared := openShared(t, store, Options{TTL: time.Minute})
	shared.RestoreFor(ctx, "acme", loop("call_7", nil), false)
	if n := store.gets.Load(); n != 1 {
		t.Errorf("a turn of one call asked the shared tier for %d keys without thinking, want 1 (its signature)", n)
	}
	shared.RestoreFor(ctx, "acme", loop("call_8", nil), true)
	if n := store.gets.Load(); n != 3 {
		t.Errorf("with thinking, %d keys in all, want 3 (thinking and signature)", n)
	}
}
