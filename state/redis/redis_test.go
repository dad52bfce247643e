package redis_test

import (
	"context"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
	"go.uber.org/goleak"

	"switchyard/state"
	"switchyard/state/redis"
	"switchyard/state/statetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// addr is the test Redis: $SWITCHYARD_TEST_REDIS or 127.0.0.1:6379.
func addr() string {
	if a := os.Getenv("SWITCHYARD_TEST_REDIS"); a != "" {
		return a
	}
	return "127.0.0.1:6379"
}

// open returns a back end on its own client (its own "process") with the
// given prefix, failing the test if Redis does not answer. The keys under
// prefix are deleted when the test ends.
func open(t testing.TB, prefix string, now func() time.Time) *redis.Backend {
	t.Helper()
	c := goredis.NewClient(&goredis.Options{Addr: addr(), DialTimeout: 2 * time.Second})
	if err := c.Ping(context.Background()).Err(); err != nil {
		_ = c.Close()
		t.Fatalf("Redis at %s does not answer (%v): these tests need a real Redis; start one (redis-server) or set SWITCHYARD_TEST_REDIS", addr(), err)
	}
	b, err := redis.New(redis.Options{Client: c, Prefix: prefix, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+"*", 100).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
		_ = b.Close()
		_ = c.Close()
	})
	return b
}

func testPrefix() string { return "switchyard-test:" + state.NewID() + ":" }

// TestConformance runs the state suite with two clients, as two router
// processes would, on one prefix and one fake clock.
func TestConformance(t *testing.T) {
	statetest.Run(t, func(t *testing.T, c *statetest.Clock) (state.Backend, state.Backend) {
		p := testPrefix()
		return open(t, p, c.Now), open(t, p, c.Now)
	})
}

// TestServerClock: without a clock override the scripts read Redis's TIME;
// two processes share one budget and its reset is the next UTC midnight.
func TestServerClock(t *testing.T) {
	ctx := context.Background()
	p := testPrefix()
	a, b := open(t, p, nil), open(t, p, nil)
	before := time.Now()
	r, err := a.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 60, Limit: 100, Period: state.Day, TTL: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	_, r1 := state.Day.Bounds(before)
	_, r2 := state.Day.Bounds(time.Now())
	if !r.Resets.Equal(r1) && !r.Resets.Equal(r2) {
		t.Errorf("resets %s, want the next UTC midnight %s", r.Resets, r1)
	}
	if _, err := b.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 41, Limit: 100, Period: state.Day, TTL: time.Minute}); !errors.Is(err, state.ErrBudgetExceeded) {
		t.Errorf("second process over the shared budget: %v, want ErrBudgetExceeded", err)
	}
	if err := b.Settle(ctx, r, 60); err != nil {
		t.Errorf("second process settling: %v", err)
	}
	ok, _, err := a.Allow(ctx, "k", 1, 1, time.Hour)
	if err != nil || !ok {
		t.Fatalf("first call: %v, %v", ok, err)
	}
	ok, wait, err := b.Allow(ctx, "k", 1, 1, time.Hour)
	if err != nil || ok || wait <= 59*time.Minute || wait > time.Hour {
		t.Errorf("second call in the hour: allowed %v, retry after %s, %v; want refused, about 1h", ok, wait, err)
	}
}

// TestPeriodBoundsInLua: the scripts' calendar agrees with Go's across
// leap years, month ends and centuries.
func TestPeriodBoundsInLua(t *testing.T) {
	ctx := context.Background()
	times := []string{
		"1970-01-01T00:00:00Z", "2024-02-29T12:00:00Z", "2024-02-28T23:59:59.999Z", "2023-02-28T23:59:59Z",
		"2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00Z", "2100-02-28T10:00:00Z", "2000-02-29T00:00:00Z",
		"2026-04-30T23:00:00Z", "2026-07-31T00:00:00.001Z", "2399-12-31T23:59:59Z",
	}
	for _, s := range times {
		now, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		b := open(t, testPrefix(), func() time.Time { return now })
		for _, p := range []state.Period{state.Day, state.Month} {
			u, err := b.Usage(ctx, "cal", p)
			if err != nil {
				t.Fatal(err)
			}
			if _, want := p.Bounds(now); !u.Resets.Equal(want) {
				t.Errorf("%s %s: Lua resets %s, Go %s", s, p, u.Resets, want)
			}
		}
	}
}

// TestUnavailable: when Redis does not answer every call fails fast with
// ErrUnavailable, and the password is not in the error.
func TestUnavailable(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := l.Addr().String()
	_ = l.Close()
	b, err := redis.New(redis.Options{Addr: dead, Password: "hunter2-secret"})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	ctx := context.Background()
	calls := map[string]func() error{
		"ping": func() error { return b.Ping(ctx) },
		"reserve": func() error {
			_, err := b.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 1, Limit: 1, Period: state.Day, TTL: time.Second})
			return err
		},
		"allow":   func() error { _, _, err := b.Allow(ctx, "k", 1, 1, time.Second); return err },
		"acquire": func() error { _, _, err := b.Acquire(ctx, "k", 1, time.Second); return err },
		"get":     func() error { _, _, err := b.Get(ctx, "k"); return err },
	}
	for name, call := range calls {
		err := call()
		if !errors.Is(err, state.ErrUnavailable) {
			t.Errorf("%s: %v, want ErrUnavailable", name, err)
		}
		if err != nil && contains(err.Error(), "hunter2") {
			t.Errorf("%s: the error shows the password: %v", name, err)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }

// BenchmarkOps: go test -run '^$' -bench . ./state/redis/ (the real Redis,
// on the server's clock).
func BenchmarkOps(b *testing.B) {
	statetest.Bench(b, open(b, testPrefix(), nil))
}

// TestKeysPrefixedAndExpiring: every key a back end writes starts with its
// prefix and expires; another prefix shares nothing.
func TestKeysPrefixedAndExpiring(t *testing.T) {
	ctx := context.Background()
	p := testPrefix()
	a, other := open(t, p, nil), open(t, testPrefix(), nil)
	if _, err := a.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 10, Limit: 10, Period: state.Month, TTL: time.Minute}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Allow(ctx, "k", 1, 5, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, _, err := a.Acquire(ctx, "k", 1, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Add(ctx, "k", 1, time.Minute); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 10, Limit: 10, Period: state.Month, TTL: time.Minute}); err != nil {
		t.Errorf("another prefix saw the first one's budget: %v", err)
	}
	c := goredis.NewClient(&goredis.Options{Addr: addr()})
	defer c.Close()
	keys, err := c.Keys(ctx, p+"*").Result()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) != 5 { // budget hash and held set, rate, semaphore, value
		t.Errorf("keys under the prefix: %v, want 5", keys)
	}
	for _, k := range keys {
		if ttl := c.PTTL(ctx, k).Val(); ttl <= 0 {
			t.Errorf("key %s has no expiry (PTTL %s)", k, ttl)
		}
	}
}

// A rate key outlives its bucket in Redis's own time: with a clock that
// stands still (the conformance tests'), a key set to expire after one
// call's share (20 ms) expired while real time passed, and the bucket
// let more than its limit through "at one instant" (52 of 50 in a loaded
// CI run).
func TestRateKeyOutlivesRealTime(t *testing.T) {
	frozen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b := open(t, testPrefix(), func() time.Time { return frozen })
	ctx := context.Background()
	allowed := 0
	for i := range 60 {
		ok, _, err := b.Allow(ctx, "k", 1, 50, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			allowed++
		}
		if i == 0 {
			time.Sleep(50 * time.Millisecond) // real time passes; the clock does not
		}
	}
	if allowed != 50 {
		t.Errorf("%d of 60 allowed at one instant, want 50", allowed)
	}
}
