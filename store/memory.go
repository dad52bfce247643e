package store

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemoryAuditLimit is how many events a Memory keeps: the newest.
const MemoryAuditLimit = 10000

// Memory is an AuditLog and a ConfigHistory held in the process, for a
// router that keeps no request store (store.driver: none): both are lost
// when it exits, and only the newest MemoryAuditLimit events are kept.
// The zero value is ready to use; it is safe for concurrent use.
type Memory struct {
	mu       sync.Mutex
	events   []AuditEvent // oldest first
	lastID   int64
	versions []ConfigVersion // oldest first, by Version
	lastVer  int64
}

var (
	_ AuditLog      = (*Memory)(nil)
	_ ConfigHistory = (*Memory)(nil)
	_ HistoryPruner = (*Memory)(nil)
)

// AppendAudit implements AuditLog.
func (m *Memory) AppendAudit(_ context.Context, e AuditEvent) error {
	e, err := e.Clean(time.Now())
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastID++
	e.ID = m.lastID
	if len(m.events) >= MemoryAuditLimit {
		m.events = slices.Delete(m.events, 0, len(m.events)-MemoryAuditLimit+1)
	}
	m.events = append(m.events, e)
	return nil
}

// ListAudit implements AuditLog.
func (m *Memory) ListAudit(_ context.Context, scope Scope, f AuditFilter) (AuditPage, error) {
	if err := f.Check(); err != nil {
		return AuditPage{}, err
	}
	limit, _ := (&Filter{Limit: f.Limit}).PageLimit()
	before := int64(-1)
	if f.Cursor != "" {
		before, _ = DecodeAuditCursor(f.Cursor)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var page AuditPage
	for i := len(m.events) - 1; i >= 0; i-- {
		e := m.events[i]
		if before >= 0 && e.ID >= before || !auditMatches(&e, scope, &f) {
			continue
		}
		if len(page.Events) == limit {
			page.Next = EncodeAuditCursor(page.Events[limit-1].ID)
			break
		}
		page.Events = append(page.Events, e)
	}
	return page, nil
}

// auditMatches reports whether e is in scope and matches f (but its
// cursor and limit).
func auditMatches(e *AuditEvent, scope Scope, f *AuditFilter) bool {
	if !scope.All && e.Tenant != scope.Tenant {
		return false
	}
	if p, prefix := f.ActionPrefix(); p != "" && (prefix && !strings.HasPrefix(e.Action, p) || !prefix && e.Action != p) {
		return false
	}
	return (f.Actor == "" || e.Actor == f.Actor) &&
		(f.Since.IsZero() || !e.Time.Before(f.Since)) &&
		(f.Until.IsZero() || e.Time.Before(f.Until))
}

// AppendConfigVersion implements ConfigHistory.
func (m *Memory) AppendConfigVersion(_ context.Context, v ConfigVersion) (int64, error) {
	if v.Time.IsZero() {
		v.Time = time.Now()
	}
	v.Time = v.Time.UTC()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.lastVer++
	v.Version = m.lastVer
	m.versions = append(m.versions, v)
	return v.Version, nil
}

// find returns the index of version n in m.versions, or -1.
func (m *Memory) find(n int64) int {
	i, ok := slices.BinarySearchFunc(m.versions, n, func(v ConfigVersion, n int64) int { return cmp.Compare(v.Version, n) })
	if !ok {
		return -1
	}
	return i
}

// ConfigVersion implements ConfigHistory.
func (m *Memory) ConfigVersion(_ context.Context, n int64) (ConfigVersion, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	i := m.find(n)
	if i < 0 {
		return ConfigVersion{}, ErrVersionNotFound
	}
	return m.versions[i], nil
}

// ConfigVersions implements ConfigHistory.
func (m *Memory) ConfigVersions(_ context.Context, before int64, limit int) ([]ConfigVersion, error) {
	limit, err := (&Filter{Limit: limit}).PageLimit()
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []ConfigVersion
	for i := len(m.versions) - 1; i >= 0 && len(out) < limit; i-- {
		v := m.versions[i]
		if before > 0 && v.Version >= before {
			continue
		}
		v.YAML, v.Diff = "", ""
		out = append(out, v)
	}
	return out, nil
}

// PruneAudit implements HistoryPruner.
func (m *Memory) PruneAudit(_ context.Context, before time.Time) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.events)
	m.events = slices.DeleteFunc(m.events, func(e AuditEvent) bool { return e.Time.Before(before) })
	return int64(n - len(m.events)), nil
}

// PruneConfigVersions implements HistoryPruner.
func (m *Memory) PruneConfigVersions(_ context.Context, before time.Time, keep int) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	n := len(m.versions)
	if n == 0 {
		return 0, nil
	}
	newest := m.versions[n-1].Version
	m.versions = slices.DeleteFunc(m.versions, func(v ConfigVersion) bool {
		return v.Time.Before(before) && v.Version <= newest-int64(max(keep, 1))
	})
	return int64(n - len(m.versions)), nil
}
