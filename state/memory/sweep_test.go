package memory

import (
	"context"
	"fmt"
	"testing"
	"time"

	"switchyard/state"
	"switchyard/state/statetest"
)

// TestSweepDropsExpired: keys never touched again are dropped once they
// expire, so the maps do not grow with every key ever seen.
func TestSweepDropsExpired(t *testing.T) {
	ctx := context.Background()
	c := statetest.NewClock()
	b := New(Options{Now: c.Now})
	for i := range 100 {
		key := fmt.Sprint("k", i)
		if _, err := b.Reserve(ctx, state.BudgetRequest{Key: key, Amount: 1, Limit: 10, Period: state.Day, TTL: time.Minute}); err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.Allow(ctx, key, 1, 10, time.Minute); err != nil {
			t.Fatal(err)
		}
		if _, _, err := b.Acquire(ctx, key, 1, time.Minute); err != nil {
			t.Fatal(err)
		}
		if err := b.Set(ctx, key, []byte("x"), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(48 * time.Hour)
	for range sweepEvery {
		if _, _, err := b.Get(ctx, "other"); err != nil {
			t.Fatal(err)
		}
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if n := len(b.budgets) + len(b.tats) + len(b.sems) + len(b.values); n != 0 {
		t.Errorf("%d budgets, %d rate keys, %d semaphores, %d values left after they all expired",
			len(b.budgets), len(b.tats), len(b.sems), len(b.values))
	}
}
