package budget

import (
	"context"

	"switchyard/state"
)

// Charge charges actual, spent already, to every budget of who that
// applies: a hold begun, reserved with Force (a budget spent meanwhile
// takes it all the same: the tokens were used) and settled at once. It
// serves what is billed as it happens rather than per request (a
// Realtime API session's responses, each as it completes). It returns the
// names of the budgets charged; its errors are Begin's and Reserve's (a
// back end that did not answer, with state.on_error deny), nothing then
// charged. A nil Budgets charges nothing.
func (b *Budgets) Charge(ctx context.Context, who Who, actual Amount) ([]string, error) {
	if b == nil {
		return nil, nil
	}
	h, err := b.Begin(ctx, who)
	if err != nil {
		return nil, err
	}
	if err := h.reserve(ctx, Amount{}, &state.BudgetRequest{Force: true, TTL: b.ttl}); err != nil {
		return nil, err
	}
	return h.Settle(ctx, true, actual), nil
}
