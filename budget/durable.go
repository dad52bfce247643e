package budget

import (
	"context"
	"errors"
	"time"

	"switchyard/state"
)

// This file holds the durable holds: the estimate of a batch line sent
// to a provider's batch API, reserved against its hard budgets from its
// submission until its result comes back (up to a day later), whichever
// router process settles it. Each is a named reservation of the state
// back end (state.BudgetRequest.ID), so a router resuming the batch finds
// it again rather than holding twice, and a settle repeated after a
// crash charges nothing.

// Durable names a hold that outlives the request that made it.
type Durable struct {
	// ID names the hold in every budget it is charged to, the same in
	// every process: the batch's id and the line's index.
	ID string
	// Until is when the hold lapses if nothing settles or drops it (every
	// router of the batch died); keeping it again moves it.
	Until time.Time
	// Force holds the estimate even past a budget's limit: lines already
	// at the provider, held again by a router resuming their batch.
	Force bool
}

// minDurableTTL is the shortest a durable hold is kept for.
const minDurableTTL = time.Minute

// Keep is Reserve for a durable hold: est reserved against every hard
// budget Begin matched, under d.ID, until d.Until. An ID held already
// holds nothing more (its lapse moves to d.Until); one settled already
// in the period holds nothing. The reservations then belong to d.ID, not
// to the Hold: Budgets.Resume settles them, Budgets.Drop releases them;
// the Hold itself need not be settled. Errors as Reserve's; a refusal
// releases what Keep held.
func (h *Hold) Keep(ctx context.Context, est Amount, d Durable) error {
	if h.b == nil {
		return nil
	}
	ttl := max(d.Until.Sub(h.b.now()), minDurableTTL)
	return h.reserve(ctx, est, &state.BudgetRequest{ID: d.ID, Force: d.Force, TTL: ttl})
}

// Resume returns the Hold of the durable hold id on the budgets of who,
// to Settle: dispatched, each hard budget is charged actual once however
// many times and from whichever process id is settled (a settle repeated
// charges nothing); not dispatched, the holds are released. The soft
// budgets are read as Begin reads them, and charged once too. On a
// nil Budgets it returns the zero Hold; errors are Begin's.
func (b *Budgets) Resume(ctx context.Context, who Who, id string) (Hold, error) {
	h, err := b.Begin(ctx, who)
	if err != nil {
		return h, err
	}
	for i := range h.matched {
		// A soft budget's read reserved nothing (it lapses); settled by
		// name, it too is charged once.
		m := &h.matched[i]
		m.res = state.Reservation{Key: m.key, Period: m.r.period, ID: id, Named: true}
	}
	return h, nil
}

// Drop releases the durable hold id on every hard budget of who, charging
// nothing: a batch line sent back to run on the router (whose live path
// reserves anew), cancelled or expired. A hold not held is no error. A
// nil Budgets does nothing.
func (b *Budgets) Drop(ctx context.Context, who Who, id string) {
	if b == nil {
		return
	}
	for _, r := range b.list() {
		inst, ok := r.instance(&who)
		if !ok || r.soft {
			continue
		}
		res := state.Reservation{Key: r.stateKey(inst), Period: r.period, ID: id, Named: true}
		if err := b.st.Release(ctx, res); err != nil && !errors.Is(err, state.ErrNotHeld) {
			b.log.Warn("budget hold of a batch line not released", "budget", r.name, "match", inst, "err", err)
		}
	}
}
