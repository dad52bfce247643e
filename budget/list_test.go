package budget

import (
	"reflect"
	"testing"
	"time"

	"switchyard/config"
)

// List reports every budget in force, in the configuration's order, with
// the instances that began the period: a fixed match's one (from zero
// when nothing was spent yet), each tenant, key or route of a "*" one,
// with what it spent and what requests in flight hold. A renamed
// budget's old amounts and another period's are not listed.
func TestList(t *testing.T) {
	tokens := config.Budget{Name: "batch-tokens", Scope: config.ScopeKey, Match: config.MatchAll, Period: config.PeriodMonthly,
		LimitTokens: 1000, Mode: config.BudgetSoft, Soft: config.SoftBudget{MaxOutputPrice: 4}}
	f := newFixture(t,
		usdBudget("acme-daily", config.ScopeTenant, "acme", 10),
		usdBudget("per-tenant", config.ScopeTenant, config.MatchAll, 5),
		tokens,
		usdBudget("idle", config.ScopeRoute, "support", 1),
	)
	f.clock.Advance(time.Hour) // February 1st
	if err := request(t, f.b, Who{Tenant: "acme", Key: "app"}, Amount{USD: 2, Tokens: 100}, Amount{USD: 1.5, Tokens: 80}); err != nil {
		t.Fatal(err)
	}
	if err := request(t, f.b, Who{Tenant: "globex", Key: "bot"}, Amount{USD: 1, Tokens: 10}, Amount{USD: 0.25, Tokens: 7}); err != nil {
		t.Fatal(err)
	}
	held, err := f.b.Begin(ctx, Who{Tenant: "globex", Key: "bot"})
	if err != nil || held.Reserve(ctx, Amount{USD: 0.5, Tokens: 5}) != nil {
		t.Fatal(err)
	}
	defer held.Settle(ctx, false, Amount{})
	// A renamed budget's amounts stay in the state, under the old name.
	old := f.on(f.st, usdBudget("per-tenant-old", config.ScopeTenant, config.MatchAll, 5))
	if err := request(t, old, Who{Tenant: "initech"}, Amount{USD: 1}, Amount{USD: 1}); err != nil {
		t.Fatal(err)
	}

	day := time.Date(2026, 2, 2, 0, 0, 0, 0, time.UTC)
	month := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	got, err := f.b.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Report{
		{Name: "acme-daily", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, Unit: USD, Mode: config.BudgetHard,
			Limit: 10e6, AlertAt: config.DefaultAlertAt, Resets: day,
			Instances: []Instance{{Instance: "acme", Spent: 1.5e6, Resets: day}}},
		{Name: "per-tenant", Scope: config.ScopeTenant, Match: config.MatchAll, Period: config.PeriodDaily, Unit: USD, Mode: config.BudgetHard,
			Limit: 5e6, AlertAt: config.DefaultAlertAt, Resets: day,
			Instances: []Instance{{Instance: "acme", Spent: 1.5e6, Resets: day}, {Instance: "globex", Spent: 0.25e6, Reserved: 0.5e6, Resets: day}}},
		{Name: "batch-tokens", Scope: config.ScopeKey, Match: config.MatchAll, Period: config.PeriodMonthly, Unit: Tokens, Mode: config.BudgetSoft,
			Limit: 1000, AlertAt: config.DefaultAlertAt, Resets: month, Ceiling: Ceiling{MaxOutputPricePerM: 4, By: "batch-tokens"},
			Instances: []Instance{{Instance: "acme/app", Spent: 80, Resets: month}, {Instance: "globex/bot", Spent: 7, Resets: month}}},
		{Name: "idle", Scope: config.ScopeRoute, Match: "support", Period: config.PeriodDaily, Unit: USD, Mode: config.BudgetHard,
			Limit: 1e6, AlertAt: config.DefaultAlertAt, Resets: day,
			Instances: []Instance{{Instance: "support", Resets: day}}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("List:\n got %+v\nwant %+v", got, want)
	}

	// The next day, the daily budgets start again; the month goes on.
	f.clock.Advance(24 * time.Hour)
	got, err = f.b.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(got[1].Instances); n != 0 || got[0].Instances[0].Spent != 0 || len(got[2].Instances) != 2 {
		t.Errorf("the next day: %+v", got)
	}
	if (*Budgets)(nil).Active() != nil {
		t.Error("a nil Budgets is active")
	}
	if list, err := (*Budgets)(nil).List(ctx); list != nil || err != nil {
		t.Errorf("a nil Budgets lists %v, %v", list, err)
	}
}

// Instance's figures: use is spent plus held, remaining never below
// zero, and the share of the limit used.
func TestInstanceFigures(t *testing.T) {
	r := Report{Limit: 100}
	for _, tt := range []struct {
		in              Instance
		used, remaining int64
		share           float64
	}{
		{Instance{}, 0, 100, 0},
		{Instance{Spent: 30, Reserved: 20}, 50, 50, 0.5},
		{Instance{Spent: 130}, 130, 0, 1.3},
	} {
		if u, rem, s := tt.in.Used(), r.Remaining(&tt.in), r.Share(&tt.in); u != tt.used || rem != tt.remaining || s != tt.share {
			t.Errorf("%+v: used %d remaining %d share %v; want %d %d %v", tt.in, u, rem, s, tt.used, tt.remaining, tt.share)
		}
	}
}
