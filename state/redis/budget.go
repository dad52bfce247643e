package redis

import (
	"context"
	"fmt"
	"time"

	"switchyard/state"
)

// budgetKeys returns the hash and the reservation set of a budget.
func (b *Backend) budgetKeys(key string, p state.Period) []string {
	k := b.key("budget", key) + ":" + string(p)
	return []string{k, k + ":held"}
}

// Reserve implements state.Budgets.
func (b *Backend) Reserve(ctx context.Context, req state.BudgetRequest) (state.Reservation, error) {
	if err := req.Check(); err != nil {
		return state.Reservation{}, err
	}
	if req.ID != "" || req.Force {
		if req.ID == "" {
			req.ID = state.NewID()
		}
		return b.reserveNamed(ctx, req)
	}
	id := state.NewID()
	r, err := b.run(ctx, reserveScript, b.budgetKeys(req.Key, req.Period),
		string(req.Period), req.Amount, req.Limit, id, max(req.TTL.Milliseconds(), 1))
	if err != nil {
		return state.Reservation{}, err
	}
	n, err := integers(r, 3)
	if err != nil {
		return state.Reservation{}, err
	}
	granted, used, resets := n[0] == 1, n[1], time.UnixMilli(n[2]).UTC()
	if !granted {
		return state.Reservation{}, &state.BudgetExceededError{
			Key: req.Key, Period: req.Period, Limit: req.Limit, Used: used, Amount: req.Amount, Resets: resets,
		}
	}
	return state.Reservation{
		Key: req.Key, Period: req.Period, ID: id, Amount: req.Amount,
		Used: used + req.Amount, Limit: req.Limit, Resets: resets,
	}, nil
}

// Settle implements state.Budgets.
func (b *Backend) Settle(ctx context.Context, r state.Reservation, actual int64) error {
	if err := state.CheckSettle(r, actual); err != nil {
		return err
	}
	return b.settle(ctx, r, actual)
}

// Release implements state.Budgets.
func (b *Backend) Release(ctx context.Context, r state.Reservation) error {
	if err := state.CheckSettle(r, 0); err != nil {
		return err
	}
	return b.settle(ctx, r, -1)
}

// settle settles r to actual, or releases it when actual is -1.
func (b *Backend) settle(ctx context.Context, r state.Reservation, actual int64) error {
	if r.Named {
		return b.settleNamed(ctx, r, actual)
	}
	reply, err := b.run(ctx, settleScript, b.budgetKeys(r.Key, r.Period), string(r.Period), r.ID, actual)
	if err != nil {
		return err
	}
	held, err := integer(reply, 0)
	if err != nil {
		return err
	}
	if held == 0 {
		return fmt.Errorf("%w: budget %q reservation %s", state.ErrNotHeld, r.Key, r.ID)
	}
	return nil
}

// Usage implements state.Budgets.
func (b *Backend) Usage(ctx context.Context, key string, period state.Period) (state.Usage, error) {
	if err := (state.BudgetRequest{Key: key, Limit: 1, Period: period, TTL: 1}).Check(); err != nil {
		return state.Usage{}, err
	}
	r, err := b.run(ctx, usageScript, b.budgetKeys(key, period), string(period))
	if err != nil {
		return state.Usage{}, err
	}
	n, err := integers(r, 3)
	if err != nil {
		return state.Usage{}, err
	}
	return usageOf(n), nil
}

// usageOf reads the usage script's reply {spent, reserved, reset}.
func usageOf(n []int64) state.Usage {
	return state.Usage{Spent: n[0], Reserved: n[1], Resets: time.UnixMilli(n[2]).UTC()}
}

// integers returns the first n elements of a script reply as int64s.
func integers(r []any, n int) ([]int64, error) {
	out := make([]int64, n)
	for i := range out {
		v, err := integer(r, i)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}
