package adaptive

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"switchyard/learn/bandit"
	"switchyard/store"
)

// This file saves the statistics to the request store and restores them
// at start.

// snapshotVersion is the encoding's version; another one is ignored.
const snapshotVersion = 1

type snapshotJSON struct {
	Version int       `json:"version"`
	At      time.Time `json:"at"`
	Arms    []armJSON `json:"arms"`
}

type armJSON struct {
	Route      string  `json:"route"`
	Deployment string  `json:"deployment"`
	Tenant     string  `json:"tenant,omitempty"`
	Context    string  `json:"context"`
	Good       float64 `json:"good"`
	Bad        float64 `json:"bad"`
}

// Encode returns the JSON of the counts decayed to at.
func Encode(s *bandit.Snapshot) ([]byte, error) {
	out := snapshotJSON{Version: snapshotVersion, At: s.At.UTC(), Arms: make([]armJSON, 0, s.Len())}
	s.Each(func(k bandit.Key, c bandit.Counts) {
		out.Arms = append(out.Arms, armJSON{k.Route, k.Deployment, k.Tenant, k.Context.String(), c.Good, c.Bad})
	})
	return json.Marshal(out)
}

// Decode reads what Encode writes, keeping the arms of the routes keep
// reports true for.
func Decode(data []byte, keep func(route string) bool) (*bandit.Snapshot, error) {
	var in snapshotJSON
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, fmt.Errorf("adaptive: decode snapshot: %w", err)
	}
	if in.Version != snapshotVersion {
		return nil, fmt.Errorf("adaptive: snapshot version %d, want %d", in.Version, snapshotVersion)
	}
	counts := make(map[bandit.Key]bandit.Counts, len(in.Arms))
	for _, a := range in.Arms {
		c, ok := bandit.ParseContext(a.Context)
		if !ok || !keep(a.Route) || a.Good < 0 || a.Bad < 0 {
			continue
		}
		counts[bandit.Key{Route: a.Route, Deployment: a.Deployment, Tenant: a.Tenant, Context: c}] = bandit.Counts{Good: a.Good, Bad: a.Bad}
	}
	return bandit.NewSnapshot(in.At, counts), nil
}

// save writes the table, decayed to now, to the store.
func (l *Learner) save(ctx context.Context) error {
	if l.opts.Store == nil {
		return nil
	}
	s := l.tab.Snapshot(l.now())
	data, err := Encode(s)
	if err != nil {
		return err
	}
	return l.opts.Store.SaveSnapshot(ctx, SnapshotName, s.At, data)
}

// restore fills the table at start: from the shared state when it holds
// anything, else from the store's snapshot (which, with a shared state,
// one process then adds to it: the first to claim the seeding).
func (l *Learner) restore(ctx context.Context) {
	if l.shared != nil && l.sync() == nil && l.tab.Len() > 0 {
		return
	}
	s, err := l.load(ctx)
	if err != nil {
		if !errors.Is(err, store.ErrNotFound) {
			l.log.Warn("adaptive: restoring the statistics failed; starting from the priors", "err", err)
		}
		return
	}
	now := l.now()
	s.Each(func(k bandit.Key, c bandit.Counts) { l.tab.Set(k, c, s.At) })
	l.log.Info("adaptive: statistics restored from the store", "arms", s.Len(), "saved", s.At)
	if l.shared == nil {
		return
	}
	ttl := (keptEpochs + 1) * epochLen(l.maxHalfLife())
	if n, err := l.opts.Shared.Add(ctx, seededKey, 1, ttl); err != nil || n != 1 {
		return // another process seeded it, or it does not answer: the next merge replaces the table
	}
	l.tab.Each(now, func(k bandit.Key, c bandit.Counts) { l.shared.note(k, c, now) })
	if err := l.sync(); err != nil {
		l.log.Warn("adaptive: seeding the shared state failed", "err", err)
	}
}

func (l *Learner) load(ctx context.Context) (*bandit.Snapshot, error) {
	if l.opts.Store == nil {
		return nil, store.ErrNotFound
	}
	data, _, err := l.opts.Store.LoadSnapshot(ctx, SnapshotName)
	if err != nil {
		return nil, err
	}
	return Decode(data, func(r string) bool { return l.opts.HalfLife[r] > 0 })
}

func (l *Learner) maxHalfLife() time.Duration {
	var m time.Duration
	for _, h := range l.opts.HalfLife {
		m = max(m, h)
	}
	return m
}
