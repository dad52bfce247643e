package config

import (
	"fmt"
	"math"
	"regexp"
	"slices"
)

// This file holds the budgets section: spending limits per tenant, client
// key or route, per UTC day or month, in USD or tokens.

// The scopes a budget counts over.
const (
	ScopeTenant = "tenant"
	ScopeKey    = "key"
	ScopeRoute  = "route"
)

// The periods a budget counts over (UTC calendar days and months).
const (
	PeriodDaily   = "daily"
	PeriodMonthly = "monthly"
)

// The budget modes.
const (
	// BudgetHard refuses a request (429 budget_exceeded) whose estimated
	// cost does not fit what is left.
	BudgetHard = "hard"
	// BudgetSoft never refuses: once the budget is spent, only
	// deployments within its price ceiling are chosen, and an alert says
	// so.
	BudgetSoft = "soft"
)

// What a USD budget does with a deployment whose price is unknown (the
// request's cost there cannot be counted in USD).
const (
	// UnknownCostExclude keeps such deployments out of the requests the
	// budget applies to: they are rejected in routing, a pinned one with
	// a 422. The default for a USD budget.
	UnknownCostExclude = "exclude"
	// UnknownCostAllow lets requests go to them, charged $0 there: the
	// budget can then be spent past without knowing it.
	UnknownCostAllow = "allow"
)

// MatchAll as a budget's Match gives every tenant, key or route a budget
// of its own.
const MatchAll = "*"

// DefaultAlertAt is the share of a budget whose use raises an alert when
// alert_at is unset.
const DefaultAlertAt = 0.8

// MaxLimitUSD bounds limit_usd: budgets count micro-dollars up to 2^53.
const MaxLimitUSD = 9e9

// BuiltinRoutes are the routes every router has without configuring them
// (switchyard/route defines them; a test keeps the two lists equal).
var BuiltinRoutes = []string{"auto", "auto-best", "auto-cheap"}

var (
	budgetScopes  = []string{ScopeTenant, ScopeKey, ScopeRoute}
	budgetPeriods = []string{PeriodDaily, PeriodMonthly}
	budgetModes   = []string{BudgetHard, BudgetSoft}
	unknownCosts  = []string{UnknownCostExclude, UnknownCostAllow}
	// budgetNameRE is stricter than nameRE: budget names are metric label
	// values and parts of shared-state keys.
	budgetNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$`)
)

// Budget is one spending limit. Every request that matches it is charged
// to it: tenant budgets by the client key's tenant, key budgets by the
// key's name, route budgets by the route asked for.
type Budget struct {
	// Name identifies the budget in errors, logs and metrics; unique.
	Name string
	// Scope is ScopeTenant, ScopeKey or ScopeRoute.
	Scope string
	// Match is the tenant, key name or route the budget applies to, or
	// MatchAll for a budget of its own for each one.
	Match string
	// Period is PeriodDaily or PeriodMonthly.
	Period string
	// LimitUSD or LimitTokens (exactly one is > 0) is what the period may
	// spend.
	LimitUSD    float64
	LimitTokens int64
	// Mode is BudgetHard or BudgetSoft; empty means BudgetHard.
	Mode string
	// Soft is the price ceiling of a soft budget once it is spent; only
	// with BudgetSoft, which requires one of its prices.
	Soft SoftBudget
	// AlertAt is the share of the limit whose use raises an alert, once
	// per period, in (0, 1]; zero means DefaultAlertAt.
	AlertAt float64
	// UnknownCost is UnknownCostExclude or UnknownCostAllow for a USD
	// budget (empty means UnknownCostExclude); a token budget has none
	// (tokens are counted whatever the price).
	UnknownCost string
}

// ExcludesUnknownCost reports whether requests under b may not go to a
// deployment whose price is unknown.
func (b *Budget) ExcludesUnknownCost() bool {
	return b.LimitUSD > 0 && b.UnknownCost != UnknownCostAllow
}

// SoftBudget is the price ceiling, in USD per 1M tokens, that a spent soft
// budget puts on the deployments a request may go to; zero means none.
type SoftBudget struct {
	MaxInputPrice, MaxOutputPrice float64
}

func (d *decoder) budgets(e entry) []Budget {
	els := d.list(e, `[{name: acme-daily, scope: tenant, match: acme, period: daily, limit_usd: 50}]`)
	out := make([]Budget, len(els))
	for i, el := range els {
		b := &out[i]
		d.object(el.node, el.path, []field{
			{"name", func(e entry) { d.str(e, &b.Name) }},
			{"scope", func(e entry) { d.str(e, &b.Scope) }},
			{"match", func(e entry) { d.str(e, &b.Match) }},
			{"period", func(e entry) { d.str(e, &b.Period) }},
			{"limit_usd", func(e entry) { d.number(e, &b.LimitUSD, "USD per period, e.g. 50") }},
			{"limit_tokens", func(e entry) { d.integer(e, &b.LimitTokens, true, "tokens per period, e.g. 1000000") }},
			{"mode", func(e entry) { d.str(e, &b.Mode) }},
			{"unknown_cost", func(e entry) { d.str(e, &b.UnknownCost) }},
			{"soft", func(e entry) {
				const hint = "USD per 1M tokens, e.g. 1.0"
				d.object(e.node, e.path, []field{
					{"max_input_price", func(e entry) { d.number(e, &b.Soft.MaxInputPrice, hint) }},
					{"max_output_price", func(e entry) { d.number(e, &b.Soft.MaxOutputPrice, hint) }},
				})
			}},
			{"alert_at", func(e entry) {
				const hint = "a share of the limit, e.g. 0.8 (alert when 80% is used); omit it for 0.8"
				if d.number(e, &b.AlertAt, hint); b.AlertAt == 0 && !isNull(e.node) && !d.covered(e.path) {
					d.fail(e.path, e.node, "must be > 0 and <= 1, got 0", hint) // not defaulted: 0 was written
				}
			}},
		})
	}
	return out
}

func (c *Config) budgetDefaults() {
	for i := range c.Budgets {
		b := &c.Budgets[i]
		if b.Mode == "" {
			b.Mode = BudgetHard
		}
		if b.AlertAt == 0 {
			b.AlertAt = DefaultAlertAt
		}
		if b.UnknownCost == "" && b.LimitUSD > 0 {
			b.UnknownCost = UnknownCostExclude
		}
	}
}

func (v *validator) budgets() {
	for i := range v.c.Budgets {
		b := &v.c.Budgets[i]
		path := fmt.Sprintf("budgets[%d]", i)
		switch {
		case b.Name == "":
			v.add(path+".name", "is required", "a name for errors and metrics, e.g. acme-daily")
		case !budgetNameRE.MatchString(b.Name):
			v.add(path+".name", fmt.Sprintf("invalid name %q", b.Name), "1 to 64 letters, digits and _ . -, starting with a letter or digit")
		case slices.ContainsFunc(v.c.Budgets[:i], func(o Budget) bool { return o.Name == b.Name }):
			v.add(path+".name", fmt.Sprintf("budget %q is defined twice", b.Name), "budget names are unique")
		}
		if !slices.Contains(budgetPeriods, b.Period) {
			v.add(path+".period", unknownOr("period", b.Period), choices(b.Period, "valid periods", budgetPeriods))
		}
		v.budgetScope(path, b)
		v.budgetLimit(path, b)
		v.budgetMode(path, b)
		v.budgetUnknownCost(path, b)
		if a := b.AlertAt; !(a > 0 && a <= 1) {
			v.add(path+".alert_at", "must be > 0 and <= 1, got "+ftoa(a), "a share of the limit, e.g. 0.8 (alert when 80% is used); omit it for 0.8")
		}
	}
}

// unknownOr says a required value is missing or not one of its choices.
func unknownOr(what, got string) string {
	if got == "" {
		return "is required"
	}
	return fmt.Sprintf("unknown %s %q", what, got)
}

// budgetScope checks scope and match: the tenant, key or route matched
// must exist, since a budget that matches nothing would silently not apply.
func (v *validator) budgetScope(path string, b *Budget) {
	if !slices.Contains(budgetScopes, b.Scope) {
		v.add(path+".scope", unknownOr("scope", b.Scope), choices(b.Scope, "valid scopes", budgetScopes))
		return
	}
	// Managed keys' tenants are known from the tenants section.
	if b.Scope != ScopeRoute && v.c.AuthDisabled() && (b.Scope != ScopeTenant || len(v.c.Tenants) == 0) {
		v.add(path+".scope", fmt.Sprintf("scope %s needs client keys, and auth.keys is empty", b.Scope),
			"configure auth.keys (with tenant and name), or use scope route")
		return
	}
	if b.Match == "" {
		v.add(path+".match", "is required", fmt.Sprintf("the %s the budget applies to, or \"*\" for one budget per %s", b.Scope, b.Scope))
		return
	}
	if b.Match == MatchAll {
		return
	}
	var known []string
	switch b.Scope {
	case ScopeTenant:
		for i := range v.c.Auth.Keys {
			known = appendNew(known, v.c.Auth.Keys[i].TenantOf(i))
		}
		for _, name := range v.c.TenantNames() {
			known = appendNew(known, name)
		}
	case ScopeKey: // a key by its name, or by tenant/name
		for i := range v.c.Auth.Keys {
			k := &v.c.Auth.Keys[i]
			known = appendNew(known, k.Label(i))
			if t := k.TenantOf(i); t != "" {
				known = appendNew(known, t+"/"+k.Label(i))
			}
		}
	case ScopeRoute:
		known = append(v.routeNames(), BuiltinRoutes...)
	}
	if !slices.Contains(known, b.Match) {
		v.add(path+".match", fmt.Sprintf("no %s is called %q", b.Scope, b.Match), choices(b.Match, "known", append(known, MatchAll)))
	}
}

func appendNew(s []string, v string) []string {
	if slices.Contains(s, v) {
		return s
	}
	return append(s, v)
}

func (v *validator) budgetLimit(path string, b *Budget) {
	const hint = "set exactly one of limit_usd (e.g. 50) and limit_tokens (e.g. 1000000)"
	switch {
	case b.LimitUSD != 0 && b.LimitTokens != 0:
		v.add(path, "sets both limit_usd and limit_tokens", hint+"; use two budgets to limit both")
	case b.LimitUSD == 0 && b.LimitTokens == 0:
		v.add(path, "sets neither limit_usd nor limit_tokens", hint)
	case b.LimitUSD < 0 || math.IsNaN(b.LimitUSD):
		v.add(path+".limit_usd", "must be > 0, got "+ftoa(b.LimitUSD), "USD per period, e.g. 50")
	case b.LimitUSD > MaxLimitUSD:
		v.add(path+".limit_usd", "must be at most 9e9, got "+ftoa(b.LimitUSD), "USD per period, e.g. 50")
	case b.LimitUSD > 0 && b.LimitUSD < 1e-6:
		v.add(path+".limit_usd", "is below one micro-dollar, got "+ftoa(b.LimitUSD), "budgets count whole micro-dollars")
	case b.LimitTokens < 0 || b.LimitTokens > 1<<53:
		v.add(path+".limit_tokens", fmt.Sprintf("must be between 1 and 2^53, got %d", b.LimitTokens), "tokens per period, e.g. 1000000")
	}
}

func (v *validator) budgetMode(path string, b *Budget) {
	s := b.Soft
	switch {
	case !slices.Contains(budgetModes, b.Mode):
		v.add(path+".mode", fmt.Sprintf("unknown mode %q", b.Mode), choices(b.Mode, "valid modes", budgetModes))
	case b.Mode == BudgetHard && s != (SoftBudget{}):
		v.add(path+".soft", "is only used by mode soft", "set mode: soft, or remove it")
	case b.Mode == BudgetSoft && s == (SoftBudget{}):
		v.add(path+".soft", "mode soft needs a price ceiling", "e.g. soft: {max_input_price: 1, max_output_price: 4} (USD per 1M tokens)")
	}
	for _, p := range []struct {
		name  string
		price float64
	}{{"max_input_price", s.MaxInputPrice}, {"max_output_price", s.MaxOutputPrice}} {
		if p.price < 0 {
			v.add(path+".soft."+p.name, "must be >= 0, got "+ftoa(p.price), "USD per 1M tokens, e.g. 1.0")
		}
	}
}

func (v *validator) budgetUnknownCost(path string, b *Budget) {
	switch {
	case b.UnknownCost == "":
	case b.LimitUSD == 0 && b.LimitTokens > 0:
		v.add(path+".unknown_cost", "is only used by USD budgets (limit_usd)", "remove it: a token budget counts tokens whatever the price")
	case !slices.Contains(unknownCosts, b.UnknownCost):
		v.add(path+".unknown_cost", fmt.Sprintf("unknown value %q", b.UnknownCost), choices(b.UnknownCost, "valid values", unknownCosts))
	}
}
