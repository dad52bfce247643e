package statetest

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"switchyard/state"
)

// testRateRetryAfter: a burst of limit passes, then Retry-After is the
// exact wait until the next call fits, for requests and for token costs.
func testRateRetryAfter(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	allow := func(be state.Backend, key string, cost, limit int64) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := be.Allow(ctx, key, cost, limit, time.Minute)
		if err != nil {
			t.Fatalf("Allow(%s, %d, %d): %v", key, cost, limit, err)
		}
		return ok, wait
	}
	for i := range 10 {
		if ok, _ := allow(pick(i, a, b), "rpm", 1, 10); !ok {
			t.Fatalf("request %d of a burst of 10 refused", i+1)
		}
	}
	steps := []struct {
		advance  time.Duration
		wantOK   bool
		wantWait time.Duration
	}{
		{0, false, 6 * time.Second}, // one request per 6s refills
		{5999 * time.Millisecond, false, time.Millisecond},
		{time.Millisecond, true, 0},
		{0, false, 6 * time.Second},
	}
	for i, s := range steps {
		c.Advance(s.advance)
		ok, wait := allow(b, "rpm", 1, 10)
		if ok != s.wantOK || wait != s.wantWait {
			t.Errorf("step %d: allowed %v, retry after %s; want %v, %s", i, ok, wait, s.wantOK, s.wantWait)
		}
	}
	// After a long idle spell the bucket holds limit again, not more.
	c.Advance(time.Hour)
	for i := range 10 {
		if ok, _ := allow(pick(i, a, b), "rpm", 1, 10); !ok {
			t.Fatalf("request %d of a burst after an idle hour refused", i+1)
		}
	}
	if ok, wait := allow(a, "rpm", 1, 10); ok || wait != 6*time.Second {
		t.Errorf("request 11 after an idle hour: allowed %v, retry after %s; want false, 6s", ok, wait)
	}
	// Tokens per minute: 1000 a minute is one token per 60ms.
	if ok, _ := allow(a, "tpm", 600, 1000); !ok {
		t.Fatal("600 of 1000 tokens refused")
	}
	if ok, wait := allow(b, "tpm", 600, 1000); ok || wait != 12*time.Second {
		t.Errorf("600 more tokens: allowed %v, retry after %s; want false, 12s", ok, wait)
	}
	if ok, _ := allow(b, "tpm", 400, 1000); !ok {
		t.Error("a refused call took tokens: the remaining 400 were refused")
	}
	c.Advance(12 * time.Second)
	if ok, _ := allow(a, "tpm", 200, 1000); !ok {
		t.Error("200 tokens refused 12s after the bucket emptied")
	}
	if _, _, err := a.Allow(ctx, "tpm", 1001, 1000, time.Minute); !errors.Is(err, state.ErrCostExceedsLimit) {
		t.Errorf("cost above the limit: %v, want ErrCostExceedsLimit", err)
	}
}

// testRateAdjust: a reservation settled to its actual cost. Taking more
// than was reserved delays the next call even past the limit; giving
// back makes room at once, but never more than an empty bucket holds;
// both back ends see each other's adjustments.
func testRateAdjust(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	adjust := func(be state.Backend, delta int64) {
		t.Helper()
		if err := be.Adjust(ctx, "tpm", delta, 1000, time.Minute); err != nil {
			t.Fatalf("Adjust(%d): %v", delta, err)
		}
	}
	allow := func(be state.Backend, cost int64) (bool, time.Duration) {
		t.Helper()
		ok, wait, err := be.Allow(ctx, "tpm", cost, 1000, time.Minute)
		if err != nil {
			t.Fatalf("Allow(%d): %v", cost, err)
		}
		return ok, wait
	}
	if ok, _ := allow(a, 800); !ok {
		t.Fatal("an estimate of 800 of 1000 refused")
	}
	adjust(b, -500) // the request used 300
	if ok, _ := allow(a, 700); !ok {
		t.Fatal("700 more refused after 500 of the estimate were given back")
	}
	if ok, wait := allow(b, 1); ok || wait != 60*time.Millisecond {
		t.Errorf("a full bucket: allowed %v, retry after %s; want false, 60ms", ok, wait)
	}
	adjust(a, 500) // 500 more than reserved: the bucket is 500 in debt
	if ok, wait := allow(b, 1); ok || wait != 30060*time.Millisecond {
		t.Errorf("500 tokens in debt: allowed %v, retry after %s; want false, 30.06s", ok, wait)
	}
	adjust(b, -3000) // more than it holds: empty, not a credit
	if ok, _ := allow(a, 1000); !ok {
		t.Error("the whole limit refused after the bucket was emptied")
	}
	if ok, _ := allow(b, 1); ok {
		t.Error("a refund beyond empty left a credit: the bucket took 1001 at once")
	}
	adjust(a, 0)
	c.Advance(time.Minute)
	if ok, _ := allow(b, 1000); !ok {
		t.Error("the whole limit refused a minute later")
	}
}

// testRateConcurrent: 64 goroutines on both back ends; exactly limit pass.
func testRateConcurrent(t *testing.T, c *Clock, a, b state.Backend) {
	const limit = 50
	var allowed atomic.Int64
	parallel(64, func(i int) {
		for range 3 {
			ok, wait, err := pick(i, a, b).Allow(context.Background(), "conc", 1, limit, time.Second)
			switch {
			case err != nil:
				t.Errorf("Allow: %v", err)
			case ok:
				allowed.Add(1)
			case wait <= 0 || wait > time.Second:
				t.Errorf("refused with retry after %s, want within (0, 1s]", wait)
			}
		}
	})
	if got := allowed.Load(); got != limit {
		t.Errorf("%d calls allowed at one instant, want the limit %d", got, limit)
	}
}

// testSemaphore: limit holders at once; release frees a slot; a lease that
// is not released or extended frees its slot after its ttl.
func testSemaphore(t *testing.T, c *Clock, a, b state.Backend) {
	ctx := context.Background()
	acquire := func(be state.Backend, ttl time.Duration) (state.Lease, bool) {
		t.Helper()
		l, ok, err := be.Acquire(ctx, "sem", 2, ttl)
		if err != nil {
			t.Fatalf("Acquire: %v", err)
		}
		return l, ok
	}
	l1, ok1 := acquire(a, 10*time.Second)
	l2, ok2 := acquire(b, 30*time.Second)
	if !ok1 || !ok2 {
		t.Fatal("two acquires of a semaphore of 2 refused")
	}
	if _, ok := acquire(a, time.Second); ok {
		t.Fatal("a third holder was let in")
	}
	if err := l2.Release(ctx); err != nil {
		t.Fatalf("Release: %v", err)
	}
	if err := l2.Release(ctx); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("second Release: %v, want ErrNotHeld", err)
	}
	l3, ok := acquire(b, 10*time.Second)
	if !ok {
		t.Fatal("the released slot was not free")
	}
	c.Advance(5 * time.Second)
	if err := l3.Extend(ctx, 20*time.Second); err != nil {
		t.Fatalf("Extend: %v", err)
	}
	c.Advance(5 * time.Second) // l1 expires; l3 was extended
	if _, ok := acquire(a, time.Second); !ok {
		t.Fatal("the slot of an expired lease was not free")
	}
	if err := l1.Release(ctx); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("Release of an expired lease: %v, want ErrNotHeld", err)
	}
	if err := l1.Extend(ctx, time.Second); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("Extend of an expired lease: %v, want ErrNotHeld", err)
	}
	if err := l3.Release(ctx); err != nil {
		t.Errorf("Release of an extended lease: %v", err)
	}
}

// testSemaphoreConcurrent: 64 goroutines on both back ends; limit win.
func testSemaphoreConcurrent(t *testing.T, c *Clock, a, b state.Backend) {
	const limit = 5
	leases := make(chan state.Lease, 64)
	parallel(64, func(i int) {
		l, ok, err := pick(i, a, b).Acquire(context.Background(), "csem", limit, time.Minute)
		if err != nil {
			t.Errorf("Acquire: %v", err)
		}
		if ok {
			leases <- l
		}
	})
	close(leases)
	if n := len(leases); n != limit {
		t.Errorf("%d holders at once, want the limit %d", n, limit)
	}
	for l := range leases {
		if err := l.Release(context.Background()); err != nil {
			t.Errorf("Release: %v", err)
		}
	}
}
