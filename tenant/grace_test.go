package tenant

import (
	"context"
	"testing"
	"time"

	"switchyard/config"
	"switchyard/state/memory"
)

func graceLimiter(t *testing.T, grace time.Duration, async bool) *Limiter {
	t.Helper()
	l := NewLimiter(memory.New(memory.Options{Now: newClock().Now}), LimiterOptions{ConcurrencyGrace: grace, Async: async})
	t.Cleanup(l.Close)
	return l
}

// TestAdmitWaitsBrieflyForASlot: a request refused only for want of a
// slot is admitted when the slot frees within the grace (a client's next
// request racing the release of its previous one's), and the retries
// count it against requests per minute once.
func TestAdmitWaitsBrieflyForASlot(t *testing.T) {
	for _, async := range []bool{false, true} {
		ctx := context.Background()
		l := graceLimiter(t, time.Second, async)
		g := NewGrant("k1", "web", "acme", config.Access{}, config.Limits{RPM: 3, MaxConcurrent: 1}, nil)
		held, err := l.Admit(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(30*time.Millisecond, func() { held.Done(0) })
		next, err := l.Admit(ctx, g)
		if err != nil {
			t.Fatalf("async %v: a slot freed 30 ms later within a 1 s grace: %v", async, err)
		}
		next.Done(0)
		l.Wait()
		third, err := l.Admit(ctx, g)
		if err != nil {
			t.Fatalf("async %v: the third request of three per minute: %v (the retries counted against the rpm)", async, err)
		}
		third.Done(0)
		l.Wait()
		_, err = l.Admit(ctx, g)
		wantLimited(t, err, "rpm of key web (3 requests per minute)", 20*time.Second)
	}
}

// TestAdmitGraceIsBounded: a slot still held past the grace is a 429
// after about the grace; a rate refusal does not wait; nor does a
// request whose context ends; a negative grace refuses at once.
func TestAdmitGraceIsBounded(t *testing.T) {
	ctx := context.Background()
	g := NewGrant("k1", "web", "acme", config.Access{}, config.Limits{MaxConcurrent: 1}, nil)

	l := graceLimiter(t, 80*time.Millisecond, true)
	held, _ := l.Admit(ctx, g)
	defer held.Done(0)
	start := time.Now()
	_, err := l.Admit(ctx, g)
	wantLimited(t, err, "max_concurrent of key web (1 requests at once)", time.Second)
	if waited := time.Since(start); waited < 80*time.Millisecond || waited > 5*time.Second {
		t.Errorf("refused after %s, want about the 80 ms grace", waited)
	}

	canceled, cancel := context.WithCancel(ctx)
	time.AfterFunc(10*time.Millisecond, cancel)
	start = time.Now()
	long := graceLimiter(t, time.Hour, false)
	h2, _ := long.Admit(ctx, g)
	defer h2.Done(0)
	if _, err := long.Admit(canceled, g); err == nil {
		t.Fatal("admitted while the slot is held")
	}
	if waited := time.Since(start); waited > 5*time.Second {
		t.Errorf("a canceled request waited %s for a slot", waited)
	}

	none := graceLimiter(t, -1, false)
	h3, _ := none.Admit(ctx, g)
	defer h3.Done(0)
	time.AfterFunc(30*time.Millisecond, func() { h3.Done(0) })
	_, err = none.Admit(ctx, g)
	wantLimited(t, err, "max_concurrent of key web", time.Second)

	rpm := graceLimiter(t, time.Hour, false)
	gr := NewGrant("k2", "bot", "acme", config.Access{}, config.Limits{RPM: 1}, nil)
	if _, err := rpm.Admit(ctx, gr); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	_, err = rpm.Admit(ctx, gr)
	wantLimited(t, err, "rpm of key bot", time.Minute)
	if waited := time.Since(start); waited > time.Second {
		t.Errorf("a rate refusal waited %s", waited)
	}
}
