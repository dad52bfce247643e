package admin

import (
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"switchyard/budget"
	"switchyard/config"
	"switchyard/state/memory"
	"switchyard/state/redis"
	"switchyard/state/statetest"
)

// budgetsFixture is the budgets of the tests, on a memory back end at
// statetest.Epoch + 1h (February 1st): a fixed tenant budget, one per
// tenant, one per key (token), one per route (soft), with spending from
// both tenants' keys (key "shared" is a name both tenants use).
func budgetsFixture(t *testing.T) *budget.Budgets {
	t.Helper()
	clock := statetest.NewClock()
	clock.Advance(time.Hour)
	st := memory.New(memory.Options{Now: clock.Now})
	cfg := []config.Budget{
		{Name: "acme-daily", Scope: config.ScopeTenant, Match: acme, Period: config.PeriodDaily, LimitUSD: 50, Mode: config.BudgetHard, AlertAt: 0.8},
		{Name: "globex-daily", Scope: config.ScopeTenant, Match: globex, Period: config.PeriodDaily, LimitUSD: 10, Mode: config.BudgetHard, AlertAt: 0.8},
		{Name: "per-tenant", Scope: config.ScopeTenant, Match: config.MatchAll, Period: config.PeriodMonthly, LimitUSD: 500, Mode: config.BudgetHard, AlertAt: 0.9},
		{Name: "per-key", Scope: config.ScopeKey, Match: config.MatchAll, Period: config.PeriodDaily, LimitTokens: 2000, Mode: config.BudgetHard, AlertAt: 0.8},
		{Name: "support-soft", Scope: config.ScopeRoute, Match: "support", Period: config.PeriodDaily, LimitUSD: 20, Mode: config.BudgetSoft,
			AlertAt: 0.8, Soft: config.SoftBudget{MaxInputPrice: 1, MaxOutputPrice: 4}},
	}
	b := budget.New(cfg, st, budget.Options{Now: clock.Now})
	for _, r := range []struct {
		who           budget.Who
		usd           float64
		tokens        int64
		keepReserving bool
	}{
		{budget.Who{Tenant: acme, Key: "app", Route: "support"}, 12.5, 500, false},
		{budget.Who{Tenant: globex, Key: "bot"}, 2.25, 300, false},
		{budget.Who{Tenant: globex, Key: "shared"}, 1, 100, false},
		{budget.Who{Tenant: acme, Key: "app"}, 0.5, 50, true},
	} {
		h, err := b.Begin(context.Background(), r.who)
		if err != nil {
			t.Fatal(err)
		}
		if err := h.Reserve(context.Background(), budget.Amount{USD: r.usd, Tokens: r.tokens}); err != nil {
			t.Fatal(err)
		}
		if !r.keepReserving {
			h.Settle(context.Background(), true, budget.Amount{USD: r.usd, Tokens: r.tokens})
		}
	}
	return b
}

// keyTenants are the tenants of the fixture's client keys, by name.
func keyTenants(name string) []string {
	return map[string][]string{"app": {acme}, "bot": {globex}, "shared": {acme, globex}}[name]
}

// budgetsMux is the admin routes with the fixture's budgets, as p.
func budgetsMux(t *testing.T, p Principal) http.Handler {
	mux := http.NewServeMux()
	(&Handler{Budgets: budgetsFixture(t), KeyTenants: keyTenants}).Mount(mux)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), p)))
	})
}

// instancesOf lists a budget list as "budget/instance" strings.
func instancesOf(list BudgetList) []string {
	var out []string
	for _, b := range list.Data {
		if len(b.Instances) == 0 {
			out = append(out, b.Name+"/")
		}
		for _, in := range b.Instances {
			out = append(out, b.Name+"/"+in.Instance)
		}
	}
	return out
}

// GET /admin/budgets lists every budget with its instances' use, in the
// budget's unit: dollars or tokens, spent, held, used, remaining, the
// share used and the reset.
func TestBudgetsList(t *testing.T) {
	var list BudgetList
	decode(t, do(budgetsMux(t, operator), "/admin/budgets"), &list)
	want := []string{"acme-daily/acme", "globex-daily/globex", "per-tenant/acme", "per-tenant/globex",
		"per-key/acme/app", "per-key/globex/bot", "per-key/globex/shared", "support-soft/support"}
	if got := instancesOf(list); !slices.Equal(got, want) {
		t.Fatalf("instances %v, want %v", got, want)
	}
	day := "2026-02-02T00:00:00Z"
	acmeDaily := list.Data[0]
	if acmeDaily.Scope != "tenant" || acmeDaily.Match != acme || acmeDaily.Period != "daily" || acmeDaily.Unit != "usd" ||
		acmeDaily.Mode != "hard" || acmeDaily.Limit != 50 || acmeDaily.AlertAt != 0.8 || acmeDaily.Resets != day || acmeDaily.Soft != nil {
		t.Errorf("acme-daily: %+v", acmeDaily)
	}
	if in := acmeDaily.Instances[0]; in.Spent != 12.5 || in.Reserved != 0.5 || in.Used != 13 || in.Remaining != 37 ||
		in.ShareUsed != 0.26 || in.Resets != day {
		t.Errorf("acme-daily/acme: %+v", in)
	}
	perKey := list.Data[3]
	if perKey.Unit != "tokens" || perKey.Limit != 2000 || perKey.Match != "*" {
		t.Errorf("per-key: %+v", perKey)
	}
	if in := perKey.Instances[0]; in.Spent != 500 || in.Reserved != 50 || in.Used != 550 || in.Remaining != 1450 || in.ShareUsed != 0.275 {
		t.Errorf("per-key/app: %+v", in)
	}
	soft := list.Data[4]
	if soft.Mode != "soft" || soft.Soft == nil || soft.Soft.MaxInputPrice != 1 || soft.Soft.MaxOutputPrice != 4 {
		t.Errorf("support-soft: %+v", soft)
	}
	if list.Data[2].Resets != "2026-03-01T00:00:00Z" {
		t.Errorf("per-tenant resets %s", list.Data[2].Resets)
	}
}

// A key scoped to a tenant sees its tenant's budgets only: its tenant's
// instances of the tenant and key budgets (a key name another tenant
// uses too has an amount per tenant), no other
// tenant's fixed budget, and no route budget (every tenant's requests
// count in it). tenant= narrows an unscoped key's listing the same way,
// and a scoped key asking for another tenant gets 403.
func TestBudgetsScoped(t *testing.T) {
	for _, tt := range []struct {
		p     Principal
		query string
		want  []string
	}{
		{acmeOps, "", []string{"acme-daily/acme", "per-tenant/acme", "per-key/acme/app"}},
		{globexOps, "", []string{"globex-daily/globex", "per-tenant/globex", "per-key/globex/bot", "per-key/globex/shared"}},
		{acmeOps, "?tenant=acme", []string{"acme-daily/acme", "per-tenant/acme", "per-key/acme/app"}},
		{operator, "?tenant=globex", []string{"globex-daily/globex", "per-tenant/globex", "per-key/globex/bot", "per-key/globex/shared"}},
		{operator, "?tenant=initech", []string{"per-tenant/", "per-key/"}},
		{operator, "?name=per-key", []string{"per-key/acme/app", "per-key/globex/bot", "per-key/globex/shared"}},
		{acmeOps, "?name=per-key", []string{"per-key/acme/app"}},
		{acmeOps, "?name=globex-daily", nil},
		{operator, "?name=nope", nil},
	} {
		var list BudgetList
		decode(t, do(budgetsMux(t, tt.p), "/admin/budgets"+tt.query), &list)
		if got := instancesOf(list); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: %v, want %v", tt.p.Name, tt.query, got, tt.want)
		}
	}
	wantError(t, do(budgetsMux(t, acmeOps), "/admin/budgets?tenant=globex"), 403, codeTenantNotAllowed, "tenant")
	wantError(t, do(budgetsMux(t, operator), "/admin/budgets?tenat=acme"), 400, "", "tenat")
}

// Without budgets the listing is empty, not an error; without a
// principal it is refused.
func TestBudgetsNone(t *testing.T) {
	mux := http.NewServeMux()
	(&Handler{}).Mount(mux)
	rec := do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), operator)))
	}), "/admin/budgets")
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"data": []`) {
		t.Errorf("no budgets: %d %s", rec.Code, rec.Body)
	}
	wantError(t, do(mux, "/admin/budgets"), 403, codeNoPrincipal, "")
}

// A state back end that does not answer is a 503 in OpenAI's shape,
// without its cause.
func TestBudgetsStateDown(t *testing.T) {
	rb, err := redis.New(redis.Options{Addr: "127.0.0.1:1"})
	if err != nil {
		t.Fatal(err)
	}
	defer rb.Close()
	b := budget.New([]config.Budget{{Name: "d", Scope: config.ScopeRoute, Match: "r", Period: config.PeriodDaily, LimitUSD: 1}}, rb, budget.Options{})
	mux := http.NewServeMux()
	(&Handler{Budgets: b, Logger: slog.New(slog.DiscardHandler)}).Mount(mux)
	rec := do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(WithPrincipal(r.Context(), operator)))
	}), "/admin/budgets")
	if e := wantError(t, rec, 503, codeBudgetsUnavailable, ""); strings.Contains(e.Error.Message, "127.0.0.1") {
		t.Errorf("the answer names the back end: %s", e.Error.Message)
	}
}
