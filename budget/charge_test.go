package budget

import (
	"slices"
	"testing"

	"switchyard/config"
)

// Charge charges what was spent already, past a limit too (a Realtime
// session's responses as they complete), to every budget that matches;
// the next request is then refused.
func TestCharge(t *testing.T) {
	f := newFixture(t,
		config.Budget{Name: "acme-tokens", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 1000},
		config.Budget{Name: "acme-soft", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 5000, Mode: config.BudgetSoft})
	who := Who{Tenant: "acme"}
	for _, n := range []int64{600, 600} { // the second goes past the limit: charged all the same
		names, err := f.b.Charge(ctx, who, Amount{Tokens: n})
		if err != nil || !slices.Equal(names, []string{"acme-tokens", "acme-soft"}) {
			t.Fatalf("charge %d: %v %v", n, names, err)
		}
	}
	u, ok, err := f.b.Usage(ctx, "acme-tokens", "acme")
	if err != nil || !ok || u.Spent != 1200 {
		t.Errorf("usage %+v %v %v, want 1200 spent", u, ok, err)
	}
	h, _ := f.b.Begin(ctx, who)
	if err := h.Reserve(ctx, Amount{Tokens: 1}); err == nil {
		t.Error("a request past the spent budget was let through")
	}
	if names, err := (*Budgets)(nil).Charge(ctx, who, Amount{Tokens: 5}); names != nil || err != nil {
		t.Errorf("nil Budgets: %v %v", names, err)
	}
}
