package redis

import (
	"context"
	"fmt"
	"time"

	"switchyard/state"
)

// Allow implements state.RateLimiter with GCRA in one script, in
// milliseconds: a Retry-After is rounded up to the next millisecond.
func (b *Backend) Allow(ctx context.Context, key string, cost, limit int64, window time.Duration) (bool, time.Duration, error) {
	if err := state.CheckRate(key, cost, limit, window); err != nil {
		return false, 0, err
	}
	r, err := b.run(ctx, allowScript, []string{b.key("rate", key)}, cost, limit, window.Milliseconds())
	if err != nil {
		return false, 0, err
	}
	n, err := integers(r, 2)
	if err != nil {
		return false, 0, err
	}
	return n[0] == 1, time.Duration(n[1]) * time.Millisecond, nil
}

// Adjust implements state.RateLimiter in one script, in milliseconds.
func (b *Backend) Adjust(ctx context.Context, key string, delta, limit int64, window time.Duration) error {
	if err := state.CheckAdjust(key, delta, limit, window); err != nil {
		return err
	}
	if delta == 0 {
		return nil
	}
	_, err := b.run(ctx, adjustScript, []string{b.key("rate", key)}, delta, limit, window.Milliseconds())
	return err
}

// Acquire implements state.Semaphore.
func (b *Backend) Acquire(ctx context.Context, key string, limit int, ttl time.Duration) (state.Lease, bool, error) {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return nil, false, err
	}
	if limit < 1 {
		return nil, false, fmt.Errorf("%w: semaphore limit %d < 1", state.ErrInvalid, limit)
	}
	id := state.NewID()
	k := b.key("sem", key)
	r, err := b.run(ctx, acquireScript, []string{k}, limit, id, ttl.Milliseconds())
	if err != nil {
		return nil, false, err
	}
	ok, err := integer(r, 0)
	if err != nil || ok == 0 {
		return nil, false, err
	}
	return &lease{b: b, key: k, name: key, id: id}, true, nil
}

type lease struct {
	b             *Backend
	key, name, id string
}

// Release implements state.Lease.
func (l *lease) Release(ctx context.Context) error { return l.update(ctx, -1) }

// Extend implements state.Lease.
func (l *lease) Extend(ctx context.Context, ttl time.Duration) error {
	if err := state.CheckKeyTTL(l.name, ttl); err != nil {
		return err
	}
	return l.update(ctx, ttl.Milliseconds())
}

// update extends the lease by ttl ms, or releases it when ttl is -1.
func (l *lease) update(ctx context.Context, ttl int64) error {
	r, err := l.b.run(ctx, leaseScript, []string{l.key}, l.id, ttl)
	if err != nil {
		return err
	}
	held, err := integer(r, 0)
	if err != nil {
		return err
	}
	if held == 0 {
		return fmt.Errorf("%w: lease on %q", state.ErrNotHeld, l.name)
	}
	return nil
}
