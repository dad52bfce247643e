package state_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"switchyard/state"
	"switchyard/state/memory"
)

// down is a back end whose store does not answer: every budget, rate and
// semaphore call fails with ErrUnavailable, as state/redis does when Redis
// is down (state/redis's TestUnavailable checks that part).
type down struct{ state.Backend }

var errDown = fmt.Errorf("%w: redis: connection refused", state.ErrUnavailable)

func (down) Reserve(context.Context, state.BudgetRequest) (state.Reservation, error) {
	return state.Reservation{}, errDown
}
func (down) Settle(context.Context, state.Reservation, int64) error { return errDown }
func (down) Release(context.Context, state.Reservation) error       { return errDown }
func (down) Allow(context.Context, string, int64, int64, time.Duration) (bool, time.Duration, error) {
	return false, 0, errDown
}
func (down) Acquire(context.Context, string, int, time.Duration) (state.Lease, bool, error) {
	return nil, false, errDown
}

// TestPolicyUnavailable: with the back end down, allow lets every check
// through and deny returns ErrUnavailable; both report every failure.
func TestPolicyUnavailable(t *testing.T) {
	ctx := context.Background()
	req := state.BudgetRequest{Key: "k", Amount: 5, Limit: 10, Period: state.Month, TTL: time.Minute}
	for _, deny := range []bool{false, true} {
		t.Run(fmt.Sprint("deny=", deny), func(t *testing.T) {
			var mu sync.Mutex
			var ops []string
			p := &state.Policy{Backend: down{}, Deny: deny, OnUnavailable: func(op string, err error) {
				mu.Lock()
				defer mu.Unlock()
				if !errors.Is(err, state.ErrUnavailable) {
					t.Errorf("reported %v", err)
				}
				ops = append(ops, op)
			}}
			want := func(err error) {
				t.Helper()
				if deny != errors.Is(err, state.ErrUnavailable) || (!deny && err != nil) {
					t.Errorf("deny=%v: got %v", deny, err)
				}
			}
			r, err := p.Reserve(ctx, req)
			want(err)
			if !deny && (!r.Unchecked() || r.Amount != 5 || r.Resets.IsZero()) {
				t.Errorf("fail-open reservation %+v: want unchecked, amount 5, a reset time", r)
			}
			if deny {
				r = state.Reservation{Key: "k", ID: "x", Period: state.Month} // as if held before the outage
			}
			want(p.Settle(ctx, r, 7))
			ok, _, err := p.Allow(ctx, "k", 1, 1, time.Minute)
			want(err)
			if ok == deny {
				t.Errorf("deny=%v: Allow said %v", deny, ok)
			}
			l, ok, err := p.Acquire(ctx, "k", 1, time.Minute)
			want(err)
			if !deny && (!ok || l.Release(ctx) != nil) {
				t.Errorf("fail-open Acquire: %v, lease %v", ok, l)
			}
			// Failing open, the unchecked reservation's settle does not
			// reach the back end.
			wantOps := []string{"reserve", "allow", "acquire"}
			if deny {
				wantOps = []string{"reserve", "settle", "allow", "acquire"}
			}
			if fmt.Sprint(ops) != fmt.Sprint(wantOps) {
				t.Errorf("reported %v, want %v", ops, wantOps)
			}
		})
	}
}

// TestPolicyPassesAnswers: with the back end up, refusals and leases come
// through the policy unchanged.
func TestPolicyPassesAnswers(t *testing.T) {
	ctx := context.Background()
	m := memory.New(memory.Options{})
	defer m.Close()
	p := &state.Policy{Backend: m, OnUnavailable: func(op string, err error) { t.Errorf("%s reported %v", op, err) }}
	r, err := p.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 8, Limit: 10, Period: state.Day, TTL: time.Minute})
	if err != nil || r.Unchecked() {
		t.Fatalf("Reserve = %+v, %v", r, err)
	}
	if _, err := p.Reserve(ctx, state.BudgetRequest{Key: "k", Amount: 3, Limit: 10, Period: state.Day, TTL: time.Minute}); !errors.Is(err, state.ErrBudgetExceeded) {
		t.Errorf("over the budget through the policy: %v", err)
	}
	if err := p.Settle(ctx, r, 8); err != nil {
		t.Error(err)
	}
	if err := p.Release(ctx, r); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("release after settle: %v, want ErrNotHeld", err)
	}
	l, ok, err := p.Acquire(ctx, "s", 1, time.Minute)
	if err != nil || !ok {
		t.Fatalf("Acquire: %v %v", ok, err)
	}
	if _, ok, _ := p.Acquire(ctx, "s", 1, time.Minute); ok {
		t.Error("a second holder got through the policy")
	}
	if err := l.Release(ctx); err != nil {
		t.Error(err)
	}
	if err := l.Release(ctx); !errors.Is(err, state.ErrNotHeld) {
		t.Errorf("second release: %v, want ErrNotHeld", err)
	}
}
