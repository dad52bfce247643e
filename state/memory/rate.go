package memory

import (
	"context"
	"fmt"
	"time"

	"switchyard/state"
)

// Allow implements state.RateLimiter with GCRA: the bucket is one
// theoretical arrival time (tat); each unit of cost moves it window/limit
// later, and a call is allowed while tat stays within one window of now.
func (b *Backend) Allow(_ context.Context, key string, cost, limit int64, window time.Duration) (bool, time.Duration, error) {
	if err := state.CheckRate(key, cost, limit, window); err != nil {
		return false, 0, err
	}
	now := b.lock()
	defer b.mu.Unlock()
	tat := b.tats[key]
	if tat.Before(now) {
		tat = now
	}
	next := tat.Add(gcraStep(cost, limit, window))
	if over := next.Sub(now) - window; over > 0 {
		return false, over, nil
	}
	b.tats[key] = next
	return true, 0, nil
}

// Adjust implements state.RateLimiter: it moves the arrival time by
// delta's step, never before now (an empty bucket).
func (b *Backend) Adjust(_ context.Context, key string, delta, limit int64, window time.Duration) error {
	if err := state.CheckAdjust(key, delta, limit, window); err != nil {
		return err
	}
	if delta == 0 {
		return nil
	}
	now := b.lock()
	defer b.mu.Unlock()
	tat := b.tats[key]
	if tat.Before(now) {
		tat = now
	}
	if delta > 0 {
		tat = tat.Add(gcraStep(delta, limit, window))
	} else {
		tat = tat.Add(-gcraStep(-delta, limit, window))
	}
	if !tat.After(now) {
		delete(b.tats, key)
		return nil
	}
	b.tats[key] = tat
	return nil
}

// gcraStep is how far cost moves the arrival time: cost*window/limit,
// computed without overflow.
func gcraStep(cost, limit int64, window time.Duration) time.Duration {
	w := int64(window)
	return time.Duration(w/limit*cost + w%limit*cost/limit)
}

// Acquire implements state.Semaphore.
func (b *Backend) Acquire(_ context.Context, key string, limit int, ttl time.Duration) (state.Lease, bool, error) {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return nil, false, err
	}
	if limit < 1 {
		return nil, false, fmt.Errorf("%w: semaphore limit %d < 1", state.ErrInvalid, limit)
	}
	now := b.lock()
	defer b.mu.Unlock()
	holders := b.semHolders(key, now)
	if len(holders) >= limit {
		return nil, false, nil
	}
	if holders == nil {
		holders = map[string]time.Time{}
		b.sems[key] = holders
	}
	id := state.NewID()
	holders[id] = now.Add(ttl)
	return &lease{b: b, key: key, id: id}, true, nil
}

// semHolders returns key's live holders, dropping the expired ones (and
// the key when none is left).
func (b *Backend) semHolders(key string, now time.Time) map[string]time.Time {
	holders := b.sems[key]
	for id, exp := range holders {
		if !exp.After(now) {
			delete(holders, id)
		}
	}
	if holders != nil && len(holders) == 0 {
		delete(b.sems, key)
		return nil
	}
	return holders
}

type lease struct {
	b       *Backend
	key, id string
}

// Release implements state.Lease.
func (l *lease) Release(context.Context) error {
	now := l.b.lock()
	defer l.b.mu.Unlock()
	holders := l.b.semHolders(l.key, now)
	if _, ok := holders[l.id]; !ok {
		return fmt.Errorf("%w: lease on %q", state.ErrNotHeld, l.key)
	}
	delete(holders, l.id)
	l.b.semHolders(l.key, now)
	return nil
}

// Extend implements state.Lease.
func (l *lease) Extend(_ context.Context, ttl time.Duration) error {
	if err := state.CheckKeyTTL(l.key, ttl); err != nil {
		return err
	}
	now := l.b.lock()
	defer l.b.mu.Unlock()
	holders := l.b.semHolders(l.key, now)
	if _, ok := holders[l.id]; !ok {
		return fmt.Errorf("%w: lease on %q", state.ErrNotHeld, l.key)
	}
	holders[l.id] = now.Add(ttl)
	return nil
}
