package admin

import (
	"context"
	"errors"
	"math"
	"net/http"
	"slices"
	"strings"
	"time"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/llm"
	"switchyard/store"
)

// This file serves GET /admin/budgets: every budget in force and the use
// of each of its instances (tenant, key, route) in the current period,
// as the shared state holds it — so, on Redis, what every router sharing
// it spent — within the caller's tenant scope.

// codeBudgetsUnavailable: the state back end did not answer, 503.
const codeBudgetsUnavailable = "budget_state_unavailable"

// BudgetList is the answer of GET /admin/budgets.
type BudgetList struct {
	// Data are the budgets in the configuration's order.
	Data []BudgetView `json:"data"`
}

// BudgetView is one budget and its instances. Amounts are in the unit:
// US dollars for "usd", tokens for "tokens".
type BudgetView struct {
	Name  string `json:"name"`
	Scope string `json:"scope"`
	// Match is the tenant, key name or route, or "*" for one budget each.
	Match  string  `json:"match"`
	Period string  `json:"period"`
	Unit   string  `json:"unit"`
	Mode   string  `json:"mode"`
	Limit  float64 `json:"limit"`
	// AlertAt is the share of the limit whose use raises an alert.
	AlertAt float64 `json:"alert_at"`
	// Soft is a soft budget's price ceiling, in USD per 1M tokens.
	Soft *SoftView `json:"soft,omitempty"`
	// Resets is when the current period ends (RFC 3339).
	Resets    string         `json:"resets"`
	Instances []InstanceView `json:"instances"`
}

// SoftView is a soft budget's price ceiling once it is spent.
type SoftView struct {
	MaxInputPrice  float64 `json:"max_input_price,omitempty"`
	MaxOutputPrice float64 `json:"max_output_price,omitempty"`
}

// InstanceView is one instance's use of a budget in the current period.
type InstanceView struct {
	// Instance is the tenant, the client key's configured name (never
	// the key) or the route.
	Instance string `json:"instance"`
	// Spent is what finished requests cost, Reserved what requests in
	// flight hold; Used is both, what counts against the limit.
	Spent     float64 `json:"spent"`
	Reserved  float64 `json:"reserved"`
	Used      float64 `json:"used"`
	Remaining float64 `json:"remaining"`
	// ShareUsed is Used over the limit (above 1 when overshot).
	ShareUsed float64 `json:"share_used"`
	Resets    string  `json:"resets"`
}

// budgetsQuery is a parsed GET /admin/budgets query.
type budgetsQuery struct {
	Name   string
	Tenant *string
}

// parseBudgetsQuery parses name (a budget's name) and tenant.
func parseBudgetsQuery(v map[string][]string) (budgetsQuery, error) {
	p := params{v: v}
	p.only([]string{"name", "tenant"})
	return budgetsQuery{Name: p.str("name"), Tenant: p.optional("tenant")}, p.err
}

func (h *Handler) listBudgets(w http.ResponseWriter, r *http.Request) {
	p, ok := principal(w, r)
	if !ok {
		return
	}
	q, err := parseBudgetsQuery(r.URL.Query())
	var scope store.Scope
	if err == nil {
		scope, err = p.ScopeFor(q.Tenant)
	}
	if err != nil {
		writeError(w, err)
		return
	}
	reports, err := h.Budgets.List(r.Context())
	if err != nil {
		h.budgetsError(w, r, err)
		return
	}
	out := BudgetList{Data: []BudgetView{}}
	for i := range reports {
		rep := &reports[i]
		if q.Name != "" && rep.Name != q.Name {
			continue
		}
		if v, ok := h.scoped(rep, scope); ok {
			out.Data = append(out.Data, viewOf(&v))
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, out)
}

// budgetsError answers a state back end that failed: logged, and a 503
// without its cause.
func (h *Handler) budgetsError(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, context.Canceled) {
		return
	}
	h.logger().ErrorContext(r.Context(), "admin: reading the budgets failed", "err", err)
	e := llm.Errorf(llm.KindUnavailable, "The budgets' state back end could not be read; the router's log says why. Try again later.")
	e.Code = codeBudgetsUnavailable
	writeError(w, e)
}

// scoped returns rep as scope may see it, and whether it may see it at
// all. Every tenant's scope sees everything. One tenant's sees its
// tenant budgets' instance, and its keys' instances of key budgets
// ("tenant/name"; a key budget matching a name, the tenant's keys of
// that name), but no other tenant's fixed budget, and no route budget:
// every tenant's requests count in a route's amounts.
func (h *Handler) scoped(rep *budget.Report, scope store.Scope) (budget.Report, bool) {
	if scope.All {
		return *rep, true
	}
	var mine func(instance string) bool
	switch rep.Scope {
	case config.ScopeTenant:
		mine = func(in string) bool { return in == scope.Tenant }
	case config.ScopeKey:
		// A key budget's instance is tenant/name (a key named as its
		// tenant: the name); the one listed from zero for a match by
		// name is that name, the tenant's when every client key of
		// that name is.
		mine = func(in string) bool {
			return strings.HasPrefix(in, scope.Tenant+"/") || in == scope.Tenant || in == rep.Match && h.keyOf(in, scope.Tenant)
		}
	default:
		return budget.Report{}, false
	}
	keyName := rep.Scope == config.ScopeKey && h.hasKey(rep.Match, scope.Tenant)
	if rep.Match != config.MatchAll && !mine(rep.Match) && !keyName {
		return budget.Report{}, false
	}
	out := *rep
	out.Instances = slices.DeleteFunc(slices.Clone(rep.Instances), func(in budget.Instance) bool { return !mine(in.Instance) })
	return out, true
}

// hasKey reports whether one of tenant's client keys is named name.
func (h *Handler) hasKey(name, tenant string) bool {
	return h.KeyTenants != nil && slices.Contains(h.KeyTenants(name), tenant)
}

// keyOf reports whether every client key named name is tenant's.
func (h *Handler) keyOf(name, tenant string) bool {
	if h.KeyTenants == nil {
		return false
	}
	tenants := h.KeyTenants(name)
	return len(tenants) > 0 && !slices.ContainsFunc(tenants, func(t string) bool { return t != tenant })
}

// viewOf is the view of rep, its amounts in its unit.
func viewOf(rep *budget.Report) BudgetView {
	amount := func(n int64) float64 {
		if rep.Unit == budget.USD {
			return float64(n) / 1e6
		}
		return float64(n)
	}
	v := BudgetView{Name: rep.Name, Scope: rep.Scope, Match: rep.Match, Period: rep.Period, Unit: string(rep.Unit), Mode: rep.Mode,
		Limit: amount(rep.Limit), AlertAt: rep.AlertAt, Resets: rfc3339(rep.Resets), Instances: make([]InstanceView, len(rep.Instances))}
	if rep.Mode == config.BudgetSoft {
		v.Soft = &SoftView{MaxInputPrice: rep.Ceiling.MaxInputPricePerM, MaxOutputPrice: rep.Ceiling.MaxOutputPricePerM}
	}
	for i := range rep.Instances {
		in := &rep.Instances[i]
		v.Instances[i] = InstanceView{Instance: in.Instance, Spent: amount(in.Spent), Reserved: amount(in.Reserved), Used: amount(in.Used()),
			Remaining: amount(rep.Remaining(in)), ShareUsed: round6(rep.Share(in)), Resets: rfc3339(in.Resets)}
	}
	return v
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// round6 rounds a share to six decimals (a tenth of a thousandth of a
// percent), so that 0.26 reads 0.26 and not 0.26000000000000001.
func round6(v float64) float64 { return math.Round(v*1e6) / 1e6 }
