package memory

import (
	"context"
	"fmt"
	"strings"
	"time"

	"switchyard/state"
)

type budgetKey struct {
	key    string
	period state.Period
}

// budget is one budget in its current period.
type budget struct {
	start           time.Time // of the period counted
	spent, reserved int64
	held            map[string]held
	// settled are the named reservations settled, each with when it is
	// forgotten (state.SettledMemory): kept across the period's end.
	settled map[string]time.Time
}

type held struct {
	amount  int64
	expires time.Time
}

// purge drops the reservations that expired.
func (bu *budget) purge(now time.Time) {
	for id, h := range bu.held {
		if !h.expires.After(now) {
			bu.reserved -= h.amount
			delete(bu.held, id)
		}
	}
}

// forget drops the settles remembered long enough (the sweep's work: a
// budget may remember many batch lines).
func (bu *budget) forget(now time.Time) {
	for id, until := range bu.settled {
		if !until.After(now) {
			delete(bu.settled, id)
		}
	}
}

// isSettled reports whether the named reservation id was settled and is
// still remembered at now.
func (bu *budget) isSettled(id string, now time.Time) bool {
	until, ok := bu.settled[id]
	return ok && until.After(now)
}

// budget returns k's budget for the period holding now, starting it from
// zero when the period changed.
func (b *Backend) budget(k budgetKey, now time.Time) (*budget, time.Time) {
	start, resets := k.period.Bounds(now)
	bu := b.budgets[k]
	if bu == nil || !bu.start.Equal(start) {
		next := &budget{start: start, held: map[string]held{}}
		if bu != nil {
			next.settled = bu.settled // a settle is remembered past the period
		}
		bu = next
		b.budgets[k] = bu
	}
	bu.purge(now)
	return bu, resets
}

// Reserve implements state.Budgets.
func (b *Backend) Reserve(_ context.Context, req state.BudgetRequest) (state.Reservation, error) {
	if err := req.Check(); err != nil {
		return state.Reservation{}, err
	}
	now := b.lock()
	defer b.mu.Unlock()
	bu, resets := b.budget(budgetKey{req.Key, req.Period}, now)
	used := bu.spent + bu.reserved
	if req.ID != "" {
		if r, done, err := bu.named(req, now, used, resets); done {
			return r, err
		}
	}
	if used+req.Amount > req.Limit && !req.Force {
		return state.Reservation{}, &state.BudgetExceededError{
			Key: req.Key, Period: req.Period, Limit: req.Limit, Used: used, Amount: req.Amount, Resets: resets,
		}
	}
	id := req.ID
	if id == "" {
		id = state.NewID()
	}
	bu.held[id] = held{amount: req.Amount, expires: now.Add(req.TTL)}
	bu.reserved += req.Amount
	return state.Reservation{
		Key: req.Key, Period: req.Period, ID: id, Named: req.ID != "", Amount: req.Amount,
		Used: used + req.Amount, Limit: req.Limit, Resets: resets,
	}, nil
}

// named answers a Reserve of the named reservation req.ID when it is
// held already (renewed: its ttl from now) or was settled in the
// period (ErrSettled); done is false when it is neither.
func (bu *budget) named(req state.BudgetRequest, now time.Time, used int64, resets time.Time) (r state.Reservation, done bool, err error) {
	if bu.isSettled(req.ID, now) {
		return r, true, fmt.Errorf("%w: budget %q reservation %s", state.ErrSettled, req.Key, req.ID)
	}
	h, ok := bu.held[req.ID]
	if !ok {
		return r, false, nil
	}
	h.expires = now.Add(req.TTL)
	bu.held[req.ID] = h
	return state.Reservation{
		Key: req.Key, Period: req.Period, ID: req.ID, Named: true, Amount: h.amount,
		Used: used, Limit: req.Limit, Resets: resets,
	}, true, nil
}

// Settle implements state.Budgets.
func (b *Backend) Settle(_ context.Context, r state.Reservation, actual int64) error {
	if err := state.CheckSettle(r, actual); err != nil {
		return err
	}
	now := b.lock()
	defer b.mu.Unlock()
	bu, resets := b.budget(budgetKey{r.Key, r.Period}, now)
	if r.Named {
		if bu.isSettled(r.ID, now) {
			return fmt.Errorf("%w: budget %q reservation %s", state.ErrSettled, r.Key, r.ID)
		}
		if bu.settled == nil {
			bu.settled = map[string]time.Time{}
		}
		forget := now.Add(state.SettledMemory)
		if resets.After(forget) {
			forget = resets
		}
		bu.settled[r.ID] = forget
	}
	bu.spent += actual
	return b.drop(bu, r)
}

// Release implements state.Budgets.
func (b *Backend) Release(_ context.Context, r state.Reservation) error {
	if err := state.CheckSettle(r, 0); err != nil {
		return err
	}
	now := b.lock()
	defer b.mu.Unlock()
	bu, _ := b.budget(budgetKey{r.Key, r.Period}, now)
	return b.drop(bu, r)
}

// drop removes r from bu's held reservations, or returns ErrNotHeld.
func (b *Backend) drop(bu *budget, r state.Reservation) error {
	h, ok := bu.held[r.ID]
	if !ok {
		return fmt.Errorf("%w: budget %q reservation %s", state.ErrNotHeld, r.Key, r.ID)
	}
	bu.reserved -= h.amount
	delete(bu.held, r.ID)
	return nil
}

// Usage implements state.Budgets.
func (b *Backend) Usage(_ context.Context, key string, period state.Period) (state.Usage, error) {
	if err := (state.BudgetRequest{Key: key, Limit: 1, Period: period, TTL: 1}).Check(); err != nil {
		return state.Usage{}, err
	}
	now := b.lock()
	defer b.mu.Unlock()
	bu, resets := b.budget(budgetKey{key, period}, now)
	return state.Usage{Spent: bu.spent, Reserved: bu.reserved, Resets: resets}, nil
}

// ListBudgets implements state.Budgets.
func (b *Backend) ListBudgets(_ context.Context, prefix string, period state.Period) ([]state.KeyUsage, error) {
	if err := state.CheckPeriod(period); err != nil {
		return nil, err
	}
	now := b.lock()
	defer b.mu.Unlock()
	start, resets := period.Bounds(now)
	var out []state.KeyUsage
	for k, bu := range b.budgets {
		if k.period != period || !strings.HasPrefix(k.key, prefix) || !bu.start.Equal(start) {
			continue
		}
		bu.purge(now)
		out = append(out, state.KeyUsage{Key: k.key, Usage: state.Usage{Spent: bu.spent, Reserved: bu.reserved, Resets: resets}})
	}
	return out, nil
}
