package adaptive

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchyard/learn/bandit"
	"switchyard/state"
	"switchyard/state/memory"
)

// lossy is a shared state whose replies to additions are lost while lost
// is set: each addition is made, then the caller gets an error (a network that dropped
// the answer, or a timeout that fired once the script had run).
type lossy struct {
	state.Store
	mu   sync.Mutex
	lost bool
}

func (f *lossy) drop(adds bool, got map[string]float64, err error) (map[string]float64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err == nil && adds && f.lost {
		return nil, fmt.Errorf("%w: i/o timeout", state.ErrUnavailable)
	}
	return got, err
}

func (f *lossy) AddFloats(ctx context.Context, key string, d map[string]float64, ttl time.Duration) (map[string]float64, error) {
	got, err := f.Store.AddFloats(ctx, key, d, ttl)
	return f.drop(len(d) > 0, got, err)
}

func (f *lossy) AddFloatsOnce(ctx context.Context, key string, once state.Once, d map[string]float64, ttl time.Duration) (map[string]float64, error) {
	got, err := f.Store.AddFloatsOnce(ctx, key, once, d, ttl)
	return f.drop(len(d) > 0, got, err)
}

// TestSharedReplyLost: a merge whose reply was lost, though Redis made
// it, is not added again when it is retried: once the shared state
// answers, every outcome counts once.
func TestSharedReplyLost(t *testing.T) {
	c := newClock()
	sh := &lossy{Store: memory.New(memory.Options{Now: c.Now}), lost: true}
	l := newLearner(t, c, Options{HalfLife: map[string]time.Duration{"auto": time.Hour}, Shared: sh, SyncEvery: time.Hour})
	rate(l, "r1", "cheap", 1)
	if err := l.Flush(context.Background()); !errors.Is(err, state.ErrUnavailable) {
		t.Fatalf("Flush with the reply lost: %v", err)
	}
	sh.mu.Lock()
	sh.lost = false
	sh.mu.Unlock()
	rate(l, "r2", "cheap", 0)
	flush(t, l)
	flush(t, l)
	if got := l.Snapshot().Counts(key("cheap", "", bandit.Global)); got != (bandit.Counts{Good: 1, Bad: 1}) {
		t.Errorf("after the shared state answers again: %+v, want {1 1}: the merge whose reply was lost counted twice", got)
	}
}
