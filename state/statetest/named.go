package statetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"switchyard/state"
)

// named is a request for a named reservation (BudgetRequest.ID).
func named(key, id string, amount, limit int64, ttl time.Duration) state.BudgetRequest {
	return state.BudgetRequest{Key: key, Amount: amount, Limit: limit, Period: state.Day, TTL: ttl, ID: id}
}

// testBudgetNamed: a named reservation is held once however many times,
// and from whichever back end, it is reserved; reserving it again
// renews its ttl; it is settled once (a second settle charges nothing
// and says ErrSettled, as a reserve after the settle does); Force holds
// past the limit.
func testBudgetNamed(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	c.Advance(2 * time.Minute) // into a new day: the test spans hours
	r1 := reserve(t, a, named("nm", "batch_1:0", 30, 100, time.Hour))
	if r1.ID != "batch_1:0" || !r1.Named || r1.Amount != 30 || r1.Used != 30 {
		t.Fatalf("first reservation = %+v", r1)
	}
	c.Advance(50 * time.Minute)
	again := reserve(t, b, named("nm", "batch_1:0", 30, 100, time.Hour))
	if again.Amount != 30 || again.Used != 30 || again.ID != r1.ID {
		t.Errorf("reserved again = %+v, want the first one, held once", again)
	}
	wantUsage(t, a, "nm", state.Day, 0, 30)
	c.Advance(50 * time.Minute) // past the first ttl, within the renewed one
	wantUsage(t, b, "nm", state.Day, 0, 30)
	if _, err := a.Reserve(ctx, named("nm", "batch_1:1", 80, 100, time.Hour)); !errors.Is(err, state.ErrBudgetExceeded) {
		t.Errorf("a named reservation past the limit: %v, want refused", err)
	}
	forced := named("nm", "batch_1:1", 80, 100, time.Hour)
	forced.Force = true
	if r := reserve(t, a, forced); r.Used != 110 {
		t.Errorf("a forced reservation = %+v, want held past the limit", r)
	}
	if err := a.Settle(ctx, r1, 12); err != nil {
		t.Errorf("Settle: %v", err)
	}
	wantUsage(t, b, "nm", state.Day, 12, 80)
	if err := b.Settle(ctx, r1, 12); !errors.Is(err, state.ErrSettled) {
		t.Errorf("a second Settle: %v, want ErrSettled", err)
	}
	if _, err := b.Reserve(ctx, named("nm", "batch_1:0", 30, 100, time.Hour)); !errors.Is(err, state.ErrSettled) {
		t.Errorf("Reserve after Settle: %v, want ErrSettled", err)
	}
	wantUsage(t, a, "nm", state.Day, 12, 80)
	r2 := state.Reservation{Key: "nm", Period: state.Day, ID: "batch_1:1", Named: true}
	if err := b.Release(ctx, r2); err != nil {
		t.Errorf("Release by name: %v", err)
	}
	if err := a.Release(ctx, r2); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("a second Release: %v, want ErrNotHeld", err)
	}
	wantUsage(t, a, "nm", state.Day, 12, 0)
	// Settled though never held (it lapsed): charged once.
	lost := state.Reservation{Key: "nm", Period: state.Day, ID: "batch_1:2", Named: true}
	if err := a.Settle(ctx, lost, 5); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("Settle of a lapsed one: %v, want ErrNotHeld", err)
	}
	if err := b.Settle(ctx, lost, 5); !errors.Is(err, state.ErrSettled) {
		t.Errorf("its second Settle: %v, want ErrSettled", err)
	}
	wantUsage(t, b, "nm", state.Day, 17, 0)
}

// testBudgetNamedExpiry: a named reservation not renewed lapses after
// its ttl, and is dropped with its period like any other; reserving it
// again then holds it anew.
func testBudgetNamedExpiry(t *testing.T, c *Clock, a, b state.Backend) {
	reserve(t, a, named("nx", "k", 10, 100, 20*time.Second))
	c.Advance(21 * time.Second)
	wantUsage(t, b, "nx", state.Day, 0, 0)
	if r := reserve(t, b, named("nx", "k", 10, 100, time.Hour)); r.Used != 10 {
		t.Errorf("held again = %+v", r)
	}
	c.Advance(time.Minute) // Epoch is a minute before midnight
	wantUsage(t, a, "nx", state.Day, 0, 0)
}

// testBudgetNamedAcrossPeriods: a named reservation held before midnight
// and settled after it is charged once to the day of the settle; settling
// it again on a later day (a batch resumed, a second router) charges
// nothing and says ErrSettled, as reserving it again does, for as long
// as state.SettledMemory; past that the name is forgotten.
func testBudgetNamedAcrossPeriods(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	r := reserve(t, a, named("np", "batch_9:0", 30, 100, 26*time.Hour))
	c.Advance(2 * time.Minute) // Epoch is a minute before midnight: a new day (and month)
	wantUsage(t, b, "np", state.Day, 0, 0)
	if err := b.Settle(ctx, r, 12); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("Settle after midnight: %v, want ErrNotHeld (the hold ended with its day)", err)
	}
	wantUsage(t, a, "np", state.Day, 12, 0)
	if err := a.Settle(ctx, r, 12); !errors.Is(err, state.ErrSettled) {
		t.Errorf("a second Settle the same day: %v, want ErrSettled", err)
	}
	c.Advance(24 * time.Hour) // the next day
	for i, be := range []state.Backend{a, b} {
		if err := be.Settle(ctx, r, 12); !errors.Is(err, state.ErrSettled) {
			t.Errorf("back end %d: Settle repeated the next day: %v, want ErrSettled", i, err)
		}
		if _, err := be.Reserve(ctx, named("np", "batch_9:0", 30, 100, time.Hour)); !errors.Is(err, state.ErrSettled) {
			t.Errorf("back end %d: Reserve the next day: %v, want ErrSettled", i, err)
		}
	}
	wantUsage(t, b, "np", state.Day, 0, 0)
	c.Advance(state.SettledMemory) // forgotten: the name may be held anew
	if got := reserve(t, a, named("np", "batch_9:0", 30, 100, time.Hour)); got.Used != 30 {
		t.Errorf("held after SettledMemory = %+v, want held anew", got)
	}
}
