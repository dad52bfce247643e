package redis

import (
	"context"
	"fmt"
	"time"

	"switchyard/state"
)

// This file holds the named reservations (state.BudgetRequest.ID): their
// own scripts, so that a live request's reserve and settle run the
// scripts they always ran.

var (
	holdScript   = script("period", "settled", "hold")
	unholdScript = script("period", "settled", "unhold")
)

// The answers of the hold script.
const (
	holdRefused = iota
	holdGranted
	holdHeld
	holdSettled
)

// namedKeys are the budget's keys and the set of its settled named
// reservations, which outlives the period (lua/settled.lua).
func (b *Backend) namedKeys(key string, p state.Period) []string {
	k := b.budgetKeys(key, p)
	return append(k, k[0]+":settled")
}

// reserveNamed reserves the named reservation req.ID (checked).
func (b *Backend) reserveNamed(ctx context.Context, req state.BudgetRequest) (state.Reservation, error) {
	force := 0
	if req.Force {
		force = 1
	}
	r, err := b.run(ctx, holdScript, b.namedKeys(req.Key, req.Period),
		string(req.Period), req.Amount, req.Limit, req.ID, max(req.TTL.Milliseconds(), 1), force)
	if err != nil {
		return state.Reservation{}, err
	}
	n, err := integers(r, 4)
	if err != nil {
		return state.Reservation{}, err
	}
	answer, used, resets := n[0], n[1], time.UnixMilli(n[2]).UTC()
	switch answer {
	case holdRefused:
		return state.Reservation{}, &state.BudgetExceededError{
			Key: req.Key, Period: req.Period, Limit: req.Limit, Used: used, Amount: req.Amount, Resets: resets,
		}
	case holdSettled:
		return state.Reservation{}, fmt.Errorf("%w: budget %q reservation %s", state.ErrSettled, req.Key, req.ID)
	}
	return state.Reservation{
		Key: req.Key, Period: req.Period, ID: req.ID, Named: true, Amount: n[3],
		Used: used, Limit: req.Limit, Resets: resets,
	}, nil
}

// settleNamed settles the named reservation r to actual, or releases it
// when actual is -1.
func (b *Backend) settleNamed(ctx context.Context, r state.Reservation, actual int64) error {
	reply, err := b.run(ctx, unholdScript, b.namedKeys(r.Key, r.Period), string(r.Period), r.ID, actual, state.SettledMemory.Milliseconds())
	if err != nil {
		return err
	}
	held, err := integer(reply, 0)
	switch {
	case err != nil:
		return err
	case held == 2:
		return fmt.Errorf("%w: budget %q reservation %s", state.ErrSettled, r.Key, r.ID)
	case held == 0:
		return fmt.Errorf("%w: budget %q reservation %s", state.ErrNotHeld, r.Key, r.ID)
	}
	return nil
}
