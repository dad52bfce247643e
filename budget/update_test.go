package budget

import (
	"log/slog"
	"testing"

	"switchyard/config"
)

// TestUpdateKeepsWhatWasSpent: a budget's limit changed in place holds
// from the next request on, counting what its period already spent; a
// request reserved before the change settles as it reserved; a budget
// renamed starts from zero; budgets added to a Budgets opened with none
// apply at once, and Active says whether any is in force.
func TestUpdateKeepsWhatWasSpent(t *testing.T) {
	f := newFixture(t)
	f.b = Open(nil, f.st, Options{Now: f.clock.Now, Logger: slog.New(slog.DiscardHandler)})
	if f.b.Active() != nil {
		t.Fatal("Active with no budget: want nil")
	}
	acme := Who{Tenant: "acme"}
	daily := config.Budget{Name: "acme-daily", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitUSD: 10,
		Mode: config.BudgetHard, AlertAt: config.DefaultAlertAt}
	f.b.Update([]config.Budget{daily})
	if f.b.Active() == nil {
		t.Fatal("Active with a budget: want it")
	}
	for range 3 {
		if err := request(t, f.b, acme, Amount{USD: 2}, Amount{USD: 2}); err != nil {
			t.Fatal(err)
		}
	}
	// A request in flight holds 2 across the change.
	inFlight, err := f.b.Begin(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if err := inFlight.Reserve(ctx, Amount{USD: 2}); err != nil {
		t.Fatal(err)
	}
	lowered := daily
	lowered.LimitUSD = 7
	f.b.Update([]config.Budget{lowered})
	if u := f.usage(t, "acme-daily", ""); u.Spent != 6e6 || u.Reserved != 2e6 {
		t.Errorf("after the change: %+v; want spent 6 and 2 held", u)
	}
	if err := request(t, f.b, acme, Amount{USD: 0.5}, Amount{USD: 0.5}); err == nil {
		t.Error("a request past the lowered limit (6 spent + 2 held + 0.5 > 7) was admitted")
	}
	inFlight.Settle(ctx, true, Amount{USD: 0.5})
	if err := request(t, f.b, acme, Amount{USD: 0.5}, Amount{USD: 0.5}); err != nil {
		t.Errorf("a request within the lowered limit (6.5 spent + 0.5 = 7): %v", err)
	}
	renamed := lowered
	renamed.Name = "acme-daily-2"
	f.b.Update([]config.Budget{renamed})
	if u := f.usage(t, "acme-daily-2", ""); u.Spent != 0 {
		t.Errorf("a renamed budget: %+v; want it to start from zero", u)
	}
	f.b.Update(nil)
	if f.b.Active() != nil {
		t.Error("Active after every budget was removed: want nil")
	}
}
