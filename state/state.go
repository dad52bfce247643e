// Package state holds the counters and windows that several router
// processes must share: budgets (reserve, settle, release within a calendar
// period), rate limits, concurrency leases and a small key/value store with
// TTLs for later snapshots (breaker state, bandit statistics).
//
// The package defines the contracts only; state/memory implements them in
// one process (the default) and state/redis across processes. Both pass the
// conformance suite in state/statetest. Amounts are integers (micro-dollars
// or tokens) so that sums are exact.
//
// Errors: a refused budget is a *BudgetExceededError (errors.Is
// ErrBudgetExceeded); bad arguments wrap ErrInvalid; a back end that cannot
// answer (Redis down) wraps ErrUnavailable, so a caller can apply its
// state.on_error policy (allow or deny) to exactly those.
package state

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Sentinel errors; match them with errors.Is.
var (
	// ErrBudgetExceeded is matched by a *BudgetExceededError.
	ErrBudgetExceeded = errors.New("state: budget exceeded")
	// ErrInvalid wraps a call with bad arguments (empty key, negative
	// amount, limit < 1, unknown period, ttl <= 0).
	ErrInvalid = errors.New("state: invalid argument")
	// ErrUnavailable wraps every failure of the back end itself (Redis
	// unreachable, timeout, script error): the answer is unknown.
	ErrUnavailable = errors.New("state: back end unavailable")
	// ErrNotHeld is returned by Settle and Release when the reservation is
	// no longer held: it expired, was already settled or released, or its
	// period ended. Settle has still counted the actual amount.
	ErrNotHeld = errors.New("state: reservation not held")
	// ErrSettled is returned by Reserve and Settle of a named reservation
	// (BudgetRequest.ID) already settled in the period: nothing is held
	// or counted again.
	ErrSettled = errors.New("state: reservation already settled")
	// ErrCostExceedsLimit is returned by Allow when one call costs more than
	// the whole limit, so waiting would never let it through.
	ErrCostExceedsLimit = errors.New("state: cost exceeds the limit")
)

// MaxAmount bounds amounts and limits: up to it (2^53, e.g. 9 billion USD
// in micro-dollars) both back ends count exactly (Redis scripts compute in
// float64).
const MaxAmount = 1 << 53

// Period is the calendar span a budget counts over, in UTC.
type Period string

// The budget periods.
const (
	Day   Period = "day"
	Month Period = "month"
)

// Bounds returns the start of the period holding t and when it resets (the
// next period's start), both in UTC. It panics on an unknown Period; use
// Valid first for untrusted values.
func (p Period) Bounds(t time.Time) (start, resets time.Time) {
	t = t.UTC()
	y, m, d := t.Date()
	switch p {
	case Day:
		start = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 0, 1)
	case Month:
		start = time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
		return start, start.AddDate(0, 1, 0)
	}
	panic(fmt.Sprintf("state: unknown period %q", string(p)))
}

// Valid reports whether p is Day or Month.
func (p Period) Valid() bool { return p == Day || p == Month }

// BudgetRequest asks to reserve Amount against a budget.
type BudgetRequest struct {
	// Key names the budget, e.g. "tenant:acme:usd"; it must not be empty.
	// The same Key with another Period is another budget.
	Key string
	// Amount is the estimate to reserve, from 0 to MaxAmount.
	Amount int64
	// Limit is the most the period may spend, from 1 to MaxAmount.
	Limit int64
	// Period is Day or Month.
	Period Period
	// TTL is how long the reservation is held if neither Settle nor
	// Release comes (the process died); it must be > 0. Give it the
	// request's deadline plus a margin.
	TTL time.Duration
	// ID, if not empty, names the reservation instead of a random id: a
	// hold that outlives the process that made it (a batch line at a
	// provider), found again by its name from any process sharing the
	// back end. Reserving a name already held holds nothing more and
	// returns it, its TTL renewed from now; a name already settled in
	// the period returns ErrSettled. Settling a named reservation is
	// remembered for SettledMemory, or until its period ends if that is
	// later, across the end of the period it was settled in: settling it
	// again, or reserving it, in that time charges and holds nothing
	// (ErrSettled). Names are unique per budget key.
	ID string
	// Force holds Amount even past Limit: an amount already committed
	// (the lines of a provider batch sent before a restart).
	Force bool
}

// SettledMemory is how long a back end remembers that a named
// reservation was settled (BudgetRequest.ID), past the end of the period
// it was settled in: longer than a forwarded batch line is held (a
// provider batch's 24-hour window and its margin) with days to spare for
// a router that resumes the batch late. A month's settles are remembered
// to the month's end when that is later.
const SettledMemory = 7 * 24 * time.Hour

// Reservation is a held amount, returned by Reserve and passed back to
// Settle or Release. Its fields are informative; only the back end that
// made it may settle it.
type Reservation struct {
	Key    string
	Period Period
	// ID identifies the reservation within its budget.
	ID string
	// Named reports that ID is BudgetRequest.ID, given by the caller:
	// a Reservation built by hand with Key, Period, ID and Named settles
	// or releases the named reservation from any process.
	Named bool
	// Amount is what was reserved.
	Amount int64
	// Used is spent plus reserved in the period, this reservation included.
	Used int64
	// Limit is the limit it was checked against.
	Limit int64
	// Resets is when the period ends and the budget starts from zero.
	Resets time.Time
}

// Usage is a budget's state in the current period.
type Usage struct {
	// Spent is the settled total; Reserved what held reservations hold.
	Spent, Reserved int64
	// Resets is when the period ends.
	Resets time.Time
}

// BudgetExceededError reports a refused reservation. It matches
// ErrBudgetExceeded.
type BudgetExceededError struct {
	Key    string
	Period Period
	// Limit is the budget; Used is spent plus reserved before the request;
	// Amount is what was asked.
	Limit, Used, Amount int64
	// Resets is when the budget starts from zero again.
	Resets time.Time
}

func (e *BudgetExceededError) Error() string {
	return fmt.Sprintf("state: budget %q (%s) exceeded: %d used + %d asked > limit %d; resets at %s",
		e.Key, e.Period, e.Used, e.Amount, e.Limit, e.Resets.Format(time.RFC3339))
}

// Is reports whether target is ErrBudgetExceeded.
func (e *BudgetExceededError) Is(target error) bool { return target == ErrBudgetExceeded }

// Budgets reserves before work and settles after it.
//
// Reserve atomically checks spent + reserved + Amount <= Limit in the
// current period (of the back end's clock) and holds Amount if so. Under any
// concurrency the reservations granted never sum past the limit; only
// Settle with an actual above the estimate can take spent past it. Returns
// a *BudgetExceededError if refused, ErrInvalid or ErrUnavailable.
//
// Settle replaces the reservation by actual (>= 0; it may exceed the
// estimate: it was spent). If the reservation is not held any more it still
// adds actual to the current period and returns ErrNotHeld. Release drops
// a reservation without spending (the work failed before any cost); it
// returns ErrNotHeld if not held. Call one of them once per Reservation
// (a named one may be settled again: ErrSettled, nothing counted).
//
// Usage returns the budget's current-period state.
//
// ListBudgets returns the current-period state of every budget of period
// whose key starts with prefix (empty: every one) and that began the
// current period — was reserved against, charged or read in it — in no
// particular order. It reads what every process sharing the back end
// did. Returns ErrInvalid (an unknown period) or ErrUnavailable.
type Budgets interface {
	Reserve(ctx context.Context, req BudgetRequest) (Reservation, error)
	Settle(ctx context.Context, r Reservation, actual int64) error
	Release(ctx context.Context, r Reservation) error
	Usage(ctx context.Context, key string, period Period) (Usage, error)
	ListBudgets(ctx context.Context, prefix string, period Period) ([]KeyUsage, error)
}

// KeyUsage is one budget's state, as ListBudgets returns it.
type KeyUsage struct {
	// Key is the budget's key, as BudgetRequest.Key gave it.
	Key string
	Usage
}

// RateLimiter limits a rate with GCRA (a token bucket): at most limit cost
// at once, refilled continuously at limit per window.
//
// Allow atomically takes cost (>= 1) from key's bucket if it holds enough
// and reports true; otherwise it takes nothing and returns false with the
// wait after which the same cost would be allowed (for Retry-After). It
// returns ErrCostExceedsLimit when cost > limit, ErrInvalid or
// ErrUnavailable.
//
// Adjust changes what key's bucket holds by delta, unconditionally, for
// a cost reserved with Allow and later known exactly (tokens per minute:
// the estimate taken before the request, settled to its usage after): a
// positive delta takes more (even past the limit, which then delays the
// next calls), a negative one gives back (never below an empty bucket).
// A delta of zero does nothing. It returns ErrInvalid (empty key, limit
// not in [1, MaxAmount], window < 1ms, |delta| > MaxAmount) or
// ErrUnavailable.
type RateLimiter interface {
	Allow(ctx context.Context, key string, cost, limit int64, window time.Duration) (ok bool, retryAfter time.Duration, err error)
	Adjust(ctx context.Context, key string, delta, limit int64, window time.Duration) error
}

// Lease is one held slot of a Semaphore.
type Lease interface {
	// Release frees the slot; ErrNotHeld if it had expired or was released.
	Release(ctx context.Context) error
	// Extend keeps the slot for ttl from now (long streams); ErrNotHeld if
	// it had expired or was released.
	Extend(ctx context.Context, ttl time.Duration) error
}

// Semaphore counts concurrent holders of a key.
//
// Acquire takes one of limit (>= 1) slots of key for ttl (> 0) and reports
// true, or reports false if all are held. A slot whose holder dies is free
// again after its ttl. Errors: ErrInvalid, ErrUnavailable.
type Semaphore interface {
	Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (Lease, bool, error)
}

// Store holds small values and counters that expire, for snapshots that
// later code shares (breaker state, bandit statistics).
//
// Get returns the value and true, or nil and false if absent or expired.
// Set stores value for ttl (> 0). Add adds delta to the counter at key
// (created at zero) and returns the new total; ttl (> 0) starts when the
// counter is created and is not extended by later adds. Counters and values
// share one key space: Get of a counter returns its decimal text, and Add
// to a value that is not a decimal integer wraps ErrInvalid. Errors:
// ErrInvalid, ErrUnavailable.
//
// AddFloats adds each delta to its field of the float map at key
// (created empty; a new field starts at zero), all at once, and returns
// every field of the map after the adds: with no deltas it only reads.
// The ttl (> 0) starts when the map is created and is not extended.
// Float maps have a key space of their own. Several processes merge
// their contributions through it (the adaptive scorer's statistics).
// Errors: ErrInvalid, ErrUnavailable.
//
// AddFloatsOnce is AddFloats made safe to retry: the deltas are added
// only when once.Seq is above the last Seq of once.Writer added to the
// map at key (while it lives); otherwise it only reads. A writer that
// got ErrUnavailable (the reply lost, maybe after the adds were made)
// sends the same deltas with the same Seq again, and they count once;
// its next deltas take a higher Seq.
type Store interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, value []byte, ttl time.Duration) error
	Add(ctx context.Context, key string, delta int64, ttl time.Duration) (int64, error)
	AddFloats(ctx context.Context, key string, deltas map[string]float64, ttl time.Duration) (map[string]float64, error)
	AddFloatsOnce(ctx context.Context, key string, once Once, deltas map[string]float64, ttl time.Duration) (map[string]float64, error)
}

// Once names one addition to a float map for Store.AddFloatsOnce: its
// writer (one per process: NewID) and its sequence number, increasing
// with each addition the writer makes.
type Once struct {
	Writer string
	Seq    int64
}

// Backend is everything one back end provides. Implementations are safe for
// concurrent use. Close releases its resources; no other method may be
// called after it.
type Backend interface {
	Budgets
	RateLimiter
	Semaphore
	Store
	Close() error
}
