package statetest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/state"
)

const ttl = time.Minute

func req(key string, amount, limit int64, p state.Period) state.BudgetRequest {
	return state.BudgetRequest{Key: key, Amount: amount, Limit: limit, Period: p, TTL: ttl}
}

func usage(t *testing.T, b state.Backend, key string, p state.Period) state.Usage {
	t.Helper()
	u, err := b.Usage(context.Background(), key, p)
	if err != nil {
		t.Fatalf("Usage(%s, %s): %v", key, p, err)
	}
	return u
}

func reserve(t *testing.T, b state.Backend, r state.BudgetRequest) state.Reservation {
	t.Helper()
	res, err := b.Reserve(context.Background(), r)
	if err != nil {
		t.Fatalf("Reserve(%+v): %v", r, err)
	}
	return res
}

func wantUsage(t *testing.T, b state.Backend, key string, p state.Period, spent, reserved int64) {
	t.Helper()
	if u := usage(t, b, key, p); u.Spent != spent || u.Reserved != reserved {
		t.Errorf("usage of %s: spent %d reserved %d, want %d and %d", key, u.Spent, u.Reserved, spent, reserved)
	}
}

// testBudgetConcurrent: 64 goroutines on both back ends reserve 7 at a time
// against a limit of 1000; exactly 142 reservations may be granted.
func testBudgetConcurrent(t *testing.T, c *Clock, a, b state.Backend) {
	const limit, amount, workers, tries = 1000, 7, 64, 5
	var granted atomic.Int64
	errs := make(chan error, workers*tries)
	parallel(workers, func(i int) {
		for range tries {
			_, err := pick(i, a, b).Reserve(context.Background(), req("conc", amount, limit, state.Day))
			var ex *state.BudgetExceededError
			switch {
			case err == nil:
				granted.Add(1)
			case errors.As(err, &ex):
				if ex.Used+ex.Amount <= ex.Limit || ex.Amount != amount {
					errs <- err
				}
			default:
				errs <- err
			}
		}
	})
	close(errs)
	for err := range errs {
		t.Errorf("unexpected refusal: %v", err)
	}
	if got := granted.Load(); got != limit/amount {
		t.Errorf("granted %d reservations of %d under limit %d, want %d", got, amount, limit, limit/amount)
	}
	wantUsage(t, a, "conc", state.Day, 0, limit/amount*amount)
}

// testBudgetSettleRelease checks the arithmetic of settle and release.
func testBudgetSettleRelease(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	tests := []struct {
		name       string
		amount     int64
		do         func(r state.Reservation) error
		wantErr    error
		wantSpent  int64
		secondErr  error
		second     func(r state.Reservation) error
		wantSpent2 int64
	}{
		{name: "settle below estimate", amount: 100, do: func(r state.Reservation) error { return a.Settle(ctx, r, 80) },
			wantSpent: 80, second: func(r state.Reservation) error { return a.Release(ctx, r) }, secondErr: state.ErrNotHeld, wantSpent2: 80},
		{name: "settle above estimate", amount: 100, do: func(r state.Reservation) error { return b.Settle(ctx, r, 150) },
			wantSpent: 150, second: func(r state.Reservation) error { return a.Settle(ctx, r, 5) }, secondErr: state.ErrNotHeld, wantSpent2: 155},
		{name: "release", amount: 100, do: func(r state.Reservation) error { return a.Release(ctx, r) },
			second: func(r state.Reservation) error { return b.Release(ctx, r) }, secondErr: state.ErrNotHeld},
		{name: "zero estimate", amount: 0, do: func(r state.Reservation) error { return a.Settle(ctx, r, 30) },
			wantSpent: 30, second: func(r state.Reservation) error { return a.Release(ctx, r) }, secondErr: state.ErrNotHeld, wantSpent2: 30},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			key := "arith-" + tt.name
			other := reserve(t, a, req(key, 40, 1000, state.Month))
			r := reserve(t, a, req(key, tt.amount, 1000, state.Month))
			if r.Amount != tt.amount || r.Used != 40+tt.amount || r.Limit != 1000 || r.ID == "" || r.ID == other.ID {
				t.Fatalf("reservation %+v: want amount %d, used %d, limit 1000, a fresh id", r, tt.amount, 40+tt.amount)
			}
			wantUsage(t, b, key, state.Month, 0, 40+tt.amount)
			if err := tt.do(r); !errors.Is(err, tt.wantErr) {
				t.Fatalf("first call: %v, want %v", err, tt.wantErr)
			}
			wantUsage(t, b, key, state.Month, tt.wantSpent, 40)
			if err := tt.second(r); !errors.Is(err, tt.secondErr) {
				t.Fatalf("second call: %v, want %v", err, tt.secondErr)
			}
			wantUsage(t, a, key, state.Month, tt.wantSpent2, 40)
		})
	}
	// A settle above the estimate is spent: the next reservation sees it.
	r := reserve(t, a, req("over", 10, 100, state.Day))
	if err := a.Settle(ctx, r, 95); err != nil {
		t.Fatal(err)
	}
	_, err := b.Reserve(ctx, req("over", 10, 100, state.Day))
	var ex *state.BudgetExceededError
	if !errors.As(err, &ex) || ex.Used != 95 || ex.Limit != 100 || ex.Key != "over" || ex.Period != state.Day {
		t.Fatalf("reserve after overspend: %v, want budget exceeded with used 95", err)
	}
	reserve(t, b, req("over", 5, 100, state.Day))
}

// testBudgetExpiry: a reservation never settled stops counting after its
// TTL; settling it late still counts the spend and says ErrNotHeld.
func testBudgetExpiry(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	r1 := reserve(t, a, state.BudgetRequest{Key: "exp", Amount: 60, Limit: 100, Period: state.Month, TTL: 10 * time.Second})
	r2 := reserve(t, b, state.BudgetRequest{Key: "exp", Amount: 30, Limit: 100, Period: state.Month, TTL: 20 * time.Second})
	if _, err := a.Reserve(ctx, req("exp", 20, 100, state.Month)); !errors.Is(err, state.ErrBudgetExceeded) {
		t.Fatalf("reserve over the limit: %v, want ErrBudgetExceeded", err)
	}
	c.Advance(10*time.Second - time.Millisecond)
	wantUsage(t, b, "exp", state.Month, 0, 90)
	c.Advance(time.Millisecond)
	wantUsage(t, b, "exp", state.Month, 0, 30)
	reserve(t, a, state.BudgetRequest{Key: "exp", Amount: 70, Limit: 100, Period: state.Month, TTL: time.Hour})
	if err := b.Settle(ctx, r1, 55); !errors.Is(err, state.ErrNotHeld) {
		t.Fatalf("settle of an expired reservation: %v, want ErrNotHeld", err)
	}
	wantUsage(t, a, "exp", state.Month, 55, 100)
	if err := a.Release(ctx, r2); err != nil {
		t.Fatalf("release of a held reservation: %v", err)
	}
	wantUsage(t, a, "exp", state.Month, 55, 70)
}

// testBudgetPeriodReset: day and month budgets start from zero at the next
// UTC day and month, and a refusal says when.
func testBudgetPeriodReset(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	feb1 := time.Date(2026, time.February, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		period                  state.Period
		resetsBefore, resetsAft time.Time
	}{
		{state.Day, feb1, feb1.AddDate(0, 0, 1)},
		{state.Month, feb1, feb1.AddDate(0, 1, 0)},
	}
	held := map[state.Period]state.Reservation{}
	for _, tt := range tests {
		r := reserve(t, a, req("reset", 100, 100, tt.period))
		if !r.Resets.Equal(tt.resetsBefore) {
			t.Errorf("%s reservation resets %s, want %s", tt.period, r.Resets, tt.resetsBefore)
		}
		held[tt.period] = r
		_, err := b.Reserve(ctx, req("reset", 1, 100, tt.period))
		var ex *state.BudgetExceededError
		if !errors.As(err, &ex) || !ex.Resets.Equal(tt.resetsBefore) {
			t.Errorf("%s refusal %v: want resets %s", tt.period, err, tt.resetsBefore)
		}
	}
	c.Advance(time.Minute) // now exactly 2026-02-01T00:00Z
	for _, tt := range tests {
		wantUsage(t, b, "reset", tt.period, 0, 0)
		r := reserve(t, b, req("reset", 100, 100, tt.period))
		if !r.Resets.Equal(tt.resetsAft) || r.Used != 100 {
			t.Errorf("%s reservation after the reset: %+v, want used 100, resets %s", tt.period, r, tt.resetsAft)
		}
		// A reservation of the last period settles into the current one.
		if err := a.Settle(ctx, held[tt.period], 7); !errors.Is(err, state.ErrNotHeld) {
			t.Errorf("settle across the reset: %v, want ErrNotHeld", err)
		}
		wantUsage(t, a, "reset", tt.period, 7, 100)
	}
	c.Advance(24 * time.Hour)
	wantUsage(t, a, "reset", state.Day, 0, 0)
	wantUsage(t, a, "reset", state.Month, 7, 0) // its reservation expired
}

// testBudgetShared: what one back end reserves, the other sees and settles.
func testBudgetShared(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	r := reserve(t, a, req("shared", 600, 1000, state.Day))
	if _, err := b.Reserve(ctx, req("shared", 401, 1000, state.Day)); !errors.Is(err, state.ErrBudgetExceeded) {
		t.Fatalf("b reserving past a's reservation: %v, want ErrBudgetExceeded", err)
	}
	if err := b.Settle(ctx, r, 500); err != nil {
		t.Fatalf("b settling a's reservation: %v", err)
	}
	reserve(t, b, req("shared", 500, 1000, state.Day))
	wantUsage(t, a, "shared", state.Day, 500, 500)
	// The same key in another period is another budget.
	wantUsage(t, a, "shared", state.Month, 0, 0)
}
