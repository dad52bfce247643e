package llmtest

import (
	"sync"
	"testing"
	"time"
)

// Clock is a fake clock for the packages that take one (Now, AfterFunc,
// After): time moves only when a test calls Advance, and the timers due
// fire then, each in its own goroutine as time.AfterFunc's do. It is safe
// for concurrent use.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*Timer
}

// NewClock returns a clock standing at start.
func NewClock(start time.Time) *Clock { return &Clock{now: start} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }

// AfterFunc arms a timer that calls f, in its own goroutine, once the
// clock has been advanced by d.
func (c *Clock) AfterFunc(d time.Duration, f func()) *Timer {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := &Timer{c: c, at: c.now.Add(d), f: f, active: true}
	c.timers = append(c.timers, t)
	return t
}

// After returns a channel that receives the clock's time once the clock
// has been advanced by d, like time.After (and Provider.After).
func (c *Clock) After(d time.Duration) <-chan time.Time {
	ch := make(chan time.Time, 1)
	c.AfterFunc(d, func() { ch <- c.Now() })
	return ch
}

// Advance moves time on by d and fires the timers due.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	var due []func()
	for _, t := range c.timers {
		if t.active && !t.at.After(c.now) {
			t.active = false
			due = append(due, t.f)
		}
	}
	c.mu.Unlock()
	for _, f := range due {
		go f()
	}
}

// Pending returns the number of armed timers.
func (c *Clock) Pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, t := range c.timers {
		if t.active {
			n++
		}
	}
	return n
}

// WaitTimers waits (polling, with a deadline) until at least n timers are
// armed: the code under test has armed what the test is about to fire.
func (c *Clock) WaitTimers(t testing.TB, n int) {
	t.Helper()
	WaitFor(t, "armed timers", func() bool { return c.Pending() >= n })
}

// Timer is a timer of a Clock; its Stop and Reset behave as time.Timer's.
type Timer struct {
	c      *Clock
	at     time.Time
	f      func()
	active bool
}

// Stop disarms the timer; it reports whether the timer was armed.
func (t *Timer) Stop() bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.active = false
	return was
}

// Reset arms the timer to fire d after the clock's present time; it
// reports whether the timer was armed.
func (t *Timer) Reset(d time.Duration) bool {
	t.c.mu.Lock()
	defer t.c.mu.Unlock()
	was := t.active
	t.at, t.active = t.c.now.Add(d), true
	return was
}

// WaitFor polls cond every millisecond until it holds, failing the test
// if it does not within 5 seconds (a hang detector, not a timing
// assertion). It is for state with no event to wait on; prefer channels.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // a poll interval, not a wait for an event
	}
}
