package budget

import (
	"context"
	"strconv"
	"time"
)

// The alert levels.
const (
	// LevelThreshold: the budget's use reached its alert_at share.
	LevelThreshold = "threshold"
	// LevelExhausted: the budget is spent; a hard one refuses requests,
	// a soft one puts its price ceiling on them.
	LevelExhausted = "exhausted"
)

// Alert is raised once per budget, instance, level and period, across
// every router process sharing the state back end (one that cannot reach
// it may raise it again).
type Alert struct {
	// Budget is the budget's name; Scope and Match what it applies to
	// (Match is the tenant, key or route, even for a match: "*" budget).
	Budget, Scope, Match string
	// Level is LevelThreshold or LevelExhausted.
	Level string
	// Used and Limit are in Unit: micro-dollars or tokens. Used counts
	// what requests in flight hold.
	Used, Limit int64
	Unit        Unit
	// Resets is when the period ends.
	Resets time.Time
}

// alert raises level for m's budget unless this process or another has
// raised it in the period that resets at resets.
func (b *Budgets) alert(ctx context.Context, m *match, level string, used int64, resets time.Time) {
	k := m.key + ":" + level
	b.mu.Lock()
	if b.alerted[k].Equal(resets) {
		b.mu.Unlock()
		return
	}
	b.alerted[k] = resets
	b.mu.Unlock()
	// Across processes, the first to count the period's alert raises it.
	// Should the back end not answer, raise it: twice beats never.
	ttl := max(resets.Sub(b.now()), 0) + time.Hour
	if n, err := b.st.Add(ctx, "budget-alert:"+k+":"+strconv.FormatInt(resets.Unix(), 10), 1, ttl); err == nil && n > 1 {
		return
	}
	a := Alert{Budget: m.r.name, Scope: m.r.scope, Match: m.instance, Level: level, Used: used, Limit: m.r.limit, Unit: m.r.unit, Resets: resets}
	b.log.Warn("budget alert", "budget", a.Budget, "scope", a.Scope, "match", a.Match, "level", level,
		"used", m.r.format(used), "limit", m.r.format(a.Limit), "resets", resets.UTC().Format(time.RFC3339))
	m.r.m.alert(level)
	if b.onAlert != nil {
		b.onAlert(a)
	}
}
