// Package statetest is the conformance suite every state back end passes:
// Run(t, newPair) checks budgets, rate limits, semaphores and values against
// the contracts of package state, including under 64 concurrent goroutines
// and across two back ends that share one store (two router processes).
package statetest

import (
	"sync"
	"testing"
	"time"

	"switchyard/state"
)

// Epoch is where every suite clock starts: one minute before the end of
// January 2026, UTC, so that a test can cross a day and a month boundary.
var Epoch = time.Date(2026, time.January, 31, 23, 59, 0, 0, time.UTC)

// Clock is a fake clock, safe for concurrent use, that only moves when
// Advance is called. Its readings are whole milliseconds.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock reading Epoch.
func NewClock() *Clock { return &Clock{now: Epoch} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock d forward.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// NewPair returns two fresh back ends that share their state (the same
// back end twice, for one that lives in one process) and whose clock is
// clock. It registers their cleanup with t.
type NewPair func(t *testing.T, clock *Clock) (a, b state.Backend)

// Run runs the whole suite against the back ends newPair makes.
func Run(t *testing.T, newPair NewPair) {
	tests := []struct {
		name string
		run  func(t *testing.T, c *Clock, a, b state.Backend)
	}{
		{"BudgetConcurrentNeverOvershoots", testBudgetConcurrent},
		{"BudgetSettleRelease", testBudgetSettleRelease},
		{"BudgetReservationExpires", testBudgetExpiry},
		{"BudgetPeriodReset", testBudgetPeriodReset},
		{"BudgetSharedByTwoBackends", testBudgetShared},
		{"BudgetList", testBudgetList},
		{"BudgetNamed", testBudgetNamed},
		{"BudgetNamedExpiry", testBudgetNamedExpiry},
		{"BudgetNamedAcrossPeriods", testBudgetNamedAcrossPeriods},
		{"RateLimitRetryAfter", testRateRetryAfter},
		{"RateLimitConcurrent", testRateConcurrent},
		{"RateLimitAdjust", testRateAdjust},
		{"SemaphoreLimitAndLease", testSemaphore},
		{"SemaphoreConcurrent", testSemaphoreConcurrent},
		{"StoreValuesAndCounters", testStore},
		{"StoreFloats", testFloats},
		{"StoreFloatsOnce", testFloatsOnce},
		{"InvalidArguments", testInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewClock()
			a, b := newPair(t, c)
			tt.run(t, c, a, b)
		})
	}
}

// parallel runs n goroutines of f(i) and waits for them.
func parallel(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// pick returns a for even i and b for odd i, so concurrent callers are
// spread over both back ends.
func pick(i int, a, b state.Backend) state.Backend {
	if i%2 == 0 {
		return a
	}
	return b
}
