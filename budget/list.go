package budget

import (
	"context"
	"slices"
	"strings"
	"time"

	"switchyard/config"
	"switchyard/state"
)

// This file reads the budgets' use back: every budget in force and, for
// each, the instances (tenants, keys, routes) that began the current
// period, as the shared state holds them — what every router process
// sharing it spent and holds.

// Report is one budget in force and its use in the current period.
type Report struct {
	// Name, Scope, Match (config.MatchAll for one budget per tenant, key
	// or route), Period (config.PeriodDaily or PeriodMonthly), Mode
	// (config.BudgetHard or BudgetSoft) and AlertAt are as configured.
	Name, Scope, Match, Period, Mode string
	AlertAt                          float64
	// Unit is what the budget counts; Limit is its limit in the unit's
	// integer (micro-dollars or tokens).
	Unit  Unit
	Limit int64
	// Ceiling is a soft budget's price ceiling once spent; zero for a
	// hard one.
	Ceiling Ceiling
	// Resets is when the current period ends (by the Budgets' clock).
	Resets time.Time
	// Instances are the budget's instances in the current period: for a
	// fixed match, its one (listed from zero before anything is spent;
	// a key budget's match by name: each tenant's key of that name that
	// began the period); for MatchAll, each tenant, key (KeyInstance) or
	// route that began the period, sorted by name.
	Instances []Instance
}

// Instance is the use of one instance of a budget in the current period,
// in the budget's unit's integer.
type Instance struct {
	// Instance is the tenant, the key's tenant and configured name
	// (KeyInstance: "tenant/name"; never the key) or the route.
	Instance string
	// Spent is what finished requests cost; Reserved what requests in
	// flight hold.
	Spent, Reserved int64
	Resets          time.Time
}

// Used is what in counts against its limit: spent plus held.
func (in *Instance) Used() int64 { return in.Spent + in.Reserved }

// Remaining is what r's limit leaves to in, never below zero.
func (r *Report) Remaining(in *Instance) int64 { return max(0, r.Limit-in.Used()) }

// Share is the share of r's limit in uses (above 1 when overshot).
func (r *Report) Share(in *Instance) float64 { return float64(in.Used()) / float64(r.Limit) }

// List returns every budget in force, in the configuration's order, with
// its instances' use in the current period. It makes one ListBudgets call
// on the state back end per period in use (a Redis SCAN), never one per
// budget. A nil Budgets lists nothing. It returns the back end's error
// (state.ErrUnavailable when it does not answer).
func (b *Budgets) List(ctx context.Context) ([]Report, error) {
	if b == nil {
		return nil, nil
	}
	rules := b.list()
	byPeriod := map[state.Period][]state.KeyUsage{}
	for _, r := range rules {
		if _, done := byPeriod[r.period]; done {
			continue
		}
		list, err := b.st.ListBudgets(ctx, "budget:", r.period)
		if err != nil {
			return nil, err
		}
		byPeriod[r.period] = list
	}
	out := make([]Report, len(rules))
	for i, r := range rules {
		out[i] = r.report(b.now(), byPeriod[r.period])
	}
	return out, nil
}

// report is r's Report at now, from the state's budgets of its period.
func (r *rule) report(now time.Time, all []state.KeyUsage) Report {
	_, resets := r.period.Bounds(now)
	rep := Report{Name: r.name, Scope: r.scope, Match: r.cfg.Match, Period: r.cfg.Period, Mode: r.cfg.Mode, AlertAt: r.cfg.AlertAt,
		Unit: r.unit, Limit: r.limit, Ceiling: r.ceiling, Resets: resets, Instances: []Instance{}}
	if rep.Mode == "" {
		rep.Mode = config.BudgetHard
	}
	for _, k := range all {
		name, ok := r.instanceOf(k.Key)
		if ok {
			rep.Instances = append(rep.Instances, Instance{Instance: name, Spent: k.Spent, Reserved: k.Reserved, Resets: k.Resets})
		}
	}
	if r.match != "" && len(rep.Instances) == 0 {
		rep.Instances = append(rep.Instances, Instance{Instance: r.match, Resets: resets})
	}
	slices.SortFunc(rep.Instances, func(a, b Instance) int { return strings.Compare(a.Instance, b.Instance) })
	return rep
}

// instanceOf returns the instance a state key holds r's amounts for, and
// whether it is r's. Budget names hold no colon, so one budget's prefix
// never starts another's key.
func (r *rule) instanceOf(key string) (string, bool) {
	if r.match != "" && r.scope != config.ScopeKey {
		return r.match, key == r.key
	}
	name, ok := strings.CutPrefix(key, r.key+":")
	if !ok || name == "" {
		return "", false
	}
	if r.match != "" { // a key budget's match: a name, or tenant/name
		return name, name == r.match || strings.HasSuffix(name, "/"+r.match)
	}
	return name, true
}
