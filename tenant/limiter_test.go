package tenant

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
	"switchyard/state"
	"switchyard/state/memory"
)

func newLimiter(t *testing.T, c *clock) *Limiter {
	t.Helper()
	l := NewLimiter(memory.New(memory.Options{Now: c.Now}), LimiterOptions{})
	t.Cleanup(l.Close)
	return l
}

// wantLimited checks err is the 429 of the limit named which, with a
// Retry-After of wait.
func wantLimited(t *testing.T, err error, which string, wait time.Duration) {
	t.Helper()
	var e *llm.Error
	if !errors.As(err, &e) || e.HTTPStatus() != 429 || e.Code != CodeRateLimited || !e.Retryable {
		t.Fatalf("err = %v, want a retryable 429 %s", err, CodeRateLimited)
	}
	if !strings.Contains(e.Message, which) {
		t.Errorf("message %q does not name %q", e.Message, which)
	}
	if e.RetryAfter != wait {
		t.Errorf("Retry-After %s, want %s", e.RetryAfter, wait)
	}
}

func TestLimiterRequestsPerMinute(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLimiter(t, c)
	key := NewGrant("k1", "bot", "acme", config.Access{}, config.Limits{RPM: 3}, &config.Tenant{Limits: config.Limits{RPM: 4}})
	other := NewGrant("k2", "web", "acme", config.Access{}, config.Limits{}, &config.Tenant{Limits: config.Limits{RPM: 4}})
	for i := range 3 {
		tk, err := l.Admit(ctx, key)
		if err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
		tk.Done(0)
	}
	_, err := l.Admit(ctx, key)
	wantLimited(t, err, "rpm of key bot (3 requests per minute)", 20*time.Second)
	if _, err := l.Admit(ctx, other); err != nil {
		t.Fatalf("the tenant's fourth request, by another key: %v", err)
	}
	_, err = l.Admit(ctx, other)
	wantLimited(t, err, "rpm of tenant acme (4 requests per minute)", 15*time.Second)
	c.Advance(20 * time.Second)
	if _, err := l.Admit(ctx, key); err != nil {
		t.Errorf("20s later: %v", err)
	}
}

func TestLimiterTokensReserveAndSettle(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLimiter(t, c)
	g := NewGrant("k1", "bot", "acme", config.Access{}, config.Limits{TPM: 1000}, nil)
	t1, err := l.Admit(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if err := t1.ReserveTokens(ctx, 800); err != nil {
		t.Fatal(err)
	}
	t2, _ := l.Admit(ctx, g)
	err = t2.ReserveTokens(ctx, 300)
	wantLimited(t, err, "tpm of key bot (1000 tokens per minute; this request needs an estimated 300)", 6*time.Second)
	t2.Done(0)
	t1.Done(200) // it used 200 of the 800 reserved: 600 come back
	t3, _ := l.Admit(ctx, g)
	if err := t3.ReserveTokens(ctx, 800); err != nil {
		t.Fatalf("after settling to the actual use: %v", err)
	}
	t3.Done(1500) // 700 more than reserved: the bucket is in debt
	t4, _ := l.Admit(ctx, g)
	wantLimited(t, t4.ReserveTokens(ctx, 1), "tpm of key bot", 42060*time.Millisecond)
	t4.Done(0)
	// An estimate above the whole limit is reserved at the limit.
	c.Advance(2 * time.Minute)
	t5, _ := l.Admit(ctx, g)
	if err := t5.ReserveTokens(ctx, 5000); err != nil {
		t.Errorf("an estimate above the limit with a full bucket: %v", err)
	}
	t5.Done(5000)
}

func TestLimiterConcurrency(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	l := newLimiter(t, c)
	g := NewGrant("k1", "bot", "acme", config.Access{}, config.Limits{MaxConcurrent: 2}, &config.Tenant{Limits: config.Limits{MaxConcurrent: 3}})
	g2 := NewGrant("k2", "web", "acme", config.Access{}, config.Limits{}, &config.Tenant{Limits: config.Limits{MaxConcurrent: 3}})
	a, _ := l.Admit(ctx, g)
	b, err := l.Admit(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Admit(ctx, g)
	wantLimited(t, err, "max_concurrent of key bot (2 requests at once)", time.Second)
	x, err := l.Admit(ctx, g2)
	if err != nil {
		t.Fatalf("the tenant's third slot: %v", err)
	}
	_, err = l.Admit(ctx, g2)
	wantLimited(t, err, "max_concurrent of tenant acme (3 requests at once)", time.Second)
	// A refused admission took the key's slot and gave it back: after
	// one release of the tenant's, the key still has none.
	x.Done(0)
	_, err = l.Admit(ctx, g)
	wantLimited(t, err, "max_concurrent of key bot", time.Second)
	a.Done(0)
	a.Done(0) // twice: the second does nothing
	if _, err := l.Admit(ctx, g); err != nil {
		t.Fatalf("after a release: %v", err)
	}
	b.Done(0)
}

// TestLimiterKeepsLongRequestsSlots: a request that outlives the lease
// ttl keeps its slot (the keeper extends it); a slot nobody extends (its
// process died) frees at its ttl.
func TestLimiterKeepsLongRequestsSlots(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	st := memory.New(memory.Options{Now: c.Now})
	l := NewLimiter(st, LimiterOptions{LeaseTTL: time.Minute})
	defer l.Close()
	g := NewGrant("k1", "bot", "", config.Access{}, config.Limits{MaxConcurrent: 1}, nil)
	tk, err := l.Admit(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	held := func() bool {
		lease, ok, _ := st.Acquire(ctx, "limit:conc:key:k1", 1, time.Minute)
		if ok {
			lease.Release(ctx)
		}
		return !ok
	}
	for range 5 { // five minutes of a long stream, extended every 40s
		c.Advance(40 * time.Second)
		l.extendLive(ctx)
		if !held() {
			t.Fatal("the slot of a live request was lost: it was not extended")
		}
	}
	tk.Done(0)
	if held() {
		t.Fatal("the slot is held after Done")
	}
	dead, err := l.Admit(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	l.mu.Lock()
	delete(l.live, dead) // its process died: nobody extends or releases it
	l.mu.Unlock()
	c.Advance(59 * time.Second)
	if !held() {
		t.Fatal("the slot freed before its ttl")
	}
	c.Advance(time.Second)
	if held() {
		t.Fatal("a dead process's slot did not free at its ttl")
	}
}

func TestLimiterUnavailable(t *testing.T) {
	ctx := context.Background()
	down := &state.Policy{Backend: downBackend{memory.New(memory.Options{})}, Deny: true}
	l := NewLimiter(down, LimiterOptions{})
	defer l.Close()
	g := NewGrant("k1", "bot", "", config.Access{}, config.Limits{RPM: 5}, nil)
	_, err := l.Admit(ctx, g)
	var e *llm.Error
	if !errors.As(err, &e) || e.HTTPStatus() != 503 || e.Code != CodeLimitsUnavailable || strings.Contains(e.Message, "redis") {
		t.Fatalf("deny with the back end down: %v", err)
	}
	open := NewLimiter(&state.Policy{Backend: down.Backend}, LimiterOptions{})
	defer open.Close()
	tk, err := open.Admit(ctx, g)
	if err != nil {
		t.Fatalf("allow with the back end down: %v", err)
	}
	tk.Done(3)
}

// downBackend is a back end whose rate limiter does not answer.
type downBackend struct{ state.Backend }

func (downBackend) Allow(context.Context, string, int64, int64, time.Duration) (bool, time.Duration, error) {
	return false, 0, state.ErrUnavailable
}

func TestUnlimitedGrantCostsNothing(t *testing.T) {
	l := newLimiter(t, newClock())
	for _, g := range []*Grant{nil, NewGrant("k", "k", "t", config.Access{Routes: []string{"auto"}}, config.Limits{}, nil)} {
		tk, err := l.Admit(context.Background(), g)
		if tk != nil || err != nil {
			t.Errorf("Admit(%+v) = %v, %v; want no ticket", g, tk, err)
		}
		tk.Done(10) // a nil ticket
		if err := tk.ReserveTokens(context.Background(), 10); err != nil {
			t.Error(err)
		}
	}
}

// TestLimiterParallelChecksGiveBack: with a remote back end the checks run
// at once; when one refuses, what the others took is given back.
func TestLimiterParallelChecksGiveBack(t *testing.T) {
	ctx := context.Background()
	c := newClock()
	st := memory.New(memory.Options{Now: c.Now})
	l := NewLimiter(st, LimiterOptions{Async: true})
	defer l.Close()
	g := NewGrant("k1", "bot", "acme", config.Access{}, config.Limits{RPM: 2, MaxConcurrent: 5},
		&config.Tenant{Limits: config.Limits{RPM: 1, MaxConcurrent: 5}})
	first, err := l.Admit(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	_, err = l.Admit(ctx, g)
	wantLimited(t, err, "rpm of tenant acme (1 requests per minute)", time.Minute)
	first.Done(0)
	l.Wait()
	// The key's bucket holds one request (the first), not two: the
	// refused request's share was given back. Its slots too.
	if ok, _, _ := st.Allow(ctx, "limit:rpm:key:k1", 1, 2, time.Minute); !ok {
		t.Error("the refused request's rpm share of the key was not given back")
	}
	for range 5 {
		if _, ok, _ := st.Acquire(ctx, "limit:conc:key:k1", 5, time.Minute); !ok {
			t.Fatal("a concurrency slot of the refused request is still held")
		}
	}
	tk, err := l.Admit(ctx, NewGrant("k2", "web", "", config.Access{}, config.Limits{TPM: 100}, nil))
	if err != nil {
		t.Fatal(err)
	}
	if err := tk.ReserveTokens(ctx, 60); err != nil {
		t.Fatal(err)
	}
	tk.Done(60)
	l.Wait()
}
