package drift

import (
	"sync"
	"time"
)

// Budget holds golden runs to a daily spending cap: every prompt reserves
// the most it can cost before it is sent (Asker.Estimate) and settles its
// real cost after, so what a UTC day's runs spend never exceeds the cap
// while estimates bound the real costs. It is safe for concurrent use.
type Budget struct {
	capUSD float64
	now    func() time.Time

	mu       sync.Mutex
	day      time.Time // the UTC day spent counts
	spent    float64   // settled today
	reserved float64   // reserved and not settled
}

// NewBudget returns a budget of capUSD a UTC day (zero: no cap) of which
// spentToday is already spent (read from the store at start). now is the
// clock; nil means time.Now.
func NewBudget(capUSD, spentToday float64, now func() time.Time) *Budget {
	if now == nil {
		now = time.Now
	}
	return &Budget{capUSD: capUSD, now: now, day: DayOf(now()), spent: spentToday}
}

// DayOf returns the start of t's UTC day.
func DayOf(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// Cap returns the daily cap; zero means none.
func (b *Budget) Cap() float64 { return b.capUSD }

// rollover starts a new day's count; b.mu is held.
func (b *Budget) rollover() {
	if d := DayOf(b.now()); d.After(b.day) {
		b.day, b.spent = d, 0
	}
}

// Reserve reserves usd of today's budget, reporting false (and reserving
// nothing) when it does not fit. A budget without a cap always fits.
func (b *Budget) Reserve(usd float64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollover()
	if b.capUSD > 0 && b.spent+b.reserved+usd > b.capUSD {
		return false
	}
	b.reserved += usd
	return true
}

// Settle ends a reservation of reserved with what the prompt cost.
func (b *Budget) Settle(reserved, actual float64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollover()
	b.reserved = max(b.reserved-reserved, 0)
	b.spent += actual
}

// Spent returns what today's settled prompts cost.
func (b *Budget) Spent() float64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.rollover()
	return b.spent
}
