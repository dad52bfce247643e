// Package memory is the in-process state back end, the default: budgets,
// rate limits, semaphores and values held in maps behind one mutex. It is
// exact and safe for concurrent use, but shared only by the goroutines of
// one process; several router processes need state/redis.
//
// It starts no goroutines: expired entries are dropped when touched, and
// every sweepEvery operations a sweep drops the rest, so nothing grows
// forever.
package memory

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"switchyard/state"
)

var _ state.Backend = (*Backend)(nil)

// sweepEvery is how many operations pass between two sweeps.
const sweepEvery = 4096

// Options configures a Backend.
type Options struct {
	// Now is the clock; nil means time.Now. Tests inject a fake one.
	Now func() time.Time
}

// Backend implements state.Backend in memory. Its zero value is not
// usable; call New.
type Backend struct {
	now func() time.Time

	mu      sync.Mutex
	budgets map[budgetKey]*budget
	tats    map[string]time.Time // rate limit key → theoretical arrival time
	sems    map[string]map[string]time.Time
	values  map[string]*value
	floats  map[string]*floatMap
	ops     int
}

type floatMap struct {
	fields  map[string]float64
	expires time.Time
	seqs    map[string]int64 // the last Seq of each writer added (AddFloatsOnce)
}

type value struct {
	data    []byte
	counter int64
	isCount bool
	expires time.Time
}

// New returns an empty Backend.
func New(opts Options) *Backend {
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	return &Backend{
		now:     now,
		budgets: map[budgetKey]*budget{},
		tats:    map[string]time.Time{},
		sems:    map[string]map[string]time.Time{},
		values:  map[string]*value{},
		floats:  map[string]*floatMap{},
	}
}

// Close drops everything held; it always returns nil.
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	clear(b.budgets)
	clear(b.tats)
	clear(b.sems)
	clear(b.values)
	clear(b.floats)
	return nil
}

// lock takes the mutex and returns the time of this operation, sweeping
// every sweepEvery calls. The caller unlocks.
func (b *Backend) lock() time.Time {
	b.mu.Lock()
	now := b.now()
	if b.ops++; b.ops >= sweepEvery {
		b.ops = 0
		b.sweep(now)
	}
	return now
}

// sweep drops every entry that has expired.
func (b *Backend) sweep(now time.Time) {
	for k, bu := range b.budgets {
		bu.purge(now)
		bu.forget(now)
		if _, resets := k.period.Bounds(bu.start); !now.Before(resets) && len(bu.held) == 0 && len(bu.settled) == 0 {
			delete(b.budgets, k)
		}
	}
	for k, tat := range b.tats {
		if !tat.After(now) {
			delete(b.tats, k)
		}
	}
	for k := range b.sems {
		b.semHolders(k, now)
	}
	for k, v := range b.values {
		if !v.expires.After(now) {
			delete(b.values, k)
		}
	}
	for k, f := range b.floats {
		if !f.expires.After(now) {
			delete(b.floats, k)
		}
	}
}

// AddFloats implements state.Store.
func (b *Backend) AddFloats(_ context.Context, key string, deltas map[string]float64, ttl time.Duration) (map[string]float64, error) {
	if err := state.CheckFloats(key, deltas, ttl); err != nil {
		return nil, err
	}
	return b.addFloats(key, state.Once{}, deltas, ttl), nil
}

// AddFloatsOnce implements state.Store.
func (b *Backend) AddFloatsOnce(_ context.Context, key string, once state.Once, deltas map[string]float64, ttl time.Duration) (map[string]float64, error) {
	if err := state.CheckFloats(key, deltas, ttl); err != nil {
		return nil, err
	}
	if err := state.CheckOnce(once); err != nil {
		return nil, err
	}
	return b.addFloats(key, once, deltas, ttl), nil
}

// addFloats adds deltas to the map at key, unless once names a writer
// whose Seq is not above the last it added there, and returns a copy of
// the map.
func (b *Backend) addFloats(key string, once state.Once, deltas map[string]float64, ttl time.Duration) map[string]float64 {
	now := b.lock()
	defer b.mu.Unlock()
	f := b.floats[key]
	if f != nil && !f.expires.After(now) {
		delete(b.floats, key)
		f = nil
	}
	if f == nil {
		if len(deltas) == 0 {
			return map[string]float64{}
		}
		f = &floatMap{fields: make(map[string]float64, len(deltas)), expires: now.Add(ttl)}
		b.floats[key] = f
	}
	if once.Writer == "" || once.Seq > f.seqs[once.Writer] {
		if once.Writer != "" {
			if f.seqs == nil {
				f.seqs = map[string]int64{}
			}
			f.seqs[once.Writer] = once.Seq
		}
		for k, d := range deltas {
			f.fields[k] += d
		}
	}
	out := make(map[string]float64, len(f.fields))
	for k, v := range f.fields {
		out[k] = v
	}
	return out
}

// Get implements state.Store.
func (b *Backend) Get(_ context.Context, key string) ([]byte, bool, error) {
	if key == "" {
		return nil, false, state.CheckKeyTTL(key, time.Second)
	}
	now := b.lock()
	defer b.mu.Unlock()
	v := b.live(key, now)
	if v == nil {
		return nil, false, nil
	}
	if v.isCount {
		return []byte(strconv.FormatInt(v.counter, 10)), true, nil
	}
	return append([]byte(nil), v.data...), true, nil
}

// Set implements state.Store.
func (b *Backend) Set(_ context.Context, key string, data []byte, ttl time.Duration) error {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return err
	}
	now := b.lock()
	defer b.mu.Unlock()
	b.values[key] = &value{data: append([]byte(nil), data...), expires: now.Add(ttl)}
	return nil
}

// Add implements state.Store.
func (b *Backend) Add(_ context.Context, key string, delta int64, ttl time.Duration) (int64, error) {
	if err := state.CheckKeyTTL(key, ttl); err != nil {
		return 0, err
	}
	now := b.lock()
	defer b.mu.Unlock()
	v := b.live(key, now)
	if v == nil {
		v = &value{isCount: true, expires: now.Add(ttl)}
		b.values[key] = v
	}
	if !v.isCount {
		n, err := strconv.ParseInt(string(v.data), 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%w: key %q holds a value that is not an integer", state.ErrInvalid, key)
		}
		v.isCount, v.counter, v.data = true, n, nil
	}
	v.counter += delta
	return v.counter, nil
}

// live returns key's value unless absent or expired (then dropped).
func (b *Backend) live(key string, now time.Time) *value {
	v, ok := b.values[key]
	if !ok {
		return nil
	}
	if !v.expires.After(now) {
		delete(b.values, key)
		return nil
	}
	return v
}
