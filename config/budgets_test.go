package config

import (
	"reflect"
	"testing"
)

const budgetBase = okProvider + `deployments: {d: {provider: openai}}
routes: {support: {deployments: [d]}}
auth:
  keys:
    - {key: k1, name: app, tenant: acme}
    - {key: k2, name: batch, tenant: acme}
    - k3
`

func TestBudgets(t *testing.T) {
	c := mustParse(t, []byte(budgetBase+`budgets:
  - {name: acme-daily, scope: tenant, match: acme, period: daily, limit_usd: 50}
  - name: per-key
    scope: key
    match: "*"
    period: monthly
    limit_tokens: 1_000_000
    alert_at: 0.5
  - name: support-soft
    scope: route
    match: support
    period: daily
    limit_usd: 5
    mode: soft
    soft: {max_input_price: 1, max_output_price: 4}
  - {name: auto-cap, scope: route, match: auto-cheap, period: monthly, limit_usd: 0.25, unknown_cost: allow}
  - {name: unnamed, scope: key, match: "auth.keys[2]", period: daily, limit_tokens: 10}
`), nil)
	want := []Budget{
		{Name: "acme-daily", Scope: ScopeTenant, Match: "acme", Period: PeriodDaily, LimitUSD: 50, Mode: BudgetHard, AlertAt: DefaultAlertAt, UnknownCost: UnknownCostExclude},
		{Name: "per-key", Scope: ScopeKey, Match: MatchAll, Period: PeriodMonthly, LimitTokens: 1000000, Mode: BudgetHard, AlertAt: 0.5},
		{Name: "support-soft", Scope: ScopeRoute, Match: "support", Period: PeriodDaily, LimitUSD: 5, Mode: BudgetSoft,
			Soft: SoftBudget{MaxInputPrice: 1, MaxOutputPrice: 4}, AlertAt: DefaultAlertAt, UnknownCost: UnknownCostExclude},
		{Name: "auto-cap", Scope: ScopeRoute, Match: "auto-cheap", Period: PeriodMonthly, LimitUSD: 0.25, Mode: BudgetHard, AlertAt: DefaultAlertAt, UnknownCost: UnknownCostAllow},
		{Name: "unnamed", Scope: ScopeKey, Match: "auth.keys[2]", Period: PeriodDaily, LimitTokens: 10, Mode: BudgetHard, AlertAt: DefaultAlertAt},
	}
	if !reflect.DeepEqual(c.Budgets, want) {
		t.Errorf("Budgets =\n%+v\nwant\n%+v", c.Budgets, want)
	}
	for i, excludes := range []bool{true, false, true, false, false} {
		if got := c.Budgets[i].ExcludesUnknownCost(); got != excludes {
			t.Errorf("%s: ExcludesUnknownCost %v, want %v", c.Budgets[i].Name, got, excludes)
		}
	}
}

func TestBudgetMistakes(t *testing.T) {
	const ok = "name: b, scope: tenant, match: acme, period: daily"
	tests := []struct {
		name, yaml    string
		path, problem string
		line          int
	}{
		{"not a list", "budgets: {name: b}\n", "budgets", "must be a list", 9},
		{"unknown field", "budgets: [{" + ok + ", limit_usd: 1, limt: 2}]\n", "budgets[0]", `unknown field "limt"`, 9},
		{"no name", "budgets: [{scope: tenant, match: acme, period: daily, limit_usd: 1}]\n", "budgets[0].name", "is required", 9},
		{"bad name", "budgets: [{name: \"a b\", scope: route, match: support, period: daily, limit_usd: 1}]\n", "budgets[0].name", `invalid name "a b"`, 9},
		{"duplicate name", "budgets:\n  - {" + ok + ", limit_usd: 1}\n  - {" + ok + ", limit_usd: 2}\n", "budgets[1].name", `budget "b" is defined twice`, 11},
		{"unknown scope", "budgets: [{name: b, scope: tenants, match: acme, period: daily, limit_usd: 1}]\n", "budgets[0].scope", `unknown scope "tenants"`, 9},
		{"no scope", "budgets: [{name: b, match: acme, period: daily, limit_usd: 1}]\n", "budgets[0].scope", "is required", 9},
		{"unknown period", "budgets: [{name: b, scope: tenant, match: acme, period: weekly, limit_usd: 1}]\n", "budgets[0].period", `unknown period "weekly"`, 9},
		{"both limits", "budgets: [{" + ok + ", limit_usd: 1, limit_tokens: 5}]\n", "budgets[0]", "sets both limit_usd and limit_tokens", 9},
		{"neither limit", "budgets: [{" + ok + "}]\n", "budgets[0]", "sets neither limit_usd nor limit_tokens", 9},
		{"negative usd", "budgets: [{" + ok + ", limit_usd: -1}]\n", "budgets[0].limit_usd", "must be > 0", 9},
		{"zero tokens", "budgets: [{" + ok + ", limit_tokens: 0}]\n", "budgets[0].limit_tokens", "must be > 0", 9},
		{"fractional tokens", "budgets: [{" + ok + ", limit_tokens: 1.5}]\n", "budgets[0].limit_tokens", "must be an integer", 9},
		{"huge usd", "budgets: [{" + ok + ", limit_usd: 1e12}]\n", "budgets[0].limit_usd", "must be at most 9e9", 9},
		{"no match", "budgets: [{name: b, scope: tenant, period: daily, limit_usd: 1}]\n", "budgets[0].match", "is required", 9},
		{"unknown tenant", "budgets: [{name: b, scope: tenant, match: acne, period: daily, limit_usd: 1}]\n", "budgets[0].match", `no tenant is called "acne"`, 9},
		{"unknown_cost typo", "budgets: [{" + ok + ", limit_usd: 1, unknown_cost: alow}]\n", "budgets[0].unknown_cost", `unknown value "alow"`, 9},
		{"unknown_cost on tokens", "budgets: [{" + ok + ", limit_tokens: 5, unknown_cost: exclude}]\n", "budgets[0].unknown_cost", "is only used by USD budgets", 9},
		{"unknown key", "budgets: [{name: b, scope: key, match: ap, period: daily, limit_usd: 1}]\n", "budgets[0].match", `no key is called "ap"`, 9},
		{"unknown route", "budgets: [{name: b, scope: route, match: suport, period: daily, limit_usd: 1}]\n", "budgets[0].match", `no route is called "suport"`, 9},
		{"unknown mode", "budgets: [{" + ok + ", limit_usd: 1, mode: strict}]\n", "budgets[0].mode", `unknown mode "strict"`, 9},
		{"soft without ceiling", "budgets: [{" + ok + ", limit_usd: 1, mode: soft}]\n", "budgets[0].soft", "mode soft needs a price ceiling", 9},
		{"ceiling on hard", "budgets: [{" + ok + ", limit_usd: 1, soft: {max_input_price: 1}}]\n", "budgets[0].soft", "is only used by mode soft", 9},
		{"negative ceiling", "budgets: [{" + ok + ", limit_usd: 1, mode: soft, soft: {max_input_price: 1, max_output_price: -2}}]\n",
			"budgets[0].soft.max_output_price", "must be >= 0", 9},
		{"unknown ceiling field", "budgets: [{" + ok + ", limit_usd: 1, mode: soft, soft: {max_price: 1}}]\n", "budgets[0].soft", `unknown field "max_price"`, 9},
		{"alert_at zero", "budgets: [{" + ok + ", limit_usd: 1, alert_at: 0}]\n", "budgets[0].alert_at", "must be > 0 and <= 1, got 0", 9},
		{"alert_at above one", "budgets: [{" + ok + ", limit_usd: 1, alert_at: 80}]\n", "budgets[0].alert_at", "must be > 0 and <= 1, got 80", 9},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(budgetBase+tt.yaml), nil)
			e := findError(t, err, tt.path, tt.problem)
			if e.Line != tt.line {
				t.Errorf("error at line %d, want %d: %v", e.Line, tt.line, e)
			}
		})
	}
}

// Tenant and key budgets need client keys: without them no request has a
// tenant or key name, and the budget would never apply.
func TestBudgetWithoutAuth(t *testing.T) {
	_, err := Parse([]byte(okProvider+"deployments: {d: {provider: openai}}\n"+
		"budgets: [{name: b, scope: tenant, match: \"*\", period: daily, limit_usd: 1}]\n"), nil)
	findError(t, err, "budgets[0].scope", "scope tenant needs client keys")
	c := mustParse(t, []byte(okProvider+"deployments: {d: {provider: openai}}\n"+
		"budgets: [{name: b, scope: route, match: \"*\", period: daily, limit_usd: 1}]\n"), nil)
	if len(c.Budgets) != 1 {
		t.Errorf("budgets %+v", c.Budgets)
	}
}
