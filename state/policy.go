package state

import (
	"context"
	"errors"
	"time"
)

// This file applies state.on_error: what a request meets when the back end
// does not answer.

// Policy wraps a Backend so that a failure of the back end itself
// (ErrUnavailable) is reported and then either lets the request through
// (fail open) or is returned (fail closed). Refusals, ErrInvalid and
// ErrNotHeld pass through unchanged.
type Policy struct {
	Backend
	// Deny makes ErrUnavailable reach the caller (state.on_error: deny);
	// false lets the request go on unchecked (allow, the default).
	Deny bool
	// OnUnavailable, if not nil, is called with the operation's name
	// ("reserve", "settle", "release", "allow", "adjust", "acquire", "lease") and the
	// error each time the back end does not answer, whatever Deny says:
	// the wiring counts it in a metric and logs it. It must be safe for
	// concurrent use.
	OnUnavailable func(op string, err error)
}

// unavailable reports err if it is ErrUnavailable and returns whether the
// call is let through unchecked.
func (p *Policy) unavailable(op string, err error) (pass bool) {
	if !errors.Is(err, ErrUnavailable) {
		return false
	}
	if p.OnUnavailable != nil {
		p.OnUnavailable(op, err)
	}
	return !p.Deny
}

// Reserve implements Budgets. Failing open, it returns an unchecked
// Reservation (empty ID), which Settle and Release accept and ignore: what
// the request spends while the back end is down is not counted.
func (p *Policy) Reserve(ctx context.Context, req BudgetRequest) (Reservation, error) {
	r, err := p.Backend.Reserve(ctx, req)
	if err != nil && p.unavailable("reserve", err) {
		var resets time.Time
		if req.Period.Valid() {
			_, resets = req.Period.Bounds(time.Now())
		}
		return Reservation{Key: req.Key, Period: req.Period, Amount: req.Amount, Limit: req.Limit, Resets: resets}, nil
	}
	return r, err
}

// Settle implements Budgets; an unchecked reservation is ignored.
func (p *Policy) Settle(ctx context.Context, r Reservation, actual int64) error {
	if r.Unchecked() {
		return nil
	}
	err := p.Backend.Settle(ctx, r, actual)
	if err != nil && p.unavailable("settle", err) {
		return nil
	}
	return err
}

// Release implements Budgets; an unchecked reservation is ignored.
func (p *Policy) Release(ctx context.Context, r Reservation) error {
	if r.Unchecked() {
		return nil
	}
	err := p.Backend.Release(ctx, r)
	if err != nil && p.unavailable("release", err) {
		return nil
	}
	return err
}

// Allow implements RateLimiter; failing open, it allows.
func (p *Policy) Allow(ctx context.Context, key string, cost, limit int64, window time.Duration) (bool, time.Duration, error) {
	ok, wait, err := p.Backend.Allow(ctx, key, cost, limit, window)
	if err != nil && p.unavailable("allow", err) {
		return true, 0, nil
	}
	return ok, wait, err
}

// Adjust implements RateLimiter; failing open, the adjustment is lost.
func (p *Policy) Adjust(ctx context.Context, key string, delta, limit int64, window time.Duration) error {
	err := p.Backend.Adjust(ctx, key, delta, limit, window)
	if err != nil && p.unavailable("adjust", err) {
		return nil
	}
	return err
}

// Acquire implements Semaphore; failing open, it grants a lease that holds
// nothing.
func (p *Policy) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (Lease, bool, error) {
	l, ok, err := p.Backend.Acquire(ctx, key, limit, ttl)
	if err != nil && p.unavailable("acquire", err) {
		return noLease{}, true, nil
	}
	if ok {
		l = &policyLease{Lease: l, p: p}
	}
	return l, ok, err
}

// Unchecked reports whether r was granted without the back end (failing
// open), so that settling it counts nothing.
func (r Reservation) Unchecked() bool { return r.ID == "" && r.Key != "" }

type noLease struct{}

func (noLease) Release(context.Context) error               { return nil }
func (noLease) Extend(context.Context, time.Duration) error { return nil }

// policyLease applies the policy to a real lease's Release and Extend.
type policyLease struct {
	Lease
	p *Policy
}

func (l *policyLease) Release(ctx context.Context) error {
	if err := l.Lease.Release(ctx); err != nil && !l.p.unavailable("lease", err) {
		return err
	}
	return nil
}

func (l *policyLease) Extend(ctx context.Context, ttl time.Duration) error {
	if err := l.Lease.Extend(ctx, ttl); err != nil && !l.p.unavailable("lease", err) {
		return err
	}
	return nil
}
