package budget

import (
	"testing"
	"time"

	"switchyard/config"
	"switchyard/llm"
)

// keep begins who's budgets and keeps est under d, as a batch line's
// submission does.
func keep(t *testing.T, b *Budgets, who Who, est Amount, d Durable) error {
	t.Helper()
	h, err := b.Begin(ctx, who)
	if err != nil {
		t.Fatal(err)
	}
	return h.Keep(ctx, est, d)
}

// A durable hold stays reserved until it is settled, from whichever
// Budgets (process) settles it, once: a hold kept again (a resume) holds
// nothing more, a settle repeated (a crash mid-settlement) charges
// nothing; a hold the budgets cannot take is refused with the live 429
// and holds nothing; Force holds past the limit; Drop releases.
func TestDurableHolds(t *testing.T) {
	tokens := config.Budget{Name: "acme-tokens", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodDaily, LimitTokens: 1000}
	f := newFixture(t, usdBudget("acme-usd", config.ScopeTenant, "acme", 1), tokens,
		config.Budget{Name: "soft", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodMonthly, LimitUSD: 5, Mode: config.BudgetSoft})
	other := f.on(f.st, usdBudget("acme-usd", config.ScopeTenant, "acme", 1), tokens,
		config.Budget{Name: "soft", Scope: config.ScopeTenant, Match: "acme", Period: config.PeriodMonthly, LimitUSD: 5, Mode: config.BudgetSoft})
	f.clock.Advance(2 * time.Minute) // into a new day: the test spans hours
	acme := Who{Tenant: "acme", Key: "app"}
	until := f.clock.Now().Add(25 * time.Hour)
	line0 := Durable{ID: "batch_1:0", Until: until}
	if err := keep(t, f.b, acme, Amount{USD: 0.6, Tokens: 600}, line0); err != nil {
		t.Fatal(err)
	}
	if err := keep(t, other, acme, Amount{USD: 0.6, Tokens: 600}, line0); err != nil {
		t.Fatalf("kept again: %v", err)
	}
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 600000 {
		t.Fatalf("reserved %d, want the line's estimate once", u.Reserved)
	}
	err := keep(t, f.b, acme, Amount{USD: 0.6, Tokens: 100}, Durable{ID: "batch_1:1", Until: until})
	if e := llm.AsError(err); e == nil || e.HTTPStatus() != 429 || e.Code != CodeBudgetExceeded {
		t.Fatalf("a line past the budget: %v, want the 429", err)
	}
	if u := f.usage(t, "acme-tokens", ""); u.Reserved != 600 {
		t.Errorf("tokens reserved %d after a refusal, want line 0's alone", u.Reserved)
	}
	if err := request(t, f.b, acme, Amount{USD: 0.5}, Amount{USD: 0.5}); err == nil {
		t.Error("a live request was let past the held batch line")
	}
	f.clock.Advance(2 * time.Hour) // past a live reservation's ttl, within the hold's
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 600000 {
		t.Fatalf("reserved %d two hours on, want the hold", u.Reserved)
	}
	for _, b := range []*Budgets{other, f.b} {
		h, err := b.Resume(ctx, acme, line0.ID)
		if err != nil {
			t.Fatal(err)
		}
		h.Settle(ctx, true, Amount{USD: 0.25, Tokens: 300})
	}
	if u := f.usage(t, "acme-usd", ""); u.Spent != 250000 || u.Reserved != 0 {
		t.Errorf("acme-usd %+v, want charged once at the real cost", u)
	}
	if u := f.usage(t, "acme-tokens", ""); u.Spent != 300 || u.Reserved != 0 {
		t.Errorf("acme-tokens %+v, want charged once", u)
	}
	if u := f.usage(t, "soft", ""); u.Spent != 250000 {
		t.Errorf("soft budget spent %d, want charged once", u.Spent)
	}
	if err := keep(t, f.b, acme, Amount{USD: 0.6, Tokens: 600}, line0); err != nil {
		t.Fatalf("kept after its settle: %v", err)
	}
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 0 {
		t.Errorf("a settled line held again: %d", u.Reserved)
	}
	forced := Durable{ID: "batch_1:2", Until: until, Force: true}
	if err := keep(t, f.b, acme, Amount{USD: 0.9, Tokens: 900}, forced); err != nil {
		t.Fatalf("forced: %v", err)
	}
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 900000 {
		t.Errorf("forced hold: reserved %d", u.Reserved)
	}
	other.Drop(ctx, acme, forced.ID)
	if u := f.usage(t, "acme-tokens", ""); u.Reserved != 0 {
		t.Errorf("dropped: tokens reserved %d", u.Reserved)
	}
	if err := request(t, f.b, acme, Amount{USD: 0.5}, Amount{USD: 0.5}); err != nil {
		t.Errorf("a live request once the hold was dropped: %v", err)
	}
}

// A durable hold lapses at Until when nothing settles it (a batch whose
// routers all died).
func TestDurableHoldLapses(t *testing.T) {
	f := newFixture(t, usdBudget("acme-usd", config.ScopeTenant, "acme", 1))
	f.clock.Advance(2 * time.Minute) // into a new day
	acme := Who{Tenant: "acme"}
	if err := keep(t, f.b, acme, Amount{USD: 0.6}, Durable{ID: "b:0", Until: f.clock.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 0 {
		t.Errorf("reserved %d after Until", u.Reserved)
	}
	var zero Hold
	if err := zero.Keep(ctx, Amount{USD: 1}, Durable{ID: "b:1"}); err != nil {
		t.Errorf("the zero Hold's Keep: %v", err)
	}
}

// A durable hold meets a period's end as a live one does: the new period
// starts from zero, holding nothing of it, and the line is charged to the
// period its result is settled in (once).
func TestDurableHoldAcrossPeriods(t *testing.T) {
	f := newFixture(t, usdBudget("acme-usd", config.ScopeTenant, "acme", 1))
	acme := Who{Tenant: "acme"}
	if err := keep(t, f.b, acme, Amount{USD: 0.6}, Durable{ID: "b:0", Until: f.clock.Now().Add(25 * time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 600000 {
		t.Fatalf("reserved %d before midnight", u.Reserved)
	}
	f.clock.Advance(2 * time.Minute) // Epoch is a minute before midnight
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 0 || u.Spent != 0 {
		t.Errorf("the new day %+v, want it from zero", u)
	}
	for range 2 {
		h, err := f.b.Resume(ctx, acme, "b:0")
		if err != nil {
			t.Fatal(err)
		}
		h.Settle(ctx, true, Amount{USD: 0.2})
	}
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 0 || u.Spent != 200000 {
		t.Errorf("the new day %+v, want the line charged to it once", u)
	}
	// The next day a router resuming the batch settles the line again,
	// and holds it again first: neither charges nor holds anything.
	f.clock.Advance(24 * time.Hour)
	if err := keep(t, f.b, acme, Amount{USD: 0.6}, Durable{ID: "b:0", Until: f.clock.Now().Add(time.Hour), Force: true}); err != nil {
		t.Fatal(err)
	}
	h, err := f.b.Resume(ctx, acme, "b:0")
	if err != nil {
		t.Fatal(err)
	}
	h.Settle(ctx, true, Amount{USD: 0.2})
	if u := f.usage(t, "acme-usd", ""); u.Reserved != 0 || u.Spent != 0 {
		t.Errorf("the day after %+v, want nothing: the line was charged the day before", u)
	}
}
